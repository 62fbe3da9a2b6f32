"""The national status of the municipal follow-up as a PDF for the minister (Typst).

First page: the plans by state and the statuses of all targets per goal. Then per goal: how
many municipalities are at each status and which they are, the plans by state, and per
national indicator the country figure of the national page's period (the year) with its
change, the municipalities per status of their target, and a map of the 98 (credited to DAGI).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from jobmaal import formats
from jobmaal.charts import render_svg
from jobmaal.reports import typst_doc as td
from jobmaal.reports.common import (
    DAGI_CREDIT_DA,
    DIRECTION_DA,
    STATUS_ORDER,
    date_text,
    period_text,
    status_label,
    value_text,
)
from jobmaal.reports.figures import indicator_map
from jobmaal.reports.model import NationalGoalRow, NationalIndicatorRow, NationalReport
from jobmaal.reports.plan_pdf import status_markup

_MAP_THREADS = 4


def render_national_pdf(report: NationalReport) -> bytes:
    """The national report as PDF bytes."""
    source, files = national_typst(report)
    return td.compile_pdf(source, files, timestamp=report.generated_at)


def national_typst(report: NationalReport) -> tuple[str, dict[str, bytes]]:
    """The Typst source of the national report and the map SVGs it places (name → bytes)."""
    maps = _map_files(report)
    title = f"Beskæftigelsespolitiske mål {report.year} – status for kommunerne"
    parts = [
        td.preamble(title, synthetic=report.synthetic,
                    header=f"Beskæftigelsespolitiske mål {report.year} · national status",
                    footer=f"Dannet {date_text(report.generated_at)}"),
        _front_page(report),
    ]
    parts += [_goal(goal, maps) for goal in report.goals]
    return "\n\n".join(parts), dict(maps.values())


def _front_page(report: NationalReport) -> str:
    out = []
    if report.synthetic:
        out += [td.synthetic_banner(), "#v(6pt)"]
    out.append(f'#text(size: 11pt, fill: rgb("{td.ACCENT}"), weight: "bold")[Til beskæftigelsesministeren]')
    out.append(f"#text(size: 24pt, weight: \"bold\")[Beskæftigelsespolitiske mål {report.year}]")
    out.append("#text(size: 12pt)[Status for kommunernes beskæftigelsesplaner og opfølgning på målene]")
    out.append(f"#text(size: 9pt, fill: luma(80))[Datagrundlag: {td.escape(report.release_name or '–')}. "
               f"Dannet {td.escape(date_text(report.generated_at))}.]")
    if report.scope_note:
        out.append(f"#text(size: 9pt)[{td.escape(report.scope_note)}]")
    total = sum(report.plans_by_state.values())
    out.append("== Kommunernes planer")
    plan_rows = [[label, formats.count(n), _share(n, total)] for label, n in report.plans_by_state.items()]
    plan_rows.append([td.Markup("*I alt*"), td.Markup(f"*{formats.count(total)}*"), ""])
    out.append(td.table(["Planens status", "Kommuner", "Andel"], plan_rows,
                        columns=["1fr", "auto", "auto"], align=["left", "right", "right"], size="9pt"))
    out.append("== Status på målene")
    out.append("Antal kommuner med hver status på målet. En kommunes status på et mål er den mindst "
               "gunstige blandt dens måltal under målet, hver opgjort efter Statistics Canadas metode "
               "som i Open SDG: udviklingen fra udgangspunktet til seneste tal sammenlignet med den "
               "udvikling, der skal til for at nå målet.")
    headers = ["Mål", *(status_label(s) for s in STATUS_ORDER)]
    rows = [[td.Markup(f"*{goal.number}.* {td.escape(goal.title)}"),
             *(formats.count(goal.status_counts.get(s, 0)) for s in STATUS_ORDER)] for goal in report.goals]
    out.append(td.table(headers, rows, columns=["1fr"] + ["1.6cm"] * len(STATUS_ORDER),
                        align=["left"] + ["right"] * len(STATUS_ORDER), size="8pt"))
    return "\n\n".join(out)


def _goal(goal: NationalGoalRow, maps: dict[str, tuple[str, bytes]]) -> str:
    out = ["#pagebreak(weak: true)", f"= Mål {goal.number}: {td.escape(goal.title)}"]
    assessed = sum(goal.status_counts.values())
    same_as_indicator = len(goal.indicators) == 1 and goal.indicators[0].status_counts == goal.status_counts
    if not same_as_indicator:
        out.append(f"#text(size: 9pt)[Kommuner efter status på målet: den mindst gunstige blandt "
                   f"kommunens måltal under målet ({formats.count(assessed)} kommuner i alt)]")
        out.append(_status_table(goal.status_counts))
        out.append(_status_names(goal.status_municipalities))
    if not goal.indicators:
        out.append("#text(size: 9pt, fill: luma(80))[Målet har ingen national indikator; kommunerne "
                   "følger op med egne, lokale indikatorer, som indgår i optællingen ovenfor.]")
    for indicator in goal.indicators:
        out.append(_indicator(indicator, maps.get(indicator.indicator_id)))
    return "\n\n".join(out)


def _status_names(names: dict[str, list[str]]) -> str:
    """Which municipalities have each status: one line per status that any has."""
    lines = [f"{status_markup(s)}: {td.escape(', '.join(names[s]))}"
             for s in STATUS_ORDER if names.get(s)]
    if not lines:
        return ""
    return "#text(size: 8pt)[" + " \\\n".join(lines) + "]"  # Typst: a trailing backslash ends a line


def _status_table(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    rows = [[status_markup(s), formats.count(counts.get(s, 0)), _share(counts.get(s, 0), total)]
            for s in STATUS_ORDER]
    return td.table(["Status", "Antal", "Andel"], rows, columns=["1fr", "auto", "auto"],
                    align=["left", "right", "right"], size="9pt")


def _indicator(row: NationalIndicatorRow, map_file: tuple[str, bytes] | None) -> str:
    out = [f"== {td.escape(row.name)} ({td.escape(row.indicator_id)})"]
    change = formats.change_pp(row.change_pp) if row.unit == "pct" else formats.decimal(row.change_pp)
    out.append(f"Hele landet, {td.escape(period_text(row.period, row.indicator_id))}: "
               f"*{td.escape(value_text(row.country_value, row.unit))}* "
               f"({td.escape(change)} i forhold til samme periode året før). "
               f"{td.escape(DIRECTION_DA.get(row.direction, ''))}."
               + (f" Tællinger under {row.suppression_threshold} vises ikke (diskretion)."
                  if row.suppression_threshold else ""))
    if row.summary:
        out.append(td.escape(row.summary))
    counts = ("#text(size: 9pt)[Kommunernes mål for indikatoren efter status]\n\n"
              + _status_table(row.status_counts))
    names = _status_names(row.status_municipalities)
    if map_file:
        figure = (f"{td.image(map_file[0], width='100%')}\n\n"
                  f"#text(size: 8pt, fill: luma(80))[{td.escape(DAGI_CREDIT_DA)}.]")
        out.append(f"#grid(columns: (1fr, 1.15fr), column-gutter: 14pt, [{counts}], [{figure}])")
    else:
        out.append(counts)
    if names:
        out.append(names)
    return "#block(breakable: false)[\n" + "\n\n".join(out) + "\n]"


def _share(n: int, total: int) -> str:
    return f"{formats.decimal(100 * n / total, 0)} %" if total else "–"


def _map_files(report: NationalReport) -> dict[str, tuple[str, bytes]]:
    """indicator id → (file name, map SVG)."""
    rows = {row.indicator_id: row for goal in report.goals for row in goal.indicators}
    if not rows:
        return {}
    with ThreadPoolExecutor(max_workers=min(_MAP_THREADS, len(rows))) as pool:
        svgs = dict(zip(rows, pool.map(lambda r: render_svg(indicator_map(r)), rows.values()), strict=True))
    return {key: (f"kort-{key.lower().replace('_', '-')}.svg", svg.encode("utf-8"))
            for key, svg in svgs.items()}
