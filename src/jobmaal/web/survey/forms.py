"""Forms of the survey pages: KL's questionnaire editor and rounds, and the answer form built from a
questionnaire. Messages are Danish and name the field."""

from __future__ import annotations

import re
import unicodedata

from django import forms

from jobmaal.web import widgets
from jobmaal.web.safetext import SafeTextForm
from jobmaal.web.survey import rules
from jobmaal.web.survey.models import Kind, Question, Questionnaire

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewQuestionnaireForm(SafeTextForm):
    year = forms.IntegerField(label="År", min_value=2020, max_value=2100)
    title = forms.CharField(label="Titel", max_length=200)
    intro = forms.CharField(label="Indledning", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class QuestionnaireForm(SafeTextForm):
    title = forms.CharField(label="Titel", max_length=200)
    intro = forms.CharField(label="Indledning", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class CopyForm(SafeTextForm):
    year = forms.IntegerField(
        label="Til året",
        min_value=2020,
        max_value=2100,
        help_text="Samme år giver en ny version; et senere år knytter hvert spørgsmål til "
        "det kopierede som «samme spørgsmål», så årene kan sammenlignes.",
    )


class SectionForm(SafeTextForm):
    title = forms.CharField(label="Overskrift", max_length=200)
    intro = forms.CharField(label="Indledning", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    order = forms.IntegerField(label="Rækkefølge", min_value=1, max_value=999, initial=1)


def slug(text: str) -> str:
    text = unicodedata.normalize(
        "NFKD", text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    )
    return re.sub(r"[^a-z0-9]+", "_", text.encode("ascii", "ignore").decode()).strip("_")[:40] or "svar"


class QuestionForm(SafeTextForm):
    section = forms.ModelChoiceField(label="Afsnit", queryset=None, empty_label=None)
    order = forms.IntegerField(label="Rækkefølge i afsnittet", min_value=1, max_value=999, initial=1)
    code = forms.CharField(
        label="Kode", max_length=32, help_text="Kolonnenavnet i Excel, fx «v3». Små bogstaver, tal og _."
    )
    text = forms.CharField(label="Spørgsmål", widget=forms.Textarea(attrs={"rows": 2}))
    help_text = forms.CharField(label="Hjælpetekst", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label="Type", choices=Kind.choices)
    required = forms.BooleanField(label="Skal besvares", required=False)
    options = forms.CharField(
        label="Svarmuligheder",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Én pr. linje: «værdi | tekst» eller bare teksten. Kun for «Ét svar» og «Flere svar».",
    )
    min_value = forms.FloatField(label="Mindste tal", required=False)
    max_value = forms.FloatField(label="Største tal", required=False)
    whole_number = forms.BooleanField(label="Kun hele tal", required=False, initial=True)
    condition_question = forms.ModelChoiceField(
        label="Vises kun, hvis dette spørgsmål …", queryset=None, required=False, empty_label="(vises altid)"
    )
    condition_values = forms.CharField(
        label="… har et af disse svar",
        required=False,
        help_text="Værdierne, adskilt af komma, fx «ja, delvist».",
    )
    same_as = forms.ModelChoiceField(
        label="Samme spørgsmål som (tidligere år)", queryset=None, required=False, empty_label="(intet)"
    )
    headline = forms.BooleanField(label="Nøgletal under mål 1", required=False)
    headline_value = forms.CharField(
        label="Nøgletallets svar",
        required=False,
        max_length=64,
        help_text="For «Ét svar»/«Flere svar»: værdien, hvis andel vises.",
    )
    headline_label = forms.CharField(label="Nøgletallets tekst", required=False, max_length=200)

    def __init__(self, *args, questionnaire: Questionnaire, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = questionnaire.sections.all()
        others = questionnaire.questions.filter(kind__in=rules.CONDITION_KINDS)
        if question is not None:
            others = others.exclude(pk=question.pk)
        self.fields["condition_question"].queryset = others.order_by("section__order", "order")
        self.fields["same_as"].queryset = (
            Question.objects.filter(questionnaire__year__lt=questionnaire.year)
            .select_related("questionnaire")
            .order_by("-questionnaire__year", "code")
        )
        self.fields["same_as"].label_from_instance = lambda q: (
            f"{q.questionnaire.year}: {q.code} – {q.text[:70]}"
        )
        self.fields["condition_question"].label_from_instance = lambda q: f"{q.code} – {q.text[:70]}"

    @staticmethod
    def initial_for(question: Question) -> dict:
        return {
            "section": question.section_id,
            "order": question.order,
            "code": question.code,
            "text": question.text,
            "help_text": question.help_text,
            "kind": question.kind,
            "required": question.required,
            "options": "\n".join(f"{v} | {label}" for v, label in question.options),
            "min_value": question.min_value,
            "max_value": question.max_value,
            "whole_number": question.whole_number,
            "condition_question": question.condition_question_id,
            "condition_values": ", ".join(question.condition_values),
            "same_as": question.same_as_id,
            "headline": question.headline,
            "headline_value": question.headline_value,
            "headline_label": question.headline_label,
        }

    def clean_options(self) -> list[list[str]]:
        options = []
        for line in self.cleaned_data["options"].splitlines():
            if not line.strip():
                continue
            value, sep, label = line.partition("|")
            value, label = (value.strip(), label.strip()) if sep else (slug(line), line.strip())
            if not value or not label:
                raise forms.ValidationError(f"Linjen «{line.strip()}» mangler værdi eller tekst.")
            options.append([value, label])
        return options

    def clean_condition_values(self) -> list[str]:
        return [v.strip() for v in self.cleaned_data["condition_values"].split(",") if v.strip()]

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {
            "section_id": d["section"].pk,
            "order": d["order"],
            "code": d["code"].strip(),
            "text": d["text"],
            "help_text": d["help_text"],
            "kind": d["kind"],
            "required": d["required"],
            "options": d["options"],
            "min_value": d["min_value"],
            "max_value": d["max_value"],
            "whole_number": d["whole_number"],
            "condition_question_id": d["condition_question"].pk if d["condition_question"] else None,
            "condition_values": d["condition_values"],
            "same_as_id": d["same_as"].pk if d["same_as"] else None,
            "headline": d["headline"],
            "headline_value": d["headline_value"].strip(),
            "headline_label": d["headline_label"],
        }


class RoundForm(SafeTextForm):
    name = forms.CharField(label="Navn", max_length=200)
    opens_on = forms.DateField(label="Åbner", widget=DATE)
    closes_on = forms.DateField(label="Lukker (sidste svardag)", widget=DATE)


class DatesForm(SafeTextForm):
    opens_on = forms.DateField(label="Åbner", widget=DATE)
    closes_on = forms.DateField(label="Lukker (sidste svardag)", widget=DATE)


class ImportForm(RoundForm):
    file = forms.FileField(
        label="Excel-fil (.xlsx)",
        help_text="Første række: «kommune» og spørgsmålenes koder. Én række pr. kommune.",
    )


# --- the answer form -----------------------------------------------------------------------


def field_name(code: str) -> str:
    return f"q_{code}"


class AnswerForm(SafeTextForm):
    """One field per question; every field is optional here (saving a half-done answer is fine),
    required questions are checked on submit by services.save_answer."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[field_name(q.code)] = _field(q)

    def values(self) -> dict:
        """Cleaned values by question code (None dropped)."""
        out = {}
        for q in self.questions:
            value = self.cleaned_data.get(field_name(q.code))
            if value not in (None, "", []):
                out[q.code] = value
        return out

    @staticmethod
    def initial_from(values: dict) -> dict:
        return {
            field_name(code): (str(v) if isinstance(v, int) and not isinstance(v, bool) else v)
            for code, v in values.items()
        }


class RuleField(forms.Field):
    """A field that cleans its input with rules.clean_value, so form and import agree."""

    def __init__(self, question: Question, **kwargs):
        self.question = question
        super().__init__(required=False, label=question.text, help_text=question.help_text, **kwargs)

    def to_python(self, value):
        try:
            return rules.clean_value(self.question, value)
        except rules.InvalidValue as exc:
            raise forms.ValidationError(str(exc)) from None


class RuleMultipleField(RuleField):
    widget = widgets.CheckboxSelectMultiple

    def to_python(self, value):
        return super().to_python(list(value or []))


def _field(q: Question) -> forms.Field:
    match q.kind:
        case Kind.SINGLE | Kind.SCALE:
            return RuleField(q, widget=widgets.RadioSelect(choices=q.choices()))
        case Kind.MULTI:
            return RuleMultipleField(q, widget=widgets.CheckboxSelectMultiple(choices=q.choices()))
        case Kind.NUMBER:
            attrs = {"inputmode": "decimal"}
            return RuleField(q, widget=forms.TextInput(attrs=attrs))
    return RuleField(q, widget=forms.Textarea(attrs={"rows": 4, "maxlength": rules.MAX_TEXT}))
