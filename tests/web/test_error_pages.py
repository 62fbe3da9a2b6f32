"""403, 404 and 500 are Danish pages of the site, with its navigation, when DEBUG is off."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db

NAVIGATION = ('aria-label="Hovedmenu"', "Landsoverblik", "Indikatorer", "Planer")


def assert_site_page(html: str, heading: str, code: int) -> None:
    assert '<html lang="da">' in html
    assert f"<h1>{heading}</h1>" in html
    assert f"Fejlkode {code}." in html
    for text in NAVIGATION:
        assert text in html, text
    assert "Not Found" not in html and "Server Error" not in html


def test_an_unknown_address_is_a_danish_404_with_navigation(client, settings):
    settings.DEBUG = False
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert_site_page(response.content.decode(), "Siden findes ikke", 404)


def test_a_refused_page_is_a_danish_403_with_navigation(client, settings, django_user_model):
    settings.DEBUG = False
    user = django_user_model.objects.create_user("laeser", password="x-jobmaal-1")
    client.force_login(user)
    response = client.get("/import/")  # staff only
    assert response.status_code == 403
    assert_site_page(response.content.decode(), "Du har ikke adgang til siden", 403)


def test_a_server_error_is_a_danish_500_with_navigation(settings):
    settings.DEBUG = False
    request = RequestFactory().get("/kommune/101/")
    request.user = AnonymousUser()
    response = defaults.server_error(request)
    assert response.status_code == 500
    assert_site_page(response.content.decode(), "Der opstod en fejl hos os", 500)
