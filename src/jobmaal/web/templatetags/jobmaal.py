"""Template filters for Danish formats: {{ value|pct }}, {{ n|antal }}, {{ code|periode }}."""

from django import template

from jobmaal import formats as formatting

register = template.Library()


@register.filter
def pct(value, suppressed=False):
    return formatting.pct(value, suppressed=bool(suppressed))


@register.filter
def decimal(value, digits=1):
    return formatting.decimal(value, int(digits))


@register.filter
def antal(value):
    return formatting.count(value)


@register.filter
def pp(value):
    return formatting.change_pp(value)


@register.filter
def tal(value):
    """{{ value|tal }}: a number as typed, with a decimal comma and no thousands separator."""
    return formatting.plain(value)


@register.filter
def aar(value):
    """{{ year|aar }}: a year, never with a thousands separator."""
    return formatting.year(value)


@register.filter
def dato(value, style=""):
    """{{ day|dato }} → '4. dec. 2026'; {{ day|dato:"lang" }} → '4. december 2026'."""
    return formatting.date_da(value, long=style == "lang")


@register.filter
def tidspunkt(value, style=""):
    """{{ moment|tidspunkt }} → '4. dec. 2026 kl. 14.48' in Danish local time;
    {{ moment|tidspunkt:"sek" }} with seconds, {{ moment|tidspunkt:"lang" }} with the month in full."""
    return formatting.datetime_da(value, long=style == "lang", seconds=style == "sek")


@register.filter
def periode(code, survey_rounds=False):
    """{{ code|periode }}; {{ code|periode:indicator.survey_rounds }} names a survey round
    (REKRUT's half-year) by its posting window."""
    return formatting.period_label(str(code), survey_round=bool(survey_rounds))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def download(table, fmt):
    return table.download_url(fmt)


@register.inclusion_tag("web/_table.html")
def datatable(table, sortable=False, period=None):
    """Render a DataTable: Danish text on the page, raw numbers in data-sort for sorting."""
    rows = []
    for row in table.rows:
        cells = []
        for column in table.columns:
            raw = row.get(column.key)
            sort = "" if raw is None or column.kind not in ("pct", "count", "pp", "int") else raw
            cells.append({"kind": column.kind, "text": table.shown(row, column), "sort": sort,
                          "code": row.get("code") if column.kind == "link" else None})
        rows.append({"code": row.get("code"), "cells": cells})
    return {"table": table, "rows": rows, "sortable": sortable, "period": period}


@register.inclusion_tag("web/_chart.html")
def chart(spec, chart_id, label):
    return {"spec": spec, "chart_id": chart_id, "spec_id": f"{chart_id}-spec", "label": label}
