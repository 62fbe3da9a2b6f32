"""Demo users of every role and filled-in demo plans, for `jobmaal serve --demo`.

Everything made here is marked: plans carry `demo=True` (shown as "Demo-plan"), and the users
exist only in the demo database. Idempotent: running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from jobmaal.web.accounts.models import MunicipalityGrant, Profile, Role
from jobmaal.web.followup import services
from jobmaal.web.followup.models import LocalIndicator, Plan
from jobmaal.web.models import Release
from jobmaal.web.queries import facts_frame

DEMO_PASSWORD = "jobmaal-demo"
YEAR = 2023


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    codes: tuple[int, ...]
    name: str


DEMO_USERS = (
    DemoUser("ministeriet", Role.MINISTRY, (), "Ministeriet/STAR (demo)"),
    DemoUser("kl", Role.KL, (), "KL (demo)"),
    DemoUser("kbh-redaktoer", Role.EDITOR, (101,), "Redaktør, København (demo)"),
    DemoUser("kbh-laeser", Role.READER, (101,), "Læser, København (demo)"),
    DemoUser("odense-redaktoer", Role.EDITOR, (461,), "Redaktør, Odense (demo)"),
    DemoUser("aarhus-redaktoer", Role.EDITOR, (751,), "Redaktør, Aarhus (demo)"),
    DemoUser("frb-redaktoer", Role.EDITOR, (147,), "Redaktør, Frederiksberg (demo)"),
    DemoUser("esbjerg-fanoe-redaktoer", Role.EDITOR, (561, 563), "Redaktør, Jobcenter Esbjerg/Fanø (demo)"),
)

TEXTS = {
    1: ("Alle borgere skal opleve at blive mødt med respekt, tillid og forståelse for deres situation. "
        "Vi vil især styrke **borgerens indflydelse** på egen plan og mindske ventetid på svar.",
        "- Fast kontaktperson for alle ledige på kontanthjælp\n- Samtaler i øjenhøjde: alle "
        "sagsbehandlere på kursus i motiverende samtale\n- Halvårlig måling af borgertilfredshed"),
    2: ("Flere ledige skal have de kompetencer, virksomhederne efterspørger. Vi fokuserer på "
        "ufaglærte under 30 år og på brancher med mangel på arbejdskraft.",
        "- Brancheskift til bygge/anlæg, transport og sundhed\n- Jobrotation i samarbejde med "
        "erhvervsskolerne\n- Opkvalificering indtænkes i *alle* jobsamtaler"),
    3: ("Flere flygtninge og familiesammenførte skal i ordinær beskæftigelse. Vi vil have særligt "
        "fokus på **kvinder**, som i dag er længere fra arbejdsmarkedet.",
        "- IGU-forløb med lokale virksomheder\n- Virksomhedsrettet sprogundervisning\n"
        "- Mentorordning det første halve år i job"),
    4: ("Flere personer med handicap skal i job. Vi vil gøre kompenserende ordninger kendt blandt "
        "både borgere og virksomheder.",
        "- Handicapkonsulent i virksomhedsservice\n- Informationsmøder om personlig assistance og "
        "hjælpemidler"),
    5: ("Virksomhederne skal kunne få den arbejdskraft, de har brug for. Jobcentret skal være "
        "virksomhedernes første valg ved rekruttering.",
        "- Én indgang for virksomheder\n- Opfølgning inden for 24 timer på rekrutteringsbehov\n"
        "- Samarbejdsaftaler med de 50 største arbejdsgivere"),
}

LOCALS = (
    # goal, name, definition, unit, direction, baseline, target, values per quarter 2023
    (1, "Borgere der oplever at blive mødt med respekt",
     "Andel af adspurgte ledige, der svarer «enig» eller «meget enig» i, at de blev mødt med respekt "
     "ved seneste samtale. Kvartalsvis spørgeskema efter samtalen.",
     "pct", "up", 71.0, 80.0, (72.5, 74.0, 76.5)),
    (1, "Gennemsnitlig ventetid på svar i sager om hjælp",
     "Dage fra ansøgning til afgørelse i sager om kontanthjælp, median pr. kvartal.", "dage", "down",
     21.0, 14.0, (20.0, 22.0, 19.0)),
    (4, "Personer med handicap ansat med personlig assistance",
     "Antal personer i job med bevilget personlig assistance ved kvartalets udgang.", "antal", "up",
     40.0, 55.0, (42.0, 45.0, 47.0)),
)

# municipality → what to do with its demo plan, and the target offsets from the 2022 level (pp).
PLANS = {
    101: {"state": "published", "offsets": {"MM17": 0.5, "MM13": 3.0, "MM13_190": 2.0, "MM13_SELV": 2.0,
                                             "REKRUT": -2.0, "MM10": 1.0}},
    751: {"state": "published", "offsets": {"MM17": 0.3, "MM13": 2.0, "MM13_SELV": 1.5, "MM10": 2.0}},
    461: {"state": "submitted", "offsets": {"MM17": 0.2, "MM13": 4.0, "REKRUT": -1.0}},
    147: {"state": "draft", "offsets": {"MM13": 1.0}},
    561: {"state": "approved", "offsets": {"MM13": 2.0, "MM10": 0.5}},
}


def ensure_demo_users() -> list[DemoUser]:
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(username=demo.username)
        if created:
            user.first_name = demo.name
            user.email = f"{demo.username}@demo.jobmaal.dk"
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = demo.role == Role.MINISTRY
            user.save()
            Profile.objects.create(user=user, role=demo.role)
            for code in demo.codes:
                MunicipalityGrant.objects.create(user=user, municipality_code=code)
    return list(DEMO_USERS)


def ensure_demo_plans(release: Release | None) -> int:
    """Fill in a 2023 demo plan for each municipality in PLANS that has none; returns how many."""
    made = 0
    for code, spec in PLANS.items():
        if Plan.objects.filter(municipality_code=code, year=YEAR).exists():
            continue
        with transaction.atomic():
            _demo_plan(code, spec, release)
        made += 1
    return made


def _editor(code: int) -> User:
    name = next(d.username for d in DEMO_USERS if d.role == Role.EDITOR and code in d.codes)
    return User.objects.get(username=name)


def _demo_plan(code: int, spec: dict, release: Release | None) -> None:
    user = _editor(code)
    plan = services.create_plan(user, code, YEAR, demo=True)
    for goal, (focus, efforts) in TEXTS.items():
        plan = services.save_goal_text(user, plan, goal, plan.version, focus=focus, efforts=efforts)
    levels = _levels_2022(release, code)
    for indicator, offset in spec["offsets"].items():
        if indicator in levels:
            period, value = levels[indicator]
            plan = services.save_target(user, plan, indicator, plan.version, {
                "baseline_value": None, "baseline_period": period, "target_value": round(value + offset, 1),
                "target_period": services.shift_year(period), "comment": ""})
    for goal, name, definition, unit, direction, baseline, target, values in LOCALS:
        local = services.save_local_indicator(user, plan, None, plan.version, {
            "goal_number": goal, "name": name, "definition": definition, "unit": unit,
            "direction": direction, "baseline_value": baseline, "baseline_period": "2022Q4",
            "target_value": target, "target_period": "2023Q4"})
        plan = Plan.objects.get(pk=plan.pk)
        for quarter, value in enumerate(values, start=1):
            local = LocalIndicator.objects.get(pk=local.pk)
            plan = services.save_local_value(user, plan, local, plan.version, period=f"2023Q{quarter}",
                                             value=value, comment="")
    if spec["state"] == "draft":
        return
    plan = services.submit(user, plan, plan.version)
    if spec["state"] == "submitted":
        return
    plan = services.approve(user, plan, plan.version, dt.date(2022, 12, 14))
    if spec["state"] == "published":
        services.publish(user, plan, plan.version)


def _levels_2022(release: Release | None, code: int) -> dict[str, tuple[str, float]]:
    """The municipality's (or its RAR area's) figure for 2022 (or its second half, for half-yearly
    indicators) of each indicator, as the base of a demo target."""
    from jobmaal.catalogue import load_catalogue
    from jobmaal.web.followup.status import area_for

    if release is None:
        return {}
    catalogue = load_catalogue(YEAR)
    levels = {}
    for ind in catalogue.indicators:
        level, area, _ = area_for(ind, code)
        period = "2022H2" if ind.periodicity == "half_year" else "2022"
        facts = facts_frame(release, indicators=[ind.id], periods=[period], areas=[(level, area)])
        facts = facts[~facts.suppressed & facts.value.notna()]
        if not facts.empty:
            levels[ind.id] = (period, float(facts.iloc[0].value))
    return levels
