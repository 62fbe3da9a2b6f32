"""The one place that decides what a user may see and change. Views and the API ask here;
nothing else reads roles, so the rules are tested once (tests/web/accounts/test_roles.py)."""

from __future__ import annotations

from jobmaal.web.accounts.models import MunicipalityGrant, Profile, Role


def role_of(user) -> Role | None:
    """The user's role; a superuser counts as the ministry; anonymous users have none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.MINISTRY
    cached = getattr(user, "_jobmaal_role", False)
    if cached is not False:
        return cached
    profile = Profile.objects.filter(user=user).first()
    role = Role(profile.role) if profile else None
    user._jobmaal_role = role
    return role


def municipalities_of(user) -> frozenset[int]:
    """The municipality codes an editor or reader is granted (empty for other roles)."""
    if role_of(user) not in (Role.EDITOR, Role.READER):
        return frozenset()
    cached = getattr(user, "_jobmaal_codes", None)
    if cached is None:
        cached = frozenset(MunicipalityGrant.objects.filter(user=user)
                           .values_list("municipality_code", flat=True))
        user._jobmaal_codes = cached
    return cached


def reads_everything(user) -> bool:
    """The ministry and KL see every municipality's unpublished follow-up."""
    return role_of(user) in (Role.MINISTRY, Role.KL)


def is_ministry(user) -> bool:
    return role_of(user) == Role.MINISTRY


def is_kl(user) -> bool:
    return role_of(user) == Role.KL


def can_read_private(user, code: int) -> bool:
    """May see a municipality's unpublished plans, values and survey answers."""
    return reads_everything(user) or code in municipalities_of(user)


def can_edit(user, code: int) -> bool:
    """May change a municipality's plans and answers: only its own editors."""
    return role_of(user) == Role.EDITOR and code in municipalities_of(user)


def editable_municipalities(user) -> frozenset[int]:
    return municipalities_of(user) if role_of(user) == Role.EDITOR else frozenset()
