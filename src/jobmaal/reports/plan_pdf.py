"""A municipality's plan as a PDF for the city council (Typst).

First page: what the document is (municipality, year, revision, state, council meeting), how to
read the statuses, and an overview of every target. Then a section per goal: the focus and
efforts in the municipality's own words, the targets table, a trend chart per national target
with the target drawn in, and the local indicators with their values.
"""

from __future__ import annotations

from jobmaal.charts import render_svg
from jobmaal.reports import richtext
from jobmaal.reports import typst_doc as td
from jobmaal.reports.common import (
    DIRECTION_DA,
    STATUS_ORDER,
    date_text,
    period_text,
    plan_facts,
    status_colour,
    status_label,
    value_text,
)
from jobmaal.reports.figures import rendered_target_charts
from jobmaal.reports.model import GoalSection, LocalIndicatorRow, PlanReport, TargetRow


def render_plan_pdf(report: PlanReport) -> bytes:
    """The plan as PDF bytes."""
    source, files = plan_typst(report)
    return td.compile_pdf(source, files, timestamp=report.generated_at)


def plan_typst(report: PlanReport) -> tuple[str, dict[str, bytes]]:
    """The Typst source of the plan and the chart SVGs it places (name → bytes)."""
    charts = _chart_files(report)
    title = f"Beskæftigelsesplan {report.year} – {report.municipality_name}"
    parts = [
        td.preamble(title, synthetic=report.synthetic,
                    header=f"{report.municipality_name} · Beskæftigelsesplan {report.year} · "
                           f"revision {report.revision}",
                    footer=f"Dannet {date_text(report.generated_at)}"),
        _front_page(report),
    ]
    for goal in report.goals:
        parts.append(_goal(goal, report, charts))
    return "\n\n".join(parts), {name: svg for name, svg in charts.values()}


def status_markup(status: str, label: str = "") -> td.Markup:
    """A coloured dot and the status label (the label carries the meaning, the dot helps)."""
    return td.Markup(f'#box(baseline: 0.5pt, circle(radius: 3.3pt, fill: rgb("{status_colour(status)}")))'
                     f'#h(4pt){td.escape(status_label(status, label))}')


def value_markup(value: float | None, unit: str, period: str | None, indicator_id: str = "") -> td.Markup:
    """The value, with its period in small grey text below (a survey round by its window)."""
    text = td.escape(value_text(value, unit))
    if period:
        text += f' \\ #text(size: 7.5pt, fill: luma(95))[{td.escape(period_text(period, indicator_id))}]'
    return td.Markup(text)


def _front_page(report: PlanReport) -> str:
    info = plan_facts(report)
    grid_cells = ",\n  ".join(f"[#text(fill: luma(80))[{td.escape(k)}]], [{td.escape(v)}]" for k, v in info)
    out = []
    if report.synthetic:
        out.append(td.synthetic_banner())
        out.append("#v(6pt)")
    out.append(f'#text(size: 11pt, fill: rgb("{td.ACCENT}"), weight: "bold")'
               f'[Beskæftigelsesplan {report.year}]')
    out.append(f"#text(size: 24pt, weight: \"bold\")[{td.escape(report.municipality_name)}]")
    out.append("#text(size: 12pt)[Opfølgning på de beskæftigelsespolitiske mål]")
    out.append(f"#v(4pt)\n#grid(columns: (5.6cm, 1fr), row-gutter: 6pt, column-gutter: 10pt,\n"
               f"  {grid_cells},\n)")
    out.append("== Sådan læses status")
    out.append(
        "Status sammenligner udviklingen fra udgangspunktet til det seneste tal med den udvikling, der "
        "skal til for at nå målet i målperioden (Statistics Canadas metode, som i Open SDG). "
        "Forholdet mellem de to hastigheder giver status:"
    )
    legend = {
        "achieved": "det seneste tal opfylder målet",
        "on_track": "mindst 95 % af den nødvendige hastighed",
        "some_progress": "50–95 % af den nødvendige hastighed",
        "little_progress": "0–50 % af den nødvendige hastighed",
        "moving_away": "udviklingen går den forkerte vej",
        "not_assessable": "for få tal, eller tal mangler eller er diskretioneret",
    }
    rows = [[status_markup(s), legend[s]] for s in STATUS_ORDER]
    out.append("#[#set text(size: 9pt)\n#grid(columns: (5.6cm, 1fr), row-gutter: 5pt,\n  "
               + ",\n  ".join(f"[{a}], [{td.escape(b)}]" for a, b in rows) + ",\n)]")
    overview = [[f"{t.goal_number}", t.indicator_name, value_text(t.target_value, t.unit),
                 status_markup(t.status, t.status_label)]
                for g in report.goals for t in g.targets]
    overview += [[f"{li.goal_number}", f"{li.name} (lokal)", value_text(li.target_value, li.unit),
                  status_markup(li.status, li.status_label)]
                 for g in report.goals for li in g.local_indicators]
    if overview:
        out.append("== Overblik over målene")
        out.append(td.table(["Mål", "Indikator", "Måltal", "Status"], overview,
                            columns=["auto", "1fr", "auto", "auto"], align=["left", "left", "right", "left"],
                            size="9pt"))
    return "\n\n".join(out)


def _goal(goal: GoalSection, report: PlanReport, charts: dict[tuple[int, int], tuple[str, bytes]]) -> str:
    out = ["#pagebreak(weak: true)", f"= Mål {goal.number}: {td.escape(goal.title)}"]
    if goal.summary:
        out.append(f"== Kort fortalt\n\n{td.escape(goal.summary)}")
    for heading, text in (("Fokus", goal.focus), ("Indsatser", goal.efforts)):
        blocks = richtext.parse(text)
        if blocks:
            out.append(f"== {heading}")
            out.append(richtext.to_typst(blocks))
    if goal.targets:
        out.append("== Måltal")
        out.append(_targets_table(goal.targets))
        for k, target in enumerate(goal.targets):
            out.append(_target_detail(target, charts.get((goal.number, k))))
    if goal.local_indicators:
        out.append("== Lokale indikatorer")
        for indicator in goal.local_indicators:
            out.append(_local(indicator))
    if not (goal.targets or goal.local_indicators or goal.focus or goal.efforts):
        out.append("#text(fill: luma(90))[Kommunen har ikke beskrevet dette mål.]")
    return "\n\n".join(out)


def _targets_table(targets: list[TargetRow]) -> str:
    rows = [[t.indicator_name,
             value_markup(t.baseline_value, t.unit, t.baseline_period, t.indicator_id),
             value_markup(t.target_value, t.unit, t.target_period, t.indicator_id),
             value_markup(t.latest_value, t.unit, t.latest_period, t.indicator_id),
             status_markup(t.status, t.status_label)] for t in targets]
    return td.table(["Indikator", "Udgangspunkt", "Mål", "Seneste", "Status"], rows,
                    columns=["1fr", "auto", "auto", "auto", "auto"],
                    align=["left", "right", "right", "right", "left"], size="9pt")


def _target_detail(target: TargetRow, chart: tuple[str, bytes] | None) -> str:
    out = [f"=== {td.escape(target.indicator_name)} ({td.escape(target.indicator_id)})"]
    meta = (f"{DIRECTION_DA.get(target.direction, '')}. "
            f"Status: {status_label(target.status, target.status_label)}.")
    if target.explanation:
        meta += " " + target.explanation
    out.append(f"#text(size: 9pt)[{td.escape(meta)}]")
    if chart:
        out.append(td.image(chart[0], width="100%"))
    else:
        out.append("#text(size: 9pt, fill: luma(90))[Der er ingen tal at vise i et diagram.]")
    # Heading, text and chart stay on one page.
    return "#block(breakable: false)[\n" + "\n\n".join(out) + "\n]"


def _local(indicator: LocalIndicatorRow) -> str:
    out = [f"=== {td.escape(indicator.name)}"]
    if indicator.definition:
        out.append(f"#text(size: 9pt, style: \"italic\")[{td.escape(indicator.definition)}]")
    summary = [[value_markup(indicator.baseline_value, indicator.unit, indicator.baseline_period),
                value_markup(indicator.target_value, indicator.unit, indicator.target_period),
                DIRECTION_DA.get(indicator.direction, "–"),
                status_markup(indicator.status, indicator.status_label)]]
    out.append(td.table(["Udgangspunkt", "Mål", "Retning", "Status"], summary,
                        columns=["auto", "auto", "auto", "1fr"], align=["right", "right", "left", "left"],
                        size="9pt"))
    if indicator.values:
        rows = [[period_text(v.period), value_text(v.value, indicator.unit), v.comment or ""]
                for v in indicator.values]
        out.append(td.table(["Periode", "Værdi", "Bemærkning"], rows, columns=["auto", "auto", "1fr"],
                            align=["left", "right", "left"], size="9pt"))
    return "\n\n".join(out)


def _chart_files(report: PlanReport) -> dict[tuple[int, int], tuple[str, bytes]]:
    """(goal, target index) → (file name, SVG) for every target with values to draw."""
    svgs = rendered_target_charts(report, render_svg)
    return {key: (f"maal{key[0]}-{key[1]}.svg", svg.encode("utf-8")) for key, svg in svgs.items()}
