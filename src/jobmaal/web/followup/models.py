"""A municipality's employment plan (beskæftigelsesplan) per year and what hangs on it.

A plan has revisions: revision 1 is drafted, submitted and approved by the city council; an
approved revision is read only, and changing it starts revision 2 as a copy. Every change goes
through services.py, which bumps `Plan.version` (optimistic locking) and writes an AuditEntry.
Values of local indicators are follow-up, not plan text: they can be entered in any state on the
newest revision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Kladde"
    SUBMITTED = "submitted", "Indsendt til byrådet"
    APPROVED = "approved", "Godkendt af byrådet"


NO_PLAN_DA = "Ingen plan"  # said of a municipality without a plan, beside the states' labels


class Direction(models.TextChoices):
    UP = "up", "Højere er bedre"
    DOWN = "down", "Lavere er bedre"


class Unit(models.TextChoices):
    """Units of a local indicator, each with its allowed range (see forms.UNIT_RANGES)."""

    PCT = "pct", "Procent (0–100)"
    COUNT = "antal", "Antal (heltal ≥ 0)"
    SCORE = "score", "Score 1–5"
    DAYS = "dage", "Dage (≥ 0)"


class Plan(models.Model):
    municipality_code = models.PositiveSmallIntegerField("kommunekode")
    year = models.PositiveSmallIntegerField("år")
    revision = models.PositiveSmallIntegerField("revision", default=1)
    state = models.CharField("status", max_length=12, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField("version", default=1,
                                          help_text="raised by every change (optimistic lock)")
    based_on = models.ForeignKey("self", verbose_name="ud fra", null=True, blank=True,
                                 on_delete=models.SET_NULL,
                                 related_name="+", help_text="the revision or last year's plan copied")
    published = models.BooleanField("offentliggjort", default=False)
    demo = models.BooleanField("demo", default=False, help_text="generated demo content, labelled as such")
    council_meeting_date = models.DateField("byrådsmødets dato", null=True, blank=True)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="oprettet af", null=True,
                                   on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField("sidst ændret", auto_now=True)
    submitted_at = models.DateTimeField("indsendt", null=True, blank=True)
    approved_at = models.DateTimeField("godkendt", null=True, blank=True)
    published_at = models.DateTimeField("offentliggjort", null=True, blank=True)

    class Meta:
        verbose_name = "beskæftigelsesplan"
        verbose_name_plural = "beskæftigelsesplaner"
        ordering = ["municipality_code", "year", "-revision"]
        constraints = [models.UniqueConstraint(fields=["municipality_code", "year", "revision"],
                                               name="one_plan_revision")]

    def __str__(self) -> str:
        return f"Beskæftigelsesplan {self.year} for {self.municipality_code} (rev. {self.revision})"

    @property
    def editable(self) -> bool:
        return self.state == State.DRAFT


class GoalText(models.Model):
    """The local focus and efforts under one of the year's goals (Markdown subset)."""

    plan = models.ForeignKey(Plan, verbose_name="plan", on_delete=models.CASCADE, related_name="goal_texts")
    goal_number = models.PositiveSmallIntegerField("mål")
    focus = models.TextField("lokalt fokus", blank=True)
    efforts = models.TextField("indsatser", blank=True)

    class Meta:
        verbose_name = "måltekst"
        verbose_name_plural = "måltekster"
        ordering = ["goal_number"]
        constraints = [models.UniqueConstraint(fields=["plan", "goal_number"], name="one_text_per_goal")]


class Target(models.Model):
    """The municipality's target for a national indicator of the catalogue."""

    plan = models.ForeignKey(Plan, verbose_name="plan", on_delete=models.CASCADE, related_name="targets")
    indicator_id = models.CharField("indikator", max_length=32)
    baseline_value = models.FloatField("udgangspunkt", null=True, blank=True)
    baseline_period = models.CharField("udgangspunktets periode", max_length=8, blank=True)
    target_value = models.FloatField("mål")
    target_period = models.CharField("målets periode", max_length=8)
    comment = models.TextField("bemærkning", blank=True)

    class Meta:
        verbose_name = "måltal"
        verbose_name_plural = "måltal"
        ordering = ["indicator_id"]
        constraints = [models.UniqueConstraint(fields=["plan", "indicator_id"],
                                               name="one_target_per_indicator")]


class LocalIndicator(models.Model):
    """An indicator the municipality defines itself for goal 1 (dignity) or 4 (disability)."""

    plan = models.ForeignKey(Plan, verbose_name="plan", on_delete=models.CASCADE,
                             related_name="local_indicators")
    goal_number = models.PositiveSmallIntegerField("mål")
    name = models.CharField("navn", max_length=200)
    definition = models.TextField("definition")
    unit = models.CharField("enhed", max_length=8, choices=Unit.choices)
    direction = models.CharField("ønsket retning", max_length=4, choices=Direction.choices)
    baseline_value = models.FloatField("udgangspunkt", null=True, blank=True)
    baseline_period = models.CharField("udgangspunktets periode", max_length=8, blank=True)
    target_value = models.FloatField("mål", null=True, blank=True)
    target_period = models.CharField("målets periode", max_length=8, blank=True)
    # A local register series of the catalogue (goal 4: LOK_FLEXJOB, LOK_LEDYD_FLEX, LOK_LEDYD):
    # its values are filled from each release (fill.py), not typed. Blank: typed values.
    series = models.CharField("registerserie", max_length=32, blank=True)

    class Meta:
        verbose_name = "lokal indikator"
        verbose_name_plural = "lokale indikatorer"
        ordering = ["goal_number", "id"]

    @property
    def from_release(self) -> bool:
        return bool(self.series)


class LocalValue(models.Model):
    indicator = models.ForeignKey(LocalIndicator, verbose_name="lokal indikator", on_delete=models.CASCADE,
                                  related_name="values")
    period = models.CharField("periode", max_length=8)
    value = models.FloatField("værdi")
    comment = models.TextField("bemærkning", blank=True)
    # The release a series value was filled from (null: typed by the municipality).
    release = models.ForeignKey("web.Release", verbose_name="udgivelse", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "lokal værdi"
        verbose_name_plural = "lokale værdier"
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="one_value_per_period")]


class AuditEntry(models.Model):
    """One change: who, when, what, and the values before and after (None when created/deleted)."""

    plan = models.ForeignKey(Plan, verbose_name="plan", on_delete=models.CASCADE, related_name="audit")
    municipality_code = models.PositiveSmallIntegerField("kommunekode", )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bruger", null=True,
                             on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("brugernavn", max_length=150)  # kept if the user is deleted
    at = models.DateTimeField("tidspunkt", auto_now_add=True)
    version = models.PositiveIntegerField("version", help_text="the plan's version after the change")
    action = models.CharField("handling", max_length=32)
    object_type = models.CharField("objekttype", max_length=32)
    object_label = models.CharField("hvad", max_length=300)
    before = models.JSONField("før", null=True)
    after = models.JSONField("efter", null=True)

    class Meta:
        verbose_name = "ændring"
        verbose_name_plural = "ændringer"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["plan", "version"], name="audit_plan_version")]


class Subscription(models.Model):
    """A user's alert subscription: one municipality, one goal, or the whole country."""

    class Scope(models.TextChoices):
        MUNICIPALITY = "kommune", "Kommune"
        GOAL = "maal", "Mål"
        COUNTRY = "land", "Hele landet"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bruger", on_delete=models.CASCADE,
                             related_name="subscriptions")
    scope = models.CharField("omfang", max_length=8, choices=Scope.choices)
    municipality_code = models.PositiveIntegerField("kommunekode", null=True, blank=True)
    goal_number = models.PositiveSmallIntegerField("mål nr.", null=True, blank=True)
    created = models.DateTimeField("oprettet", auto_now_add=True)

    class Meta:
        verbose_name = "abonnement på varsler"
        verbose_name_plural = "abonnementer på varsler"
        ordering = ["scope", "municipality_code", "goal_number", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "scope", "municipality_code", "goal_number"],
                                               name="one_subscription_per_subject")]


class AlertSent(models.Model):
    """An event already sent to a subscription: each event is sent once (the key names it)."""

    subscription = models.ForeignKey(Subscription, verbose_name="abonnement", on_delete=models.CASCADE,
                                     related_name="sent")
    event = models.CharField("hændelse", max_length=120)
    at = models.DateTimeField("sendt", auto_now_add=True)

    class Meta:
        verbose_name = "sendt varsel"
        verbose_name_plural = "sendte varsler"
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="one_alert_per_event")]
