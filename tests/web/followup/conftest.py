"""A plan to work on; the users of every role come from tests/web/conftest.py. Municipality 101
(København) and 147 (Frederiksberg) are the two municipalities the tests use; 'editor' may
change only 101."""

from __future__ import annotations

import pytest

OWN, OTHER = 101, 147
YEAR = 2023


@pytest.fixture
def plan(users):
    from jobmaal.web.followup import services

    return services.create_plan(users["editor"], OWN, YEAR)
