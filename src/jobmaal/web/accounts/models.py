"""A user's role and the municipalities it covers.

Four roles: the ministry/STAR (sees everything, manages catalogue and releases, is Django staff),
KL (runs the survey, reads everything), and a municipality's editor or reader. Editors and readers
hold one or more municipality grants (a job centre shared by two municipalities is given both).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    MINISTRY = "ministry", "Ministeriet/STAR"
    KL = "kl", "KL"
    EDITOR = "editor", "Kommune – redaktør"
    READER = "reader", "Kommune – læser"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="bruger", on_delete=models.CASCADE,
                                related_name="profile")
    role = models.CharField("rolle", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = "rolle"
        verbose_name_plural = "roller"

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class MunicipalityGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bruger", on_delete=models.CASCADE,
                             related_name="municipality_grants")
    municipality_code = models.PositiveSmallIntegerField("kommunekode")

    class Meta:
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        constraints = [models.UniqueConstraint(fields=["user", "municipality_code"],
                                               name="one_grant_per_user_and_municipality")]

    def __str__(self) -> str:
        return str(self.municipality_code)
