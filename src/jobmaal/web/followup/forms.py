"""Forms of the plan pages. Validation messages are Danish and name the field; the plan year
bounds every target and value period (a baseline may lie before the plan year)."""

from __future__ import annotations

import math

from django import forms

from jobmaal import formats
from jobmaal.catalogue import load_catalogue
from jobmaal.periods import Period, PeriodError, parse_period_da
from jobmaal.web.followup.models import Direction, Plan, Unit
from jobmaal.web.safetext import SafeTextForm

# Allowed range and whether the value must be whole, per unit of a local indicator.
UNIT_RANGES: dict[str, tuple[float, float | None, bool]] = {
    Unit.PCT: (0.0, 100.0, False),
    Unit.COUNT: (0.0, None, True),
    Unit.SCORE: (1.0, 5.0, False),
    Unit.DAYS: (0.0, None, False),
}
MAX_TEXT = 20_000
PERIOD_HELP = ("Som siderne skriver den, fx «2023», «2. halvår 2023», «4. kvt. 2023» eller «juni 2023», "
               "eller som kode: 2023, 2023H2, 2023Q4, 2023M06.")
PERIOD_MAX = 30  # "september 2023" and the like; stored as the code


def _decimal(label: str, required: bool = True) -> forms.FloatField:
    """A number field that takes a decimal comma as well as a point."""
    return DecimalCommaField(label=label, required=required)


class DecimalCommaField(forms.FloatField):
    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        number = super().to_python(value)
        if number is not None and not math.isfinite(number):
            raise forms.ValidationError("Skriv et tal.")
        return number


def check_period(value: str, plan: Plan, field: str, *, inside_year: bool) -> str:
    try:
        period = parse_period_da(value)
    except PeriodError:
        raise forms.ValidationError(f"{field}: «{value}» er ikke en periode. {PERIOD_HELP}") from None
    if inside_year and period.year != plan.year:
        raise forms.ValidationError(f"{field} skal ligge i planens år {plan.year}.")
    if not inside_year and period.year > plan.year:
        raise forms.ValidationError(f"{field} kan ikke ligge efter planens år {plan.year}.")
    return period.code


class VersionedForm(SafeTextForm):
    """Carries the plan version the user saw, for the optimistic lock."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, plan: Plan, **kwargs):
        self.plan = plan
        kwargs.setdefault("initial", {}).setdefault("version", plan.version)
        super().__init__(*args, **kwargs)


class GoalTextForm(VersionedForm):
    focus = forms.CharField(label="Lokalt fokus", required=False, max_length=MAX_TEXT,
                            widget=forms.Textarea(attrs={"rows": 8}),
                            help_text="Hvad kommunen vil opnå under målet. Afsnit adskilles af en tom "
                                      "linje; punktopstilling med «- »; **fed** og *kursiv*.")
    efforts = forms.CharField(label="Indsatser", required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 8}),
                              help_text="De indsatser, der skal bringe kommunen dertil.")


class TargetForm(VersionedForm):
    baseline_value = _decimal("Udgangspunkt (pct.)", required=False)
    baseline_value.help_text = "Tom: tallet for perioden hentes fra udgivelsen."
    baseline_period = forms.CharField(label="Udgangspunktets periode", required=False,
                                      max_length=PERIOD_MAX,
                                      help_text=PERIOD_HELP)
    target_value = _decimal("Målværdi (pct.)")
    target_period = forms.CharField(label="Målets periode", max_length=PERIOD_MAX, help_text=PERIOD_HELP)
    comment = forms.CharField(label="Bemærkning", required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean_target_value(self):
        return _check_range(self.cleaned_data["target_value"], "Målet", 0.0, 100.0, whole=False)

    def clean_baseline_value(self):
        value = self.cleaned_data.get("baseline_value")
        return None if value is None else _check_range(value, "Udgangspunktet", 0.0, 100.0, whole=False)

    def clean_target_period(self):
        return check_period(self.cleaned_data["target_period"], self.plan, "Målets periode", inside_year=True)

    def clean_baseline_period(self):
        value = self.cleaned_data.get("baseline_period", "").strip()
        return check_period(value, self.plan, "Udgangspunktets periode", inside_year=False) if value else ""

    def clean(self):
        data = super().clean()
        _check_baseline(self, data, value_optional=True)
        return data


OWN_SERIES = ("", "Egen indikator: kommunen taster værdierne")


class LocalIndicatorForm(VersionedForm):
    goal_number = forms.TypedChoiceField(label="Under mål nr.", coerce=int,
                                         choices=[(1, "Mål 1"), (4, "Mål 4")])
    series = forms.ChoiceField(
        label="Registerserie (mål 4)", required=False,
        help_text="Vælg en af Jobmåls serier for mål 4 (lokal indikator, ikke STAR's): værdierne "
                  "hentes fra hver udgivelse for kommunen, og navn, definition, enhed og retning "
                  "følger serien.")
    name = forms.CharField(label="Navn", max_length=200, required=False)
    definition = forms.CharField(label="Definition", max_length=MAX_TEXT, required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text="Hvad måles, hvordan og hvor tallet kommer fra.")
    unit = forms.ChoiceField(label="Enhed", choices=Unit.choices, required=False)
    direction = forms.ChoiceField(label="Ønsket retning", choices=Direction.choices, required=False)
    baseline_value = _decimal("Udgangspunkt", required=False)
    baseline_period = forms.CharField(label="Udgangspunktets periode", required=False,
                                      max_length=PERIOD_MAX,
                                      help_text=PERIOD_HELP)
    target_value = _decimal("Målværdi", required=False)
    target_period = forms.CharField(label="Målets periode", required=False, max_length=PERIOD_MAX,
                                    help_text=PERIOD_HELP)

    def clean_baseline_period(self):
        value = self.cleaned_data.get("baseline_period", "").strip()
        return check_period(value, self.plan, "Udgangspunktets periode", inside_year=False) if value else ""

    def clean_target_period(self):
        value = self.cleaned_data.get("target_period", "").strip()
        return check_period(value, self.plan, "Målets periode", inside_year=True) if value else ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        series = load_catalogue(self.plan.year).local_series(4)
        self.fields["series"].choices = [OWN_SERIES] + [(i.id, i.name_da) for i in series]
        self.series = {i.id: i for i in series}

    def clean(self):
        data = super().clean()
        series = self.series.get(data.get("series") or "")
        if series is not None:
            if data.get("goal_number") != series.goal:
                self.add_error("series", "Registerserierne hører til mål 4.")
            # The series' own definition, unit and direction (services._take_series).
            data["definition"], data["unit"], data["direction"] = (
                series.definition_da, series.unit, series.direction)
            data["name"] = data.get("name") or series.name_da
        else:
            for field in ("name", "definition", "unit", "direction"):
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, "Feltet skal udfyldes for en egen indikator.")
        unit = data.get("unit")
        if unit:
            for field, label in (("baseline_value", "Udgangspunktet"), ("target_value", "Målet")):
                if data.get(field) is not None:
                    try:
                        data[field] = check_unit(data[field], unit, label)
                    except forms.ValidationError as exc:
                        self.add_error(field, exc)
        # A value or period refused above has its own message; the pair is checked without it.
        target_errors = "target_value" in self.errors or "target_period" in self.errors
        if not target_errors and (data.get("target_value") is None) != (not data.get("target_period")):
            self.add_error("target_period", "Angiv både målets værdi og periode, eller ingen af dem.")
        _check_baseline(self, data)
        return data


class LocalValueForm(VersionedForm):
    period = forms.CharField(label="Periode", max_length=PERIOD_MAX, help_text=PERIOD_HELP)
    value = _decimal("Værdi")
    comment = forms.CharField(label="Bemærkning", required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, unit: str, **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)

    def clean_period(self):
        return check_period(self.cleaned_data["period"], self.plan, "Perioden", inside_year=True)

    def clean_value(self):
        return check_unit(self.cleaned_data["value"], self.unit, "Værdien")


class ApproveForm(VersionedForm):
    meeting_date = forms.DateField(label="Byrådsmødets dato", widget=forms.DateInput(attrs={"type": "date"}))


def check_unit(value: float, unit: str, label: str) -> float:
    low, high, whole = UNIT_RANGES[unit]
    return _check_range(value, label, low, high, whole=whole)


def _check_range(value: float, label: str, low: float, high: float | None, *, whole: bool) -> float:
    if value < low or (high is not None and value > high):
        span = (f"mellem {formats.plain(low)} og {formats.plain(high)}" if high is not None
                else f"mindst {formats.plain(low)}")
        raise forms.ValidationError(f"{label} skal være {span}; du skrev {formats.plain(value)}.")
    if whole and value != int(value):
        raise forms.ValidationError(f"{label} skal være et helt tal; du skrev {formats.plain(value)}.")
    return value


def _check_baseline(form: forms.Form, data: dict, *, value_optional: bool = False) -> None:
    """Value and period of the baseline go together; for a national indicator the value may be
    left out and is then read from the release."""
    has_value = data.get("baseline_value") is not None
    has_period = bool(data.get("baseline_period"))
    mismatch = (has_value and not has_period) if value_optional else has_value != has_period
    if mismatch and "baseline_period" not in form.errors and "baseline_value" not in form.errors:
        form.add_error("baseline_period", "Angiv både udgangspunktets værdi og periode, eller ingen af dem.")
    target, base = data.get("target_period"), data.get("baseline_period")
    if target and base and Period.parse(base).end >= Period.parse(target).end:
        form.add_error("baseline_period", "Udgangspunktet skal ligge før målets periode.")
