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
    name = models.CharField("navn", max_length=200)
    year = models.PositiveIntegerField("år", )
    catalogue_year = models.PositiveIntegerField("katalogår", )
    # the source: computed | jobindsats | statbank | file | mixed (see sources.common.SOURCE_KINDS)
    kind = models.CharField("kilde", max_length=20, default="computed")
    synthetic = models.BooleanField("syntetiske data", default=False)
    source_folder = models.CharField("kildemappe", max_length=1000, blank=True)
    manifest = models.JSONField("manifest", )
    facts_sha256 = models.CharField("SHA-256 af tallene", max_length=64)
    row_count = models.PositiveIntegerField("antal rækker", default=0)
    created = models.DateTimeField("beregnet", help_text="when the figures were computed or fetched")
    loaded_at = models.DateTimeField("indlæst", auto_now_add=True)
    is_active = models.BooleanField("aktiv", default=False)
    fetched = models.DateTimeField("hentet", null=True, help_text="when an import fetched the figures")
    previous = models.ForeignKey("self", verbose_name="forrige udgave", null=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 help_text="the earlier vintage of the same source and year")
    published_at = models.DateTimeField("udgivet", null=True, blank=True,
                                        help_text="first published; a draft (never published) if empty")
    loading = models.BooleanField("indlæses", default=False, db_index=True,
                                  help_text="still being loaded: seen by nobody until the load ends")
    loading_owner = models.CharField("indlæses af", max_length=300, blank=True,
                                     help_text="the loading process as host:pid")
    loading_seen = models.DateTimeField("sidst indlæst", null=True, blank=True,
                                        help_text="when the loading process last stored a chunk")

    objects = CompleteReleases()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "udgivelse"
        verbose_name_plural = "udgivelser"
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

    release = models.ForeignKey(Release, verbose_name="udgivelse", on_delete=models.CASCADE,
                                related_name="publications")
    replaced = models.ForeignKey(Release, verbose_name="erstattede", null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    year = models.PositiveIntegerField("år", )
    action = models.CharField("handling", max_length=10)  # publish | rollback
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bruger", null=True,
                             on_delete=models.SET_NULL,
                             related_name="+")
    actor = models.CharField("udført af", max_length=200, help_text="user name, or 'kommandolinje: <login>'")
    at = models.DateTimeField("tidspunkt", auto_now_add=True)

    class Meta:
        verbose_name = "udgivelseshændelse"
        verbose_name_plural = "udgivelseshændelser"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.release_id} ({self.year}) by {self.actor}"


class Fact(models.Model):
    release = models.ForeignKey(Release, verbose_name="udgivelse", on_delete=models.CASCADE,
                                related_name="facts")
    indicator = models.CharField("indikator", max_length=32)
    period = models.CharField("periode", max_length=8)
    area_level = models.CharField("områdeniveau", max_length=12)
    area_code = models.CharField("områdekode", max_length=32)
    breakdown = models.CharField("opdeling", max_length=32)
    breakdown_value = models.CharField("opdelingsværdi", max_length=32)
    numerator = models.FloatField("tæller", null=True)
    denominator = models.FloatField("nævner", null=True)
    value = models.FloatField("værdi", null=True)
    suppressed = models.BooleanField("diskretioneret", default=False)
    provisional = models.BooleanField("foreløbig", default=False)
    # why a row is hidden: 'primary' (a small count) or 'secondary' (it would reveal one); null
    # when shown
    suppression = models.CharField("diskretionering", max_length=10, null=True, blank=True)
    source = models.CharField("kilde", max_length=20, default="computed")  # where this figure came from

    class Meta:
        verbose_name = "tal"
        verbose_name_plural = "tal"
        indexes = [
            models.Index(fields=["release", "indicator", "area_level", "area_code", "breakdown"],
                         name="fact_area"),
            models.Index(fields=["release", "indicator", "period", "area_level", "breakdown"],
                         name="fact_period"),
        ]


class FrameworkValue(models.Model):
    """A framework condition (rammevilkår) of a municipality in a year, as in the release."""

    release = models.ForeignKey(Release, verbose_name="udgivelse", on_delete=models.CASCADE,
                                related_name="framework")
    municipality_code = models.PositiveIntegerField("kommunekode", )
    year = models.PositiveIntegerField("år", )
    variable = models.CharField("variabel", max_length=64)
    value = models.FloatField("værdi", )

    class Meta:
        verbose_name = "rammevilkår"
        verbose_name_plural = "rammevilkår"
        indexes = [models.Index(fields=["release", "year"], name="framework_year")]


class ExpectedLevel(models.Model):
    """The expected level of a municipality from its framework conditions (analysis/expected.py),
    computed once when the release is loaded."""

    release = models.ForeignKey(Release, verbose_name="udgivelse", on_delete=models.CASCADE,
                                related_name="expected")
    indicator = models.CharField("indikator", max_length=32)
    period = models.CharField("periode", max_length=8)
    municipality_code = models.PositiveIntegerField("kommunekode", )
    actual = models.FloatField("faktisk", null=True)
    expected = models.FloatField("forventet", null=True)  # null where the fit gave no number (NaN)
    lower = models.FloatField("nedre grænse", null=True)
    upper = models.FloatField("øvre grænse", null=True)
    gap = models.FloatField("forskel", null=True)
    r_squared = models.FloatField("forklaringsgrad (R²)", null=True)
    n = models.PositiveIntegerField("antal kommuner", )

    class Meta:
        verbose_name = "forventet niveau"
        verbose_name_plural = "forventede niveauer"
        indexes = [models.Index(fields=["release", "indicator", "period"], name="expected_period")]


class PeerLink(models.Model):
    """A comparable municipality (analysis/peers.py) with the reasons it is comparable."""

    release = models.ForeignKey(Release, verbose_name="udgivelse", on_delete=models.CASCADE,
                                related_name="peers")
    year = models.PositiveIntegerField("år", )
    municipality_code = models.PositiveIntegerField("kommunekode", )
    peer_code = models.PositiveIntegerField("sammenlignelig kommunes kode", )
    rank = models.PositiveSmallIntegerField("nummer", )
    distance = models.FloatField("afstand", )
    reasons = models.JSONField("begrundelser", default=list)  # [{variable, own_value, peer_value, text}]

    class Meta:
        verbose_name = "sammenlignelig kommune"
        verbose_name_plural = "sammenlignelige kommuner"
        ordering = ["rank"]
        indexes = [models.Index(fields=["release", "year", "municipality_code"], name="peer_lookup")]


class Revision(models.Model):
    """A figure that a later vintage changed, added or removed, against the vintage before."""

    release = models.ForeignKey(Release, verbose_name="udgivelse", on_delete=models.CASCADE,
                                related_name="revisions")
    previous = models.ForeignKey(Release, verbose_name="forrige udgave", on_delete=models.CASCADE,
                                 related_name="+")
    change = models.CharField("ændring", max_length=10)  # changed | added | removed
    indicator = models.CharField("indikator", max_length=32)
    period = models.CharField("periode", max_length=8)
    area_level = models.CharField("områdeniveau", max_length=12)
    area_code = models.CharField("områdekode", max_length=32)
    breakdown = models.CharField("opdeling", max_length=32)
    breakdown_value = models.CharField("opdelingsværdi", max_length=32)
    old_value = models.FloatField("gammel værdi", null=True)
    new_value = models.FloatField("ny værdi", null=True)
    old_suppressed = models.BooleanField("før diskretioneret", null=True)
    new_suppressed = models.BooleanField("nu diskretioneret", null=True)

    class Meta:
        verbose_name = "revision"
        verbose_name_plural = "revisioner"
        ordering = ["indicator", "period", "area_level", "area_code", "breakdown", "breakdown_value"]
        indexes = [models.Index(fields=["release", "indicator", "period"], name="revision_lookup")]
