"""Users and roles: who may see and change which municipality's follow-up."""
