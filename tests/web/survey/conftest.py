"""Users of every role, the shipped 2022 and 2023 questionnaires and an open 2023 round.

Municipality 101 (København) is the one answered for; 147 (Frederiksberg) is "another
municipality"; the shared-centre editor holds 101 and 147 and answers each separately."""

from __future__ import annotations

import datetime as dt

import pytest

OWN, OTHER = 101, 147


@pytest.fixture
def questionnaires(db) -> dict:
    from jobmaal.web.survey import datafile

    q2022 = datafile.load_questionnaire(datafile.shipped(2022))
    q2023 = datafile.load_questionnaire(datafile.shipped(2023))
    return {2022: q2022, 2023: q2023}


@pytest.fixture
def open_round(users, questionnaires):
    """The 2023 questionnaire's round, open from yesterday for two weeks."""
    from django.utils import timezone

    from jobmaal.web.survey import services

    today = timezone.localdate()
    return services.open_round(
        users["kl"],
        questionnaires[2023],
        name="Rundspørge 2023",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=14),
    )


# A complete, valid 2023 answer as the form posts it (v1 = ja shows v2; t1 = ja shows t2 and t3 …).
COMPLETE = {
    "q_v1": "ja",
    "q_v2": ["principper", "breve"],
    "q_v3": "4",
    "q_b1": "nej",
    "q_t1": "ja",
    "q_t2": ["aarlig"],
    "q_t3": "81,5",
    "q_m1": "ja",
    "q_m2": "Svar inden for fem dage.",
    "q_m3": "udvalg",
    "q_k1": "ja_nogle",
    "q_k2": "40",
    "q_e1": "4",
    "q_e2": ["ledelse"],
    "q_e3": ["it"],
    "q_e4": "Hemmelig fritekst",
}


def post_answer(client, round_, code: int, data: dict, *, action: str = "gem", version: int | None = None):
    from django.urls import reverse

    from jobmaal.web.survey.models import Answer

    if version is None:
        version = Answer.objects.get(round=round_, municipality_code=code).version
    return client.post(
        reverse("survey:answer", args=[round_.pk, code]),
        {**data, "version": str(version), "handling": action},
    )
