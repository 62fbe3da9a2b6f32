"""Template filters of the plan pages: plan text as safe HTML, progress status badges."""

from __future__ import annotations

import re
from datetime import date, datetime

import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

from jobmaal import formats
from jobmaal.web.followup.models import Direction, State, Unit

register = template.Library()

# The Markdown subset plans use (see reports/richtext.py); everything else is stripped.
_TAGS = {"p", "ul", "ol", "li", "strong", "em", "br"}


@register.filter
def plantext(text: str | None) -> str:
    """Markdown subset → sanitised HTML (nh3 removes every tag and attribute not allowed)."""
    if not text:
        return ""
    html = md.markdown(text, output_format="html")
    return mark_safe(nh3.clean(html, tags=_TAGS, attributes={}))


@register.filter
def statusclass(status: str | None) -> str:
    return f"status status-{(status or 'not_assessable').replace('_', '-')}"


FIELD_LABELS = {
    "focus": "Lokalt fokus", "efforts": "Indsatser", "baseline_value": "Udgangspunkt",
    "baseline_period": "Udgangspunktets periode", "target_value": "Målværdi",
    "target_period": "Målets periode",
    "comment": "Bemærkning", "goal_number": "Mål nr.", "name": "Navn", "definition": "Definition",
    "unit": "Enhed", "direction": "Retning", "period": "Periode", "value": "Værdi", "state": "Status",
    "council_meeting_date": "Byrådsmøde", "submitted_at": "Indsendt", "approved_at": "Godkendt",
    "published": "Offentlig", "published_at": "Offentliggjort", "year": "År", "revision": "Revision",
    "based_on": "Ud fra", "values": "Værdier",
}
# Stored codes shown by their labels; the labels live on the models' choices.
_CHOICES = {"state": State, "unit": Unit, "direction": Direction}
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}.*)?$")


@register.filter
def fieldlabel(key: str) -> str:
    return FIELD_LABELS.get(key, key)


@register.filter
def auditvalue(value, key: str = ""):
    """A stored before/after value as a reader wants it: codes by their Danish label, yes/no,
    times as Danish local time, numbers with a decimal comma."""
    if key in _CHOICES:
        return dict(_CHOICES[key].choices).get(value, value)
    if isinstance(value, str) and _ISO_TIME.match(value):
        if "T" in value:
            return formats.datetime_da(datetime.fromisoformat(value), seconds=True)
        return formats.date_da(date.fromisoformat(value))
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if isinstance(value, float):
        return formats.plain(value)
    return value
