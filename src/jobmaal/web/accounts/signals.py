"""A role carries its Django admin rights: the ministry is staff and may manage users, roles and
releases and read plans; every other role is not staff. Set whenever a role is saved."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models.signals import post_save
from django.dispatch import receiver

from jobmaal.web.accounts.models import Profile, Role

# app label → the permission codenames the ministry gets in the admin
MINISTRY_PERMISSIONS = {
    "auth": ["add_user", "change_user", "delete_user", "view_user", "view_group"],
    "accounts": ["add_profile", "change_profile", "delete_profile", "view_profile", "add_municipalitygrant",
                 "change_municipalitygrant", "delete_municipalitygrant", "view_municipalitygrant"],
    "web": ["view_release", "change_release", "delete_release"],
    "followup": ["view_plan", "view_auditentry"],
    "survey": ["view_round", "view_answer", "view_auditentry"],
}


def ministry_permissions() -> list[Permission]:
    found = []
    for app, codenames in MINISTRY_PERMISSIONS.items():
        found += Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
    return found


@receiver(post_save, sender=Profile)
def apply_role_rights(sender, instance: Profile, **kwargs) -> None:
    user = instance.user
    ministry = instance.role == Role.MINISTRY
    if user.is_superuser:
        return
    if user.is_staff != ministry:
        user.is_staff = ministry
        user.save(update_fields=["is_staff"])
    if ministry:
        user.user_permissions.add(*ministry_permissions())
    else:
        user.user_permissions.clear()
