"""Written summaries: a few Danish sentences on one area and indicator, made by rules and
templates from the figures a page shows (no language model).

The sentences cover the level and its change on a year, the rank among the municipalities,
the gap to the expected level, the year-end forecast against the plan's target, and the
strongest and weakest breakdown group. A hidden (suppressed) or missing figure is never
described: its sentence is left out, or says only that the figure is not shown. Every number is
formatted with `jobmaal.formats` exactly as the page's tables format it, so a reader finds each
number of the text on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobmaal.analysis.forecast import Forecast, target_call_da
from jobmaal.formats import count, decimal, pct

# a change or gap that rounds to 0,0 is said as "the same"/"at", not "0,0 higher"
_ROUND = 0.05


@dataclass(frozen=True)
class GroupFigure:
    """One shown breakdown group: its dimension's and value's Danish names and its value."""

    dimension: str
    label: str
    value: float


@dataclass(frozen=True)
class SummaryFigures:
    """The figures one summary is made of; None where the page shows no number.

    `value` is None when hidden or missing (`suppressed` says which); `change` is the change on
    a year in the indicator's unit (percentage points for shares); `gap` is value − expected.
    """

    area_name: str  # "Odense", "RAR Fyn", "Hele landet"
    indicator_name: str
    period_text: str  # "2023", "marts 2023"
    unit: str  # "pct" or "antal"
    direction: str  # "up" or "down"
    value: float | None
    suppressed: bool = False
    missing: bool = False  # no row in the release (a value of None otherwise: nobody counted)
    change: float | None = None
    rank: int | None = None
    ranked_count: int = 0
    expected: float | None = None
    gap: float | None = None
    forecast: Forecast | None = None
    groups: list[GroupFigure] = field(default_factory=list)


def _amount(value: float, unit: str) -> str:
    return pct(value) if unit == "pct" else count(value)


def _difference(value: float, unit: str) -> str:
    """A positive difference: '0,9 pct.-point' for shares, '12' for counts."""
    return f"{decimal(abs(value))} pct.-point" if unit == "pct" else count(abs(value))


def _level_sentence(f: SummaryFigures) -> str:
    if f.value is None:
        why = ("er under diskretionsgrænsen og vises ikke" if f.suppressed
               else "findes ikke i udgivelsen" if f.missing
               else "kan ikke opgøres, da ingen personer indgår")
        return f"{f.area_name}s tal for {f.indicator_name.lower()} i {f.period_text} {why}."
    text = f"{f.area_name} ligger på {_amount(f.value, f.unit)} i {f.period_text}"
    if f.change is not None:
        if abs(f.change) < (_ROUND if f.unit == "pct" else 0.5):
            text += ", det samme som året før"
        else:
            way = "højere" if f.change > 0 else "lavere"
            text += f", {_difference(f.change, f.unit)} {way} end året før"
    return text + "."


def _rank_sentence(f: SummaryFigures) -> str | None:
    if f.value is None or f.rank is None or not f.ranked_count:
        return None
    return (f"Det giver en placering som nr. {f.rank} af {f.ranked_count} kommuner "
            f"(nr. 1 er bedst).")


def _gap_sentence(f: SummaryFigures) -> str | None:
    if f.value is None or f.gap is None or f.expected is None:
        return None
    if abs(f.gap) < _ROUND:
        return (f"Det svarer til det forventede niveau ud fra rammevilkårene "
                f"({_amount(f.expected, f.unit)}).")
    way = "over" if f.gap > 0 else "under"
    return (f"Det er {_difference(f.gap, f.unit)} {way} det forventede niveau ud fra "
            f"rammevilkårene ({_amount(f.expected, f.unit)}).")


def _forecast_sentence(f: SummaryFigures) -> str | None:
    r = f.forecast
    if r is None or not r.computable:
        return None
    text = (f"Prognosen for hele {r.year} er {pct(r.forecast)} "
            f"(90 %-interval {decimal(r.lower)}–{decimal(r.upper)})")
    if r.target is not None and r.p_target is not None:
        text += (f", så målet på {decimal(r.target)} {target_call_da(r.p_target)} "
                 f"(sandsynlighed {decimal(100 * r.p_target, 0)} %)")
    return text + "."


def _groups_sentence(f: SummaryFigures) -> str | None:
    """The best and worst shown group in the indicator's direction (shares only: the counts of
    groups of different sizes say nothing of strength)."""
    shown = [g for g in f.groups if g.value is not None]
    if f.unit != "pct" or len(shown) < 2:
        return None
    ordered = sorted(shown, key=lambda g: (g.value, g.dimension, g.label))
    low, high = ordered[0], ordered[-1]
    if high.value - low.value < _ROUND:
        return None
    best, worst = (high, low) if f.direction == "up" else (low, high)
    return (f"Stærkest står gruppen {best.dimension.lower()}: {best.label} "
            f"({pct(best.value)}), svagest {worst.dimension.lower()}: {worst.label} "
            f"({pct(worst.value)}).")


def summary_text_da(figures: SummaryFigures) -> str:
    """A few Danish sentences on the figures; hidden and missing figures are left out. When the
    level itself is hidden, the text says only that (a forecast of the year, or its groups,
    could otherwise hint at it)."""
    sentences = [_level_sentence(figures)]
    if figures.value is None:
        return sentences[0]
    for make in (_rank_sentence, _gap_sentence, _forecast_sentence, _groups_sentence):
        sentence = make(figures)
        if sentence:
            sentences.append(sentence)
    return " ".join(sentences)
