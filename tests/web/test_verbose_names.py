"""Every model and field of the app has a Danish name, so the admin and the plan history never
show English ("Releases", "Audit entrys", "ROW COUNT")."""

from __future__ import annotations

import pytest
from django.apps import apps

APPS = ("web", "followup", "survey", "accounts")
# Field names that are the same word in Danish.
SAME_IN_DANISH = {"version", "revision", "demo", "definition", "manifest", "plan"}


def own_models():
    return [m for label in APPS for m in apps.get_app_config(label).get_models()]


@pytest.mark.parametrize("model", own_models(), ids=lambda m: m.__name__)
def test_model_and_fields_have_danish_verbose_names(model):
    meta = model._meta
    english = model.__name__.lower()
    if english not in SAME_IN_DANISH:
        assert meta.verbose_name.replace(" ", "") != english, model.__name__
        assert meta.verbose_name_plural != f"{meta.verbose_name}s", model.__name__
    for field in meta.concrete_fields:
        if field.primary_key or field.name in SAME_IN_DANISH:
            continue
        assert field.verbose_name != field.name.replace("_", " "), f"{model.__name__}.{field.name}"


@pytest.mark.django_db
def test_the_admin_index_is_danish(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "Udgivelser" in html and "Releases" not in html and "Audit entrys" not in html
