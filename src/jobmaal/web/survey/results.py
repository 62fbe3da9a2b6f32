"""A round's results: per question the national distribution, by region and RAR area, against the
mapped question of last year's round, the viewer's own answers, and the goal-1 key figures.

Only submitted answers count. Who sees what: everybody logged in sees the national picture;
a region or RAR area with fewer than MIN_GROUP answers is hidden from municipal users (Bornholm
alone is a RAR area, so its figure would be its answer), and so is any further group that would
let them work it out by subtraction (Region Hovedstaden minus RAR Hovedstaden is Bornholm): the
engine's secondary suppression (`indicators.suppression`) on regions, RAR areas and the country;
free-text answers are shown only to KL and the ministry; a municipality's own answer only to its
own users (and KL and the ministry).
"""

from __future__ import annotations

import functools
import statistics
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from jobmaal.charts.survey import ShareBar, distribution_chart
from jobmaal.geography import load_geography
from jobmaal.indicators.suppression import PRIMARY, SECONDARY, Equations, protect_exhaustive
from jobmaal.reports.survey_pdf import (
    GroupTable,
    OptionShare,
    QuestionResult,
    SurveyReport,
    number_text,
    share_text,
)
from jobmaal.web.accounts.roles import can_read_private, municipalities_of, reads_everything
from jobmaal.web.survey import rules
from jobmaal.web.survey.models import Answer, Kind, Question, Round, State

MIN_GROUP = 3
SECONDARY_DA = "skjult, så små grupper ikke kan udledes"


@dataclass
class Stats:
    n: int
    counts: dict[str, int]
    shares: dict[str, float]
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None


def submitted(round_: Round) -> dict[int, dict]:
    """Municipality code → values of the submitted answers of the round."""
    return {a.municipality_code: a.values for a in Answer.objects.filter(round=round_, state=State.SUBMITTED)}


def question_stats(question: Question, values: list) -> Stats:
    """Counts and shares (percent of those who answered) per option; mean etc. for numbers."""
    answered = [v for v in values if v not in (None, "", [])]
    n = len(answered)
    counts: Counter = Counter()
    numbers: list[float] = []
    if question.kind in (Kind.SINGLE, Kind.SCALE):
        counts.update(str(v) for v in answered)
    elif question.kind == Kind.MULTI:
        for v in answered:
            counts.update(str(x) for x in v)
    if question.kind in (Kind.SCALE, Kind.NUMBER):
        numbers = [float(v) for v in answered]
    options = list(question.option_labels())
    shares = {o: 100.0 * counts.get(o, 0) / n for o in options} if n else {}
    stats = Stats(n=n, counts={o: counts.get(o, 0) for o in options}, shares=shares)
    if numbers:
        stats.mean = statistics.fmean(numbers)
        stats.median = statistics.median(numbers)
        stats.minimum, stats.maximum = min(numbers), max(numbers)
    return stats


def answer_text(question: Question, value) -> str:
    """An answer as a reader wants it: labels for choices, '4 – Overvejende enig' for the scale."""
    if value in (None, "", []):
        return "Ikke besvaret"
    labels = question.option_labels()
    match question.kind:
        case Kind.SINGLE:
            return labels.get(str(value), str(value))
        case Kind.MULTI:
            return "; ".join(labels.get(str(v), str(v)) for v in value)
        case Kind.SCALE:
            return f"{value} – {labels.get(str(value), '')}"
        case Kind.NUMBER:
            return number_text(float(value), 0 if question.whole_number else 1)
    return str(value)


def previous_round_of(question: Question) -> Round | None:
    """The round of the questionnaire that `question`'s «same question as» belongs to."""
    if question.same_as_id is None:
        return None
    return (
        Round.objects.filter(questionnaire_id=question.same_as.questionnaire_id).order_by("-opens_on").first()
    )


def latest_round(*, statuses: tuple[str, ...] = ("closed", "open"), year: int | None = None) -> Round | None:
    """The newest closed round, else the newest open one (the goal-1 key figures come from it);
    of `year`'s questionnaire when given, so closing next year's round leaves this year's alone."""
    today = timezone.localdate()
    rounds = Round.objects.select_related("questionnaire").order_by("-closes_on", "-pk")
    if year is not None:
        rounds = rounds.filter(questionnaire__year=year)
    rounds = list(rounds)
    for status in statuses:
        for r in rounds:
            if r.status(today) == status:
                return r
    return None


def _headers(question: Question, options: dict[str, str]) -> list[str]:
    if question.kind in (Kind.SINGLE, Kind.MULTI):
        return [*options.values()]
    if question.kind == Kind.SCALE:
        return ["Gennemsnit (1–5)", "Andel enige (4–5)"]
    return ["Gennemsnit", "Median"]


def _measures(question: Question, stats: Stats) -> list[str]:
    if question.kind in (Kind.SINGLE, Kind.MULTI):
        return [share_text(stats.shares.get(o)) for o in question.option_labels()]
    if question.kind == Kind.SCALE:
        agree = (stats.shares.get("4", 0) + stats.shares.get("5", 0)) if stats.n else None
        return [number_text(stats.mean), share_text(agree)]
    return [number_text(stats.mean), number_text(stats.median)]


_GROUPINGS = (("Efter region", "region", lambda m: m.region_name),
              ("Efter RAR-område", "rar", lambda m: m.rar))


def _groups() -> dict[tuple[str, str], list[int]]:
    """(kind, name) → municipality codes, for regions and RAR areas."""
    groups: dict[tuple[str, str], list[int]] = {}
    for _title, kind, key in _GROUPINGS:
        for m in load_geography().municipalities:
            groups.setdefault((kind, key(m)), []).append(m.code)
    return groups


def hidden_groups(answered: dict[tuple[str, str], int]) -> dict[tuple[str, str], str]:
    """Which regions and RAR areas a municipal user may not see, and why ('primary': fewer than
    MIN_GROUP answers; 'secondary': it would reveal such a group by subtraction).

    `answered` holds each group's number of answers. The groups are sums of their region × RAR
    intersections (never shown) and the country is the sum of either kind; secondary suppression
    hides the fewest groups so that no hidden one can be worked out. The number of answers of
    every group stays shown, so a group without answers never serves as a complement; the
    country is always shown (with fewer than MIN_GROUP answers in all it is itself the answers).
    """
    return dict(_hidden_groups(tuple(sorted(answered.items()))))


@functools.cache
def _hidden_groups(answered: tuple) -> tuple:
    answered = dict(answered)
    groups = _groups()
    names = sorted(groups)
    codes = {c for members in groups.values() for c in members}
    atoms = sorted({(r, a) for r, a in ((_member_of(c, "region"), _member_of(c, "rar")) for c in codes)})
    index = {g: i for i, g in enumerate(names)}
    country = len(names)
    atom_index = {a: country + 1 + i for i, a in enumerate(atoms)}
    equations = [(country, [index[g] for g in names if g[0] == kind]) for kind in ("region", "rar")]
    for g in names:
        parts = [atom_index[a] for a in atoms if (a[0] if g[0] == "region" else a[1]) == g[1]]
        equations.append((index[g], parts))
    n_cells = country + 1 + len(atoms)
    size = np.zeros(n_cells)
    size[:country] = [answered.get(g, 0) for g in names]
    primary = np.zeros(n_cells, bool)
    primary[:country] = (size[:country] > 0) & (size[:country] < MIN_GROUP)
    internal = np.zeros(n_cells, bool)
    internal[country + 1:] = True
    keep = np.zeros(n_cells, bool)
    keep[country] = True
    keep[:country] = size[:country] == 0  # shown as 0 answers: hiding it would protect nothing
    secondary = protect_exhaustive(size, primary, Equations.from_lists(equations),
                                   keep=keep, internal=internal)
    return tuple((g, PRIMARY if primary[i] else SECONDARY) for g, i in index.items()
                 if primary[i] or secondary[i])


def _member_of(code: int, kind: str) -> str:
    m = load_geography().municipality(code)
    return m.region_name if kind == "region" else m.rar


def group_tables(question: Question, answers: dict[int, dict], *, restricted: bool) -> list[GroupTable]:
    """The question by region and by RAR area: invited, answered and the figures per group."""
    options = question.option_labels()
    groups = _groups()
    stats_of = {g: question_stats(question, [answers[c].get(question.code) for c in codes if c in answers])
                for g, codes in groups.items()}
    hidden = hidden_groups({g: s.n for g, s in stats_of.items()}) if restricted else {}
    blank = [""] * (len(_headers(question, options)) - 1)
    tables = []
    for title, kind, _key in _GROUPINGS:
        rows = []
        for g in sorted(g for g in groups if g[0] == kind):
            name, codes, stats = g[1], groups[g], stats_of[g]
            if hidden.get(g) == PRIMARY:
                figures = [f"færre end {MIN_GROUP} svar", *blank]
            elif hidden.get(g) == SECONDARY:
                figures = [SECONDARY_DA, *blank]
            else:
                figures = _measures(question, stats) if stats.n else ["–"] * len(_headers(question, options))
            rows.append([name, str(len(codes)), str(stats.n), *figures])
        tables.append(
            GroupTable(
                title=title, headers=["Område", "Kommuner", "Svar", *_headers(question, options)], rows=rows
            )
        )
    return tables


def question_result(
    question: Question,
    answers: dict[int, dict],
    user,
    *,
    year: int,
) -> QuestionResult:
    geo = load_geography()
    full = reads_everything(user)
    stats = question_stats(question, [v.get(question.code) for v in answers.values()])
    prev_q = question.same_as
    prev_round = previous_round_of(question) if prev_q else None
    prev_stats = None
    if prev_q is not None and prev_round is not None:
        prev_stats = question_stats(prev_q, [v.get(prev_q.code) for v in submitted(prev_round).values()])
    prev_labels = prev_q.option_labels() if prev_q else {}
    options = (
        [
            OptionShare(
                value=o,
                label=label,
                count=stats.counts.get(o, 0),
                share=stats.shares.get(o),
                previous_share=(prev_stats.shares.get(o) if prev_stats and o in prev_labels else None),
            )
            for o, label in question.option_labels().items()
        ]
        if question.kind != Kind.NUMBER
        else []
    )
    if question.kind == Kind.TEXT:
        options = []
    result = QuestionResult(
        code=question.code,
        text=question.text,
        kind=question.kind,
        kind_label=question.get_kind_display(),
        section=question.section.title,
        n=stats.n,
        options=options,
        mean=stats.mean,
        median=stats.median,
        minimum=stats.minimum,
        maximum=stats.maximum,
        condition=rules.condition_text(question),
    )
    if prev_stats is not None:
        result.previous_label = f"{prev_round.questionnaire.year} (spørgsmål {prev_q.code})"
        result.previous_n = prev_stats.n
        result.previous_mean = prev_stats.mean
    if question.kind != Kind.TEXT:
        result.groups = group_tables(question, answers, restricted=not full)
    if question.kind == Kind.TEXT:
        result.texts = (
            [
                (geo.municipality(code).name, values[question.code])
                for code, values in sorted(answers.items(), key=lambda kv: geo.municipality(kv[0]).name)
                if values.get(question.code)
            ]
            if full
            else None
        )
    own = sorted(municipalities_of(user))
    result.own_answers = [
        (
            geo.municipality(code).name,
            answer_text(question, answers.get(code, {}).get(question.code))
            if code in answers
            else "Ikke indsendt",
        )
        for code in own
        if can_read_private(user, code)
    ]
    if options and stats.n:
        bars = [ShareBar(o.label, str(year), o.share) for o in options]
        if prev_stats is not None:
            bars += [ShareBar(o.label, str(prev_round.questionnaire.year), o.previous_share) for o in options]
        result.chart_spec = distribution_chart(
            bars, description=f"Fordelingen af svarene på {question.code}; tallene står i tabellen under."
        )
    return result


def too_few_to_show(round_: Round, submitted_count: int) -> bool:
    """An open round shows no national result until MIN_GROUP municipalities have answered: with
    one or two answers the country's figure is those municipalities' own answers."""
    return round_.status(timezone.localdate()) == "open" and submitted_count < MIN_GROUP


def _without_national(result: QuestionResult) -> QuestionResult:
    """The result with only what the viewer may see anyway: their own answers and free texts."""
    result.n = 0
    result.options = []
    result.mean = result.median = result.minimum = result.maximum = None
    result.groups = []
    result.chart_spec = None
    return result


def round_report(round_: Round, user) -> SurveyReport:
    """Every question's result for this viewer, as the page, the downloads and the PDF show it."""
    today = timezone.localdate()
    answers = submitted(round_)
    questions = round_.questionnaire.ordered_questions()
    results = [question_result(q, answers, user, year=round_.questionnaire.year) for q in questions]
    hidden = too_few_to_show(round_, len(answers))
    if hidden:
        results = [_without_national(r) for r in results]
    previous = {r.previous_label.split(" ")[0] for r in results if r.previous_label}
    return SurveyReport(
        title=round_.questionnaire.title,
        round_name=round_.name,
        year=round_.questionnaire.year,
        status_label=round_.status_label(today),
        invited=round_.answers.count(),
        submitted=len(answers),
        demo=round_.demo or round_.answers.filter(demo=True).exists(),
        generated_at=timezone.localtime(),
        questions=results,
        previous_round_name=(f"runden {', '.join(sorted(previous))}" if previous else ""),
        free_text_shown=reads_everything(user),
        small_groups_hidden=not reads_everything(user),
        national_hidden=hidden,
    )


# --- goal 1 key figures --------------------------------------------------------------------


def _headline_value(question: Question, stats: Stats) -> float | None:
    if not stats.n:
        return None
    if question.kind in (Kind.SINGLE, Kind.MULTI):
        return stats.shares.get(question.headline_value)
    return stats.mean


def _headline_text(question: Question, value: float | None) -> str:
    if value is None:
        return "–"
    if question.kind in (Kind.SINGLE, Kind.MULTI):
        return share_text(value)
    if question.kind == Kind.SCALE:
        return f"{number_text(value)} af 5"
    return number_text(value)


def goal1_summary(user, code: int | None = None, *, year: int | None = None) -> dict | None:
    """The key figures for goal 1 of `year`'s round (the newest round without a year): the
    country (and last year's round through the question mapping) and, when `code` is given and
    the user may see it, that municipality's answer. An open round with fewer than MIN_GROUP
    answers shows no country figure."""
    round_ = latest_round(year=year)
    if round_ is None:
        return None
    questions = [q for q in round_.questionnaire.ordered_questions() if q.headline]
    if not questions:
        return None
    answers = submitted(round_)
    too_few = too_few_to_show(round_, len(answers))
    own_values = None
    if code is not None and can_read_private(user, code):
        own = Answer.objects.filter(round=round_, municipality_code=code).first()
        own_values = own.values if own is not None and own.state == State.SUBMITTED else {}
    items = []
    for q in questions:
        stats = question_stats(q, [v.get(q.code) for v in answers.values()])
        value = _headline_value(q, stats)
        prev_text, prev_year = "", None
        prev_round = previous_round_of(q)
        if prev_round is not None:
            prev_stats = question_stats(
                q.same_as, [v.get(q.same_as.code) for v in submitted(prev_round).values()]
            )
            prev_q = q.same_as
            prev_value = (
                prev_stats.shares.get(q.headline_value)
                if q.kind in (Kind.SINGLE, Kind.MULTI) and prev_stats.n
                else prev_stats.mean
            )
            prev_text, prev_year = _headline_text(prev_q, prev_value), prev_round.questionnaire.year
        own_text = None
        if own_values is not None:
            own_text = answer_text(q, own_values.get(q.code)) if own_values else "Ikke indsendt"
        label = q.headline_label or q.text
        items.append(
            {
                "code": q.code,
                "label": label,
                "question": q.text,
                "country": "–" if too_few else _headline_text(q, value),
                "n": 0 if too_few else stats.n,
                "previous": prev_text,
                "previous_year": prev_year,
                "own": own_text,
            }
        )
    return {
        "round": round_,
        "status": round_.status(timezone.localdate()),
        "status_label": round_.status_label(timezone.localdate()),
        "submitted": len(answers),
        "invited": round_.answers.count(),
        "items": items,
        "demo": round_.demo or round_.answers.filter(demo=True).exists(),
        "own_shown": own_values is not None,
        "too_few": too_few,
        "min_group": MIN_GROUP,
    }
