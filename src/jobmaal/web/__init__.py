"""The Django web app: dashboards, follow-up pages and the open API (the only Django layer)."""
