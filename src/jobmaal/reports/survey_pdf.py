"""The results of KL's survey round as a PDF: per question the national distribution against last
year's round, by region and RAR area, and (for KL and the ministry) the free-text answers.

The web layer fills the plain records below (web/survey/results.py); this module only lays them
out with the shared Typst machinery (reports/typst_doc.py). Nothing here imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jobmaal import formats
from jobmaal.charts import render_svg
from jobmaal.reports import typst_doc as td
from jobmaal.reports.typst_doc import Markup


@dataclass(frozen=True)
class OptionShare:
    """One answer option: how many chose it and its share of those who answered the question."""

    value: str
    label: str
    count: int
    share: float | None  # percent
    previous_share: float | None = None


@dataclass(frozen=True)
class GroupTable:
    """A table already in Danish text: the question by region or by RAR area."""

    title: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class QuestionResult:
    code: str
    text: str
    kind: str  # single, multi, scale, number, text
    kind_label: str
    section: str
    n: int  # municipalities that answered the question
    options: list[OptionShare] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    previous_label: str = ""  # e.g. "2022 (spørgsmål v3)"; empty without a mapped question
    previous_n: int | None = None
    previous_mean: float | None = None
    groups: list[GroupTable] = field(default_factory=list)
    texts: list[tuple[str, str]] | None = None  # (municipality, text); None when not shown to the reader
    own_answers: list[tuple[str, str]] = field(default_factory=list)  # (municipality, answer)
    chart_spec: dict[str, Any] | None = None
    condition: str = ""


@dataclass
class SurveyReport:
    title: str
    round_name: str
    year: int
    status_label: str
    invited: int
    submitted: int
    demo: bool
    generated_at: datetime
    questions: list[QuestionResult]
    previous_round_name: str = ""
    free_text_shown: bool = False
    small_groups_hidden: bool = False
    national_hidden: bool = False  # an open round with fewer than 3 answers: no national result yet


NATIONAL_HIDDEN_DA = ("Runden er åben, og færre end 3 kommuner har svaret; resultatet for hele landet "
                      "vises først, når mindst 3 har, så ingen kommunes svar kan udledes.")


def number_text(value: float | None, digits: int = 1) -> str:
    return formats.decimal(value, digits)


def share_text(value: float | None) -> str:
    return "–" if value is None else number_text(value, 0) + " %"


def render_survey_pdf(report: SurveyReport, *, with_charts: bool = True) -> bytes:
    """The report as PDF bytes (charts as SVG beside the Typst source)."""
    files: dict[str, bytes] = {}
    parts = [
        td.preamble(
            report.title,
            synthetic=report.demo,
            header=f"{report.title} – {report.round_name}",
            footer=f"Dannet {formats.datetime_da(report.generated_at)} af Jobmål",
        )
    ]
    parts.append(f"= {td.escape(report.title)}")
    if report.demo:
        parts.append(
            '#block(width: 100%, fill: rgb("#FCEAE8"), stroke: 1pt + rgb("#B3261E"), inset: 8pt)'
            '[#text(weight: "bold")[Genererede demo-svar] \\ Svarene i denne rapport er genereret til '
            "demonstration og er ikke kommunernes rigtige svar.]"
        )
    intro = (
        f"{report.round_name}. Status: {report.status_label.lower()}. {report.submitted} af "
        f"{report.invited} kommuner har indsendt en besvarelse; andelene er af de kommuner, der har "
        f"besvaret det enkelte spørgsmål."
    )
    if report.previous_round_name:
        intro += f" Sammenlignet med {report.previous_round_name}, hvor spørgsmålet er det samme."
    parts.append(td.escape(intro))
    if report.national_hidden:
        parts.append(td.escape(NATIONAL_HIDDEN_DA))
    if report.small_groups_hidden:
        parts.append(
            td.escape(
                "Regioner og RAR-områder med færre end 3 svar vises ikke, og heller ikke et område, "
                "der ved at trække fra ville afsløre dem, så ingen kommunes svar kan udledes."
            )
        )
    if not report.free_text_shown:
        parts.append(td.escape("Fritekstsvar vises kun for KL og Beskæftigelsesministeriet."))
    section = None
    for k, q in enumerate(report.questions):
        if q.section != section:
            section = q.section
            parts.append(f"== {td.escape(section)}")
        parts.append(f"=== {td.escape(q.code)}. {td.escape(q.text)}")
        meta = f"{q.kind_label}. {q.n} {'kommune' if q.n == 1 else 'kommuner'} har svaret."
        if q.previous_label:
            meta += f" Sammenlignes med {q.previous_label}."
        if q.condition:
            meta += " " + q.condition
        parts.append(f"#text(size: 9pt, fill: luma(80))[{td.escape(meta)}]")
        if with_charts and q.chart_spec:
            name = f"chart{k}.svg"
            files[name] = render_svg(q.chart_spec).encode("utf-8")
            parts.append(td.image(name, width="85%"))
        parts.extend(_question_tables(q))
    return td.compile_pdf("\n\n".join(parts), files, timestamp=None)


def _question_tables(q: QuestionResult) -> list[str]:
    out = []
    if q.options:
        has_prev = bool(q.previous_label)
        headers = ["Svar", "Antal", "Andel"] + (["Sidste år"] if has_prev else [])
        rows = [
            [o.label, str(o.count), share_text(o.share)]
            + ([share_text(o.previous_share)] if has_prev else [])
            for o in q.options
        ]
        out.append(
            td.table(
                headers,
                rows,
                columns=["3fr", "1fr", "1fr"] + (["1fr"] if has_prev else []),
                align=["left", "right", "right"] + (["right"] if has_prev else []),
                size="9pt",
            )
        )
    if q.kind in ("scale", "number"):
        facts = [f"Gennemsnit: {number_text(q.mean)}"]
        if q.kind == "number":
            facts += [
                f"median: {number_text(q.median)}",
                f"mindst: {number_text(q.minimum)}",
                f"størst: {number_text(q.maximum)}",
            ]
        if q.previous_label:
            facts.append(f"gennemsnit sidste år: {number_text(q.previous_mean)}")
        out.append(td.escape(", ".join(facts) + "."))
    for group in q.groups:
        if group.rows:
            out.append(f'#text(weight: "bold", size: 9pt)[{td.escape(group.title)}]')
            out.append(
                td.table(
                    group.headers,
                    group.rows,
                    align=["left"] + ["right"] * (len(group.headers) - 1),
                    size="8pt",
                )
            )
    if q.own_answers:
        out.append(td.table(["Kommunens svar", ""], [[a, b] for a, b in q.own_answers], size="9pt"))
    if q.texts is not None and q.kind == "text":
        if q.texts:
            out.append(
                td.table(
                    ["Kommune", "Svar"], [[m, t] for m, t in q.texts], columns=["1fr", "3fr"], size="8pt"
                )
            )
        else:
            out.append(td.escape("Ingen fritekstsvar."))
    return out or [Markup("")]
