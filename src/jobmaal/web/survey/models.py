"""KL's yearly survey of the municipalities' work with goal 1 (dignity).

A questionnaire belongs to a year and has versions; KL edits it until a round is opened on it,
after which it is locked (copying it makes the next version). A round invites all 98
municipalities: one Answer per municipality, created when the round opens, whose `values` map
question codes to the answer (a string, a list of strings, an int 1–5 or a number). Every change
goes through services.py, which checks roles, dates and the optimistic lock and writes an
AuditEntry.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    SINGLE = "single", "Ét svar"
    MULTI = "multi", "Flere svar"
    SCALE = "scale", "Enighed 1–5"
    NUMBER = "number", "Tal"
    TEXT = "text", "Fritekst"


# The labels of the 1–5 agreement scale, in order.
SCALE_LABELS = (
    "Helt uenig",
    "Overvejende uenig",
    "Hverken enig eller uenig",
    "Overvejende enig",
    "Helt enig",
)


class Questionnaire(models.Model):
    year = models.PositiveSmallIntegerField("år")
    version = models.PositiveSmallIntegerField("version", default=1)
    title = models.CharField("titel", max_length=200)
    intro = models.TextField("indledning", blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name="ud fra",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the questionnaire this one was copied from",
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="oprettet af", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("sidst ændret", auto_now=True)

    class Meta:
        verbose_name = "spørgeskema"
        verbose_name_plural = "spørgeskemaer"
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="one_questionnaire_version")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year}, version {self.version})"

    @property
    def locked(self) -> bool:
        """A questionnaire that a round has been opened on cannot change (its answers refer to it)."""
        return self.rounds.exists()

    def ordered_questions(self) -> list[Question]:
        return list(
            self.questions.select_related("section", "condition_question", "same_as").order_by(
                "section__order", "section__pk", "order", "pk"
            )
        )


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, verbose_name="spørgeskema", on_delete=models.CASCADE,
                                      related_name="sections")
    order = models.PositiveSmallIntegerField("rækkefølge", default=1)
    title = models.CharField("overskrift", max_length=200)
    intro = models.TextField("indledning", blank=True)

    class Meta:
        verbose_name = "afsnit"
        verbose_name_plural = "afsnit"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, verbose_name="spørgeskema", on_delete=models.CASCADE,
                                      related_name="questions")
    section = models.ForeignKey(Section, verbose_name="afsnit", on_delete=models.CASCADE,
                                related_name="questions")
    order = models.PositiveSmallIntegerField("rækkefølge", default=1)
    code = models.CharField("kode", max_length=32, help_text="kolonnenavn i Excel-filer, fx «v3»")
    text = models.TextField("spørgsmål")
    help_text = models.TextField("hjælpetekst", blank=True)
    kind = models.CharField("type", max_length=8, choices=Kind.choices)
    required = models.BooleanField("skal besvares", default=False)
    # Single and multiple choice: [[value, label], ...]; the value is what files and results use.
    options = models.JSONField("svarmuligheder", default=list, blank=True)
    min_value = models.FloatField("mindste tal", null=True, blank=True)
    max_value = models.FloatField("største tal", null=True, blank=True)
    whole_number = models.BooleanField("kun hele tal", default=True)
    condition_question = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependants",
        verbose_name="vises kun hvis",
    )
    condition_values = models.JSONField("har svaret", default=list, blank=True)
    same_as = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="later",
        verbose_name="samme spørgsmål som",
        help_text="the question of an earlier year's questionnaire this one repeats",
    )
    # Shown under goal 1 on the municipality pages and the overview: for a choice question the
    # share answering `headline_value`, for a scale or number question the mean.
    headline = models.BooleanField("nøgletal under mål 1", default=False)
    headline_value = models.CharField("nøgletallets svar", max_length=64, blank=True)
    headline_label = models.CharField("nøgletallets tekst", max_length=200, blank=True)

    class Meta:
        verbose_name = "spørgsmål"
        verbose_name_plural = "spørgsmål"
        ordering = ["section__order", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    def option_labels(self) -> dict[str, str]:
        if self.kind == Kind.SCALE:
            return {str(i): label for i, label in enumerate(SCALE_LABELS, start=1)}
        return {str(value): str(label) for value, label in self.options}

    def choices(self) -> list[tuple[str, str]]:
        return list(self.option_labels().items())


class Round(models.Model):
    """One year's survey: all municipalities are invited and answer between the two dates."""

    questionnaire = models.ForeignKey(Questionnaire, verbose_name="spørgeskema", on_delete=models.PROTECT,
                                      related_name="rounds")
    name = models.CharField("navn", max_length=200)
    opens_on = models.DateField("åbner")
    closes_on = models.DateField("lukker", help_text="sidste dag, der kan svares")
    closed_early_at = models.DateTimeField("lukket før tid", null=True, blank=True)
    demo = models.BooleanField("demo", default=False, help_text="generated demo answers, labelled as such")
    imported_from = models.CharField("indlæst fra", max_length=300, blank=True)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="oprettet af", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "runde"
        verbose_name_plural = "runder"
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def year(self) -> int:
        return self.questionnaire.year

    def status(self, today: dt.date) -> str:
        if self.closed_early_at is not None or today > self.closes_on:
            return "closed"
        if today < self.opens_on:
            return "planned"
        return "open"

    def status_label(self, today: dt.date) -> str:
        return {"closed": "Lukket", "planned": "Ikke åbnet endnu", "open": "Åben"}[self.status(today)]


class State(models.TextChoices):
    INVITED = "invited", "Ikke påbegyndt"
    DRAFT = "draft", "Påbegyndt"
    SUBMITTED = "submitted", "Indsendt"


class Answer(models.Model):
    """A municipality's answer in a round; `values` maps question codes to answers."""

    round = models.ForeignKey(Round, verbose_name="runde", on_delete=models.CASCADE, related_name="answers")
    municipality_code = models.PositiveSmallIntegerField("kommunekode")
    state = models.CharField("status", max_length=10, choices=State.choices, default=State.INVITED)
    values = models.JSONField("svar", default=dict, blank=True)
    version = models.PositiveIntegerField("version", default=1,
                                          help_text="raised by every change (optimistic lock)")
    reopened = models.BooleanField(
        "genåbnet af KL",
        default=False,
        help_text="may be changed and submitted again, also after the round closed",
    )
    demo = models.BooleanField("demo", default=False, help_text="generated demo answer, labelled as such")
    updated_at = models.DateTimeField("sidst gemt", null=True, blank=True)
    updated_by = models.CharField("gemt af", max_length=150, blank=True)
    submitted_at = models.DateTimeField("indsendt", null=True, blank=True)
    submitted_by = models.CharField("indsendt af", max_length=150, blank=True)

    class Meta:
        verbose_name = "besvarelse"
        verbose_name_plural = "besvarelser"
        ordering = ["round", "municipality_code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "municipality_code"], name="one_answer_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.municipality_code}"


class AuditEntry(models.Model):
    """One change to a questionnaire, a round or an answer: who, when, what, before and after."""

    questionnaire = models.ForeignKey(Questionnaire, verbose_name="spørgeskema", null=True,
                                      on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, verbose_name="runde", null=True, on_delete=models.CASCADE,
                              related_name="+")
    answer = models.ForeignKey(Answer, verbose_name="besvarelse", null=True, on_delete=models.CASCADE,
                               related_name="audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bruger", null=True,
                             on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("brugernavn", max_length=150)
    at = models.DateTimeField("tidspunkt", auto_now_add=True)
    action = models.CharField("handling", max_length=32)
    label = models.CharField("hvad", max_length=300)
    before = models.JSONField("før", null=True)
    after = models.JSONField("efter", null=True)

    class Meta:
        verbose_name = "ændring"
        verbose_name_plural = "ændringer"
        ordering = ["-at", "-id"]
