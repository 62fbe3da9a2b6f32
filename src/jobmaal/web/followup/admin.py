"""Read-only admin views of plans and their audit trail for the ministry (changes go through the
plan pages, which keep the audit and the lock)."""

from __future__ import annotations

from django.contrib import admin

from jobmaal.web.admin import ReadOnlyAdmin
from jobmaal.web.followup.models import AuditEntry, Plan


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["municipality_code", "year", "revision", "state", "published", "demo", "updated_at"]
    list_filter = ["year", "state", "published", "demo"]
    search_fields = ["municipality_code"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "municipality_code", "plan", "object_label", "version"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_label"]
