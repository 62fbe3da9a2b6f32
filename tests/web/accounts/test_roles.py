"""roles.py decides every permission: who has which role, which municipalities, and what each
role may read and change."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from jobmaal.web.accounts import roles
from jobmaal.web.accounts.models import Profile, Role

KBH, FRB, AARHUS = 101, 147, 751


def test_a_superuser_counts_as_the_ministry_even_without_a_profile(django_user_model, db):
    boss = django_user_model.objects.create_superuser("chef", "chef@example.dk", "x")
    assert roles.role_of(boss) == Role.MINISTRY
    assert roles.reads_everything(boss) and roles.is_ministry(boss)
    assert not roles.can_edit(boss, KBH)  # editing a plan is the municipality's, not the ministry's


def test_an_inactive_user_has_no_role_and_no_municipalities(make_user):
    user = make_user("gammel", Role.EDITOR, (KBH,), is_active=False)
    assert roles.role_of(user) is None
    assert roles.municipalities_of(user) == frozenset()
    assert not roles.can_read_private(user, KBH) and not roles.can_edit(user, KBH)


def test_an_inactive_superuser_has_no_role(django_user_model, db):
    boss = django_user_model.objects.create_superuser("chef", "chef@example.dk", "x", is_active=False)
    assert roles.role_of(boss) is None and not roles.reads_everything(boss)


def test_anonymous_and_profileless_users_have_no_role():
    assert roles.role_of(AnonymousUser()) is None
    assert roles.role_of(None) is None
    assert not roles.can_read_private(AnonymousUser(), KBH)
    assert roles.editable_municipalities(AnonymousUser()) == frozenset()


def test_a_user_without_a_profile_sees_nothing_private(make_user):
    user = make_user("ingen")
    assert roles.role_of(user) is None
    assert not roles.can_read_private(user, KBH) and not roles.can_edit(user, KBH)


def test_an_editor_of_a_shared_job_centre_edits_both_municipalities_and_no_other(make_user):
    user = make_user("faelles", Role.EDITOR, (KBH, FRB))
    assert roles.municipalities_of(user) == {KBH, FRB}
    assert roles.editable_municipalities(user) == {KBH, FRB}
    assert roles.can_edit(user, KBH) and roles.can_edit(user, FRB)
    assert roles.can_read_private(user, FRB)
    assert not roles.can_edit(user, AARHUS) and not roles.can_read_private(user, AARHUS)
    assert not roles.reads_everything(user)


def test_a_reader_reads_but_does_not_edit(make_user):
    user = make_user("laeser", Role.READER, (KBH,))
    assert roles.can_read_private(user, KBH)
    assert not roles.can_edit(user, KBH)
    assert roles.editable_municipalities(user) == frozenset()
    assert not roles.can_read_private(user, FRB)


def test_kl_and_the_ministry_read_everything_and_edit_nothing(make_user):
    for name, role in (("kl", Role.KL), ("star", Role.MINISTRY)):
        user = make_user(name, role)
        assert roles.role_of(user) == role
        assert roles.reads_everything(user)
        assert all(roles.can_read_private(user, code) for code in (KBH, FRB, AARHUS))
        assert not any(roles.can_edit(user, code) for code in (KBH, FRB, AARHUS))
        assert roles.is_kl(user) == (role == Role.KL)


def test_grants_count_only_for_municipal_roles(make_user):
    """A stray grant on a KL user gives no municipality (KL reads all, edits none)."""
    user = make_user("kl", Role.KL, (KBH,))
    assert roles.municipalities_of(user) == frozenset()
    assert not roles.can_edit(user, KBH)


def test_the_role_is_read_once_per_user_object(make_user, django_assert_num_queries):
    user = make_user("laeser", Role.READER, (KBH,))
    roles.can_read_private(user, KBH)
    with django_assert_num_queries(0):
        roles.can_read_private(user, FRB)
        roles.can_edit(user, KBH)
    Profile.objects.filter(user=user).update(role=Role.EDITOR)
    assert roles.can_edit(type(user).objects.get(pk=user.pk), KBH)  # a new request sees the change
