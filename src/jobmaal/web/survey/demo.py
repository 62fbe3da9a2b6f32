"""Demo survey: the shipped 2022 and 2023 questionnaires, each with a closed round in which all 98
municipalities have answered. The answers are generated (seeded, so the same every time), marked
`demo` and labelled «Genererede demo-svar» wherever they are shown.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from jobmaal.geography import load_geography
from jobmaal.web.survey import datafile, rules, services
from jobmaal.web.survey.models import Answer, Kind, Question, Questionnaire, Round, State
from jobmaal.web.survey.services import audit

DEMO_SEED = 2023
ROUNDS = {
    2022: ("Rundspørge om værdighed 2022", dt.date(2022, 9, 1), dt.date(2022, 10, 14)),
    2023: ("Rundspørge om værdighed 2023", dt.date(2023, 9, 1), dt.date(2023, 10, 13)),
}
TEXTS = {
    "m2": [
        "Alle ledige skal opleve at blive mødt til tiden og få svar inden for fem arbejdsdage.",
        "Mindst 80 pct. af borgerne skal svare, at de er blevet mødt med respekt og tillid.",
        "Borgeren skal være med til at sætte dagsordenen for alle samtaler.",
        "Færre men bedre samtaler: hver samtale skal have et formål, borgeren kender på forhånd.",
        "Alle breve skal være skrevet i et klart sprog og testet med borgere.",
    ],
    "e4": [
        "Det har virket at lade borgerne læse vores breve igennem, før de blev sendt ud.",
        "Værdighed bliver konkret, når vi taler om den på teammøderne med eksempler fra praksis.",
        "Proceskravene i loven fylder meget og gør det svært at give tid til den enkelte.",
        "Vi savner en fælles måde at måle borgernes oplevelse på, så vi kan sammenligne os.",
        "Et borgerpanel har givet os nye idéer til, hvordan mødet med jobcenteret kan blive bedre.",
        "",
    ],
}


OPEN_YEAR = 2024
# The demo users' municipalities (web/followup/demo.py) have not answered the open round, so
# they can try the form.
KEEP_UNANSWERED = (101, 147, 461, 561, 563, 751)


def ensure_demo_survey() -> list[Round]:
    """Load the shipped questionnaires and their closed demo rounds, and an open 2024 round (a
    copy of 2023) that most municipalities have answered; idempotent."""
    made = []
    for year in sorted(ROUNDS):
        with transaction.atomic():
            questionnaire = Questionnaire.objects.filter(year=year).order_by("-version").first()
            if questionnaire is None:
                questionnaire = datafile.load_questionnaire(datafile.shipped(year))
            if Round.objects.filter(questionnaire__year=year).exists():
                continue
            made.append(make_demo_round(questionnaire))
    if not Questionnaire.objects.filter(year=OPEN_YEAR).exists():
        made.append(
            make_open_demo_round(Questionnaire.objects.filter(year=max(ROUNDS)).order_by("-version")[0])
        )
    return made


def make_open_demo_round(source: Questionnaire) -> Round:
    """A copy of `source` for OPEN_YEAR (each question «the same» as its source) with a round open
    from two weeks ago for a month: about 70 % submitted, 10 % started, the rest not yet."""
    with transaction.atomic():
        questionnaire = services.copy_as_system(source, OPEN_YEAR)
        for question in questionnaire.questions.filter(text__contains=str(source.year)):
            question.text = question.text.replace(str(source.year), str(OPEN_YEAR))
            question.save(update_fields=["text"])
        today = timezone.localdate()
        r = Round.objects.create(
            questionnaire=questionnaire,
            name=f"Rundspørge om værdighed {OPEN_YEAR}",
            opens_on=today - dt.timedelta(days=14),
            closes_on=today + dt.timedelta(days=30),
            demo=True,
        )
        questions = questionnaire.ordered_questions()
        now = timezone.now()
        answers = []
        for code in load_geography().municipality_codes:
            pick = random.Random(f"{DEMO_SEED}-open-{code}").random()
            answer = Answer(round=r, municipality_code=code)
            if code not in KEEP_UNANSWERED and pick < 0.8:
                answer.values = demo_values(questions, code, OPEN_YEAR)
                answer.demo = True
                answer.updated_at, answer.updated_by = now, "demo"
                answer.state = State.SUBMITTED if pick < 0.7 else State.DRAFT
                if answer.state == State.SUBMITTED:
                    answer.submitted_at, answer.submitted_by = now, "demo"
                else:
                    answer.values = dict(list(answer.values.items())[:4])
            answers.append(answer)
        Answer.objects.bulk_create(answers)
        audit(
            None,
            "round",
            f"Demo-runden «{r.name}» med genererede svar oprettet",
            round=r,
            questionnaire=questionnaire,
        )
    return r


def make_demo_round(questionnaire: Questionnaire) -> Round:
    name, opens_on, closes_on = ROUNDS.get(
        questionnaire.year,
        (
            f"Rundspørge om værdighed {questionnaire.year}",
            dt.date(questionnaire.year, 9, 1),
            dt.date(questionnaire.year, 10, 15),
        ),
    )
    r = Round.objects.create(
        questionnaire=questionnaire, name=name, opens_on=opens_on, closes_on=closes_on, demo=True
    )
    questions = questionnaire.ordered_questions()
    submitted_at = timezone.make_aware(dt.datetime.combine(closes_on, dt.time(12)))
    answers = []
    for code in load_geography().municipality_codes:
        values = demo_values(questions, code, questionnaire.year)
        answers.append(
            Answer(
                round=r,
                municipality_code=code,
                state=State.SUBMITTED,
                values=values,
                demo=True,
                updated_at=submitted_at,
                updated_by="demo",
                submitted_at=submitted_at,
                submitted_by="demo",
            )
        )
    Answer.objects.bulk_create(answers)
    audit(
        None,
        "round",
        f"Demo-runden «{name}» med genererede svar oprettet",
        round=r,
        questionnaire=questionnaire,
    )
    return r


def demo_values(questions: list[Question], code: int, year: int) -> dict:
    """One municipality's generated answer: a seeded «maturity» per municipality (the same every
    year, a little higher each year) steers the answers, so years and questions hang together."""
    base = random.Random(DEMO_SEED * 1000 + code).random()
    maturity = min(1.0, base * 0.85 + 0.1 * (year - 2022) + 0.05)
    rng = random.Random(f"{DEMO_SEED}-{year}-{code}")
    values: dict = {}
    for q in questions:
        shown = rules.visible_codes(questions, values)
        if q.code not in shown:
            continue
        value = _value(q, maturity, rng)
        if value is not None:
            values[q.code] = rules.clean_value(q, value)
    return rules.keep_visible(questions, values)


def _value(q: Question, maturity: float, rng: random.Random):
    score = maturity + rng.gauss(0, 0.18)
    options = [value for value, _ in q.options]
    match q.kind:
        case Kind.SINGLE:
            # Options run from the most to the least developed practice.
            k = min(len(options) - 1, max(0, int((1 - score) * len(options))))
            return options[k]
        case Kind.MULTI:
            chosen = [o for o in options if o != "andet" and rng.random() < 0.2 + 0.5 * maturity]
            if rng.random() < 0.08:
                chosen.append("andet")
            return chosen or [options[0]]
        case Kind.SCALE:
            return min(5, max(1, round(1 + 4 * score)))
        case Kind.NUMBER:
            if rng.random() < 0.15:
                return None  # not known
            if q.max_value is not None and q.max_value <= 100:
                return min(100, max(0, round(60 + 30 * score + rng.gauss(0, 5))))
            return max(0, round(rng.lognormvariate(3.0, 0.7)))
        case Kind.TEXT:
            texts = TEXTS.get(q.code, TEXTS["e4"])
            return texts[rng.randrange(len(texts))] if rng.random() < 0.6 else None
    return None
