"""Read-only admin views of plans and their audit trail for the ministry (changes go through the
plan pages, which keep the audit and the lock)."""

from __future__ import annotations

from django.contrib import admin

from jobmaal.web.followup.models import AuditEntry, Plan


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
