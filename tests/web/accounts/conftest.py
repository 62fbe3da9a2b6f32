"""Users for the account tests; passwords are hashed cheaply (hashing is Django's business)."""

from __future__ import annotations

import pytest

from jobmaal.web.accounts.models import Role

PASSWORD = "Hemmelig-kode-42"  # what make_user in tests/web/conftest.py gives every user


@pytest.fixture
def editor(make_user):
    return make_user("redaktoer", Role.EDITOR, (101,))
