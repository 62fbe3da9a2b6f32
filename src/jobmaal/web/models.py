"""What the app serves: releases of figures and the facts inside them.

A release is one loaded OUT folder, computed from registers or imported from Jobindsats,
StatBank or a file, or a mixed release combining indicators of other releases. Exactly one
release per year is active; the pages and the API serve the active one unless asked otherwise.
A release is loaded as a draft (only staff see it) and becomes public when it is published
(web/publishing.py), which is recorded as a `Publication`.
Every release is kept: a later vintage of the same source and year stores what it revised.
A release being loaded is stored in short transactions (web/releases.py) and is "loading" until
its last one: `Release.objects` never returns it, so no page, API answer, admin list or
publication can see it; only the loader and the clean-up use `Release.all_objects`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CompleteReleases(models.Manager):
    """Releases whose load has finished (drafts and published ones), never one being loaded."""

    def get_queryset(self):
        return super().get_queryset().filter(loading=False)


class Release(models.Model):
    name = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    catalogue_year = models.PositiveIntegerField()
    # the source: computed | jobindsats | statbank | file | mixed (see sources.common.SOURCE_KINDS)
    kind = models.CharField(max_length=20, default="computed")
    synthetic = models.BooleanField(default=False)
    source_folder = models.CharField(max_length=1000, blank=True)
    manifest = models.JSONField()
    facts_sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(help_text="when the figures were computed or fetched")
    loaded_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=False)
    fetched = models.DateTimeField(null=True, help_text="when an import fetched the figures")
    previous = models.ForeignKey("self", null=True, on_delete=models.SET_NULL, related_name="+",
                                 help_text="the earlier vintage of the same source and year")
    published_at = models.DateTimeField(null=True, blank=True,
                                        help_text="first published; a draft (never published) if empty")
    loading = models.BooleanField(default=False, db_index=True,
                                  help_text="still being loaded: seen by nobody until the load ends")
    loading_owner = models.CharField(max_length=300, blank=True,
                                     help_text="the loading process as host:pid")
    loading_seen = models.DateTimeField(null=True, blank=True,
                                        help_text="when the loading process last stored a chunk")

    objects = CompleteReleases()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-loaded_at", "-id"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=models.Q(is_active=True),
                                    name="one_active_release_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Publication(models.Model):
    """One publication: which release became the active one of its year, replacing which
    (a rollback when the release had been published before), by whom and when."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="publications")
    replaced = models.ForeignKey(Release, null=True, on_delete=models.SET_NULL, related_name="+")
    year = models.PositiveIntegerField()
    action = models.CharField(max_length=10)  # publish | rollback
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    actor = models.CharField(max_length=200, help_text="user name, or 'kommandolinje: <login>'")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.release_id} ({self.year}) by {self.actor}"


class Fact(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="facts")
    indicator = models.CharField(max_length=32)
    period = models.CharField(max_length=8)
    area_level = models.CharField(max_length=12)
    area_code = models.CharField(max_length=32)
    breakdown = models.CharField(max_length=32)
    breakdown_value = models.CharField(max_length=32)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    value = models.FloatField(null=True)
    suppressed = models.BooleanField(default=False)
    provisional = models.BooleanField(default=False)
    # why a row is hidden: 'primary' (a small count) or 'secondary' (it would reveal one); null
    # when shown
    suppression = models.CharField(max_length=10, null=True, blank=True)
    source = models.CharField(max_length=20, default="computed")  # where this figure came from

    class Meta:
        indexes = [
            models.Index(fields=["release", "indicator", "area_level", "area_code", "breakdown"],
                         name="fact_area"),
            models.Index(fields=["release", "indicator", "period", "area_level", "breakdown"],
                         name="fact_period"),
        ]


class FrameworkValue(models.Model):
    """A framework condition (rammevilkår) of a municipality in a year, as in the release."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="framework")
    municipality_code = models.PositiveIntegerField()
    year = models.PositiveIntegerField()
    variable = models.CharField(max_length=64)
    value = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["release", "year"], name="framework_year")]


class ExpectedLevel(models.Model):
    """The expected level of a municipality from its framework conditions (analysis/expected.py),
    computed once when the release is loaded."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="expected")
    indicator = models.CharField(max_length=32)
    period = models.CharField(max_length=8)
    municipality_code = models.PositiveIntegerField()
    actual = models.FloatField(null=True)
    expected = models.FloatField(null=True)  # null where the fit gave no number (NaN)
    lower = models.FloatField(null=True)
    upper = models.FloatField(null=True)
    gap = models.FloatField(null=True)
    r_squared = models.FloatField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["release", "indicator", "period"], name="expected_period")]


class PeerLink(models.Model):
    """A comparable municipality (analysis/peers.py) with the reasons it is comparable."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="peers")
    year = models.PositiveIntegerField()
    municipality_code = models.PositiveIntegerField()
    peer_code = models.PositiveIntegerField()
    rank = models.PositiveSmallIntegerField()
    distance = models.FloatField()
    reasons = models.JSONField(default=list)  # [{variable, own_value, peer_value, text}]

    class Meta:
        ordering = ["rank"]
        indexes = [models.Index(fields=["release", "year", "municipality_code"], name="peer_lookup")]


class Revision(models.Model):
    """A figure that a later vintage changed, added or removed, against the vintage before."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="revisions")
    previous = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="+")
    change = models.CharField(max_length=10)  # changed | added | removed
    indicator = models.CharField(max_length=32)
    period = models.CharField(max_length=8)
    area_level = models.CharField(max_length=12)
    area_code = models.CharField(max_length=32)
    breakdown = models.CharField(max_length=32)
    breakdown_value = models.CharField(max_length=32)
    old_value = models.FloatField(null=True)
    new_value = models.FloatField(null=True)
    old_suppressed = models.BooleanField(null=True)
    new_suppressed = models.BooleanField(null=True)

    class Meta:
        ordering = ["indicator", "period", "area_level", "area_code", "breakdown", "breakdown_value"]
        indexes = [models.Index(fields=["release", "indicator", "period"], name="revision_lookup")]
