"""The ministry's admin of releases: see their provenance and choose which one is active."""

from __future__ import annotations

from django.contrib import admin, messages

from jobmaal.web.models import Publication, Release
from jobmaal.web.publishing import PublishError, publish_release


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through their own pages, which keep audit and locks."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "kind", "synthetic", "row_count", "created", "loaded_at", "published_at",
                    "is_active"]
    list_filter = ["year", "kind", "is_active", "synthetic"]
    readonly_fields = [f.name for f in Release._meta.fields]
    actions = ["activate"]

    def has_add_permission(self, request) -> bool:
        return False  # releases come from `jobmaal load` / `jobmaal import`, checked on the way in

    @admin.action(description="Gør den valgte udgivelse aktiv for sit år")
    def activate(self, request, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Vælg præcis én udgivelse.", messages.ERROR)
            return
        release = queryset.get()
        try:  # the same service, checks and audit as the publish page and `jobmaal publish`
            publish_release(release, actor=request.user.get_username(), user=request.user)
        except PublishError as exc:
            self.message_user(request, f"Ikke udgivet: {exc}", messages.ERROR)
            return
        self.message_user(request, f"«{release.name}» er nu aktiv for {release.year}.")


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "year", "release", "replaced", "actor"]
    list_filter = ["year", "action"]
