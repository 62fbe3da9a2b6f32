"""The one place for how Jobmål's charts look: Danish number locale, palette, fonts, sizes.

Colours are the Okabe–Ito colour-blind-safe set, each with at least 3:1 contrast against the
white background (WCAG non-text contrast); the map's sequential scale keeps its lightest step
clearly apart from the two greys that mean "Diskretioneret" and "Ingen data".
"""

from __future__ import annotations

from typing import Any

# -- locale: Danish numbers and dates (d3-format / d3-time-format definitions) ------------------
NUMBER_LOCALE: dict[str, Any] = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["", " kr."],
}
TIME_LOCALE: dict[str, Any] = {
    "dateTime": "%A den %d. %B %Y %X",
    "date": "%d.%m.%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    "shortDays": ["søn.", "man.", "tirs.", "ons.", "tors.", "fre.", "lør."],
    "months": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
               "september", "oktober", "november", "december"],
    "shortMonths": ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.",
                    "okt.", "nov.", "dec."],
}

# -- value formats per catalogue unit ------------------------------------------------------------
UNIT_FORMAT = {"pct": ",.1f", "antal": ",.0f"}
UNIT_AXIS_TITLE = {"pct": "Procent", "antal": "Antal"}
UNIT_SUFFIX = {"pct": " %", "antal": ""}

# -- palette -------------------------------------------------------------------------------------
TEXT = "#222222"
MUTED_TEXT = "#555555"
GRID = "#E3E3E3"
BACKGROUND = "#FFFFFF"

# Trend lines by the role of the area; every colour ≥ 3:1 against white.
SERIES_STYLE: dict[str, dict[str, Any]] = {
    # role: colour, dash pattern ([] = solid), stroke width
    "kommune": {"color": "#0072B2", "dash": [], "width": 3.0},
    "forventet": {"color": "#0072B2", "dash": [6, 4], "width": 2.0},
    "jobcenter": {"color": "#D55E00", "dash": [], "width": 2.0},
    "rar": {"color": "#009E73", "dash": [], "width": 2.0},
    "region": {"color": "#CC79A7", "dash": [], "width": 2.0},
    "land": {"color": "#555555", "dash": [], "width": 2.0},
    "sammenlignelige": {"color": "#9E5A00", "dash": [2, 3], "width": 2.0},
    # the seasonally adjusted line beside its raw series (analysis/seasonal.py)
    "saesonkorrigeret": {"color": "#E69F00", "dash": [8, 3], "width": 2.5},
}
# Up to ten municipalities side by side (the comparison page): five colours, solid then dashed.
CHOSEN_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000")
CHOSEN_ROLES = tuple(f"valgt{i}" for i in range(1, 11))
for _i, _role in enumerate(CHOSEN_ROLES):
    SERIES_STYLE[_role] = {"color": CHOSEN_COLOURS[_i % 5], "dash": [] if _i < 5 else [6, 3],
                           "width": 2.0}
SERIES_ROLES: tuple[str, ...] = tuple(SERIES_STYLE)

PROVISIONAL_FILL = "#EDEDED"  # band behind provisional periods
HIGHLIGHT = "#D55E00"  # the chosen municipality in rankings; vermillion against blue bars
BAR = "#0072B2"
MAP_SCHEME = "blues"
MAP_SCHEME_EXTENT = (0.2, 1.0)  # skip the near-white start so "Ingen data" stays distinct
MAP_BORDER = "#FFFFFF"
MAP_HIGHLIGHT_STROKE = "#000000"
SUPPRESSED_FILL = "#8C8C8C"  # "Diskretioneret": mid grey, 3.4:1 against white
MISSING_FILL = "#DCDCDC"  # "Ingen data": light grey

SUPPRESSED_LABEL = "Diskretioneret"
MISSING_LABEL = "Ingen data"
PROVISIONAL_LABEL = "Foreløbige tal"
DAGI_CREDIT = "Indeholder data fra DAGI (Geodatastyrelsen)"

# -- sizes and type ------------------------------------------------------------------------------
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
WIDTH = 640
HEIGHT = 320
MAP_WIDTH = 560
MAP_HEIGHT = 480
BAR_STEP = 13


def config() -> dict[str, Any]:
    """The Vega-Lite `config` every Jobmål chart carries."""
    return {
        "locale": {"number": NUMBER_LOCALE, "time": TIME_LOCALE},
        "font": FONT,
        "background": BACKGROUND,
        "padding": 8,
        "view": {"stroke": None},
        "title": {
            "anchor": "start",
            "fontSize": 16,
            "fontWeight": "bold",
            "color": TEXT,
            "subtitleColor": MUTED_TEXT,
            "subtitleFontSize": 12,
            "offset": 12,
        },
        "axis": {
            "labelColor": TEXT,
            "titleColor": TEXT,
            "labelFontSize": 11,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "gridColor": GRID,
            "domainColor": MUTED_TEXT,
            "tickColor": MUTED_TEXT,
        },
        "legend": {
            "labelColor": TEXT,
            "titleColor": TEXT,
            "labelFontSize": 11,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "orient": "bottom",
            "direction": "horizontal",
            "columns": 4,
            "symbolStrokeWidth": 2.5,
            "labelLimit": 240,
        },
        "text": {"color": TEXT, "fontSize": 11},
    }
