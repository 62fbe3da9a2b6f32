"""Logging in and out, changing and resetting a password, login throttling (django-axes: five
wrong passwords lock the user name from that address for 15 minutes), and the ministry's user
admin with role and municipalities."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from jobmaal.web.accounts.models import MunicipalityGrant, Profile, Role

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/konto/log-ind/"
NEW_PASSWORD = "Ny-og-lang-kode-2024"


def logged_in_as(client) -> str | None:
    from django.contrib.auth import get_user_model

    pk = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=pk).username if pk else None


def test_the_login_page_is_danish(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html and "<h1>Log ind</h1>" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert "Glemt adgangskode?" in html


def test_logging_in_through_the_login_page(client, editor):
    response = client.post(LOGIN, {"username": "redaktoer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/opfoelgning/"
    assert logged_in_as(client) == "redaktoer"
    assert client.get(LOGIN)["Location"] == "/opfoelgning/"  # already logged in


def test_logging_in_returns_to_the_page_asked_for_but_not_to_another_site(client, editor):
    response = client.post(LOGIN + "?next=/opfoelgning/101/2023/historik/",
                           {"username": "redaktoer", "password": PASSWORD,
                            "next": "/opfoelgning/101/2023/historik/"})
    assert response["Location"] == "/opfoelgning/101/2023/historik/"
    client.logout()
    response = client.post(LOGIN, {"username": "redaktoer", "password": PASSWORD,
                                   "next": "https://evil.example.com/"})
    assert response["Location"] == "/opfoelgning/"


def test_a_wrong_password_is_refused_in_danish(client, editor):
    response = client.post(LOGIN, {"username": "redaktoer", "password": "forkert"})
    assert response.status_code == 200
    assert logged_in_as(client) is None
    assert "Indtast venligst korrekt brugernavn og adgangskode" in response.content.decode()


def test_five_wrong_passwords_lock_the_user_even_with_the_right_one(client, editor):
    for _ in range(4):
        assert client.post(LOGIN, {"username": "redaktoer", "password": "forkert"}).status_code == 200
    assert client.post(LOGIN, {"username": "redaktoer", "password": "forkert"}).status_code == 429
    response = client.post(LOGIN, {"username": "redaktoer", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "For mange mislykkede login" in html
    assert "Brugeren er spærret i 15 minutter efter fem forkerte adgangskoder fra samme adresse." in html
    assert logged_in_as(client) is None


def test_four_wrong_passwords_do_not_lock_and_a_success_resets_the_count(client, editor):
    for _ in range(4):
        client.post(LOGIN, {"username": "redaktoer", "password": "forkert"})
    assert client.post(LOGIN, {"username": "redaktoer", "password": PASSWORD}).status_code == 302
    client.post("/konto/log-ud/")
    for _ in range(4):
        client.post(LOGIN, {"username": "redaktoer", "password": "forkert"})
    assert client.post(LOGIN, {"username": "redaktoer", "password": PASSWORD}).status_code == 302


def test_the_lock_is_per_user_name(client, editor, make_user):
    make_user("laeser", Role.READER, (101,))
    for _ in range(5):
        client.post(LOGIN, {"username": "redaktoer", "password": "forkert"})
    assert client.post(LOGIN, {"username": "laeser", "password": PASSWORD}).status_code == 302


def test_logging_out_takes_a_post(client, editor):
    client.force_login(editor)
    assert client.get("/konto/log-ud/").status_code == 405
    assert logged_in_as(client) == "redaktoer"
    response = client.post("/konto/log-ud/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_as(client) is None


def test_changing_the_password(client, editor):
    assert client.get("/konto/adgangskode/")["Location"].startswith(LOGIN)
    client.force_login(editor)
    assert "<h1>Skift adgangskode</h1>" in client.get("/konto/adgangskode/").content.decode()
    response = client.post("/konto/adgangskode/", {"old_password": "forkert", "new_password1": NEW_PASSWORD,
                                                   "new_password2": NEW_PASSWORD})
    assert response.status_code == 200
    response = client.post("/konto/adgangskode/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                   "new_password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/konto/adgangskode/skiftet/"
    assert "Adgangskoden er skiftet" in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD) and not editor.check_password(PASSWORD)
    assert logged_in_as(client) == "redaktoer"  # the session survives its own password change


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, editor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/konto/nulstil/", {"email": "redaktoer@example.dk"})
    assert response.status_code == 302 and response["Location"] == "/konto/nulstil/sendt/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["redaktoer@example.dk"]
    assert message.subject == "Ny adgangskode til Jobmål"
    assert message.body.startswith("Hej redaktoer")
    link = re.search(r"http://testserver(/konto/nulstil/[^/\s]+/[^/\s]+/)", message.body).group(1)

    response = client.get(link, follow=True)
    assert response.status_code == 200
    set_url = response.redirect_chain[-1][0]
    assert "<h1>Vælg ny adgangskode</h1>" in response.content.decode()
    assert 'name="new_password1"' in response.content.decode()
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/konto/nulstil/faerdig/"
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)

    assert "Linket er ugyldigt eller allerede brugt" in client.get(link, follow=True).content.decode()
    assert client.post(LOGIN, {"username": "redaktoer", "password": NEW_PASSWORD}).status_code == 302


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, editor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/konto/nulstil/", {"email": "ukendt@example.dk"}, follow=True)
    assert response.redirect_chain[-1][0] == "/konto/nulstil/sendt/"
    assert "Tjek din e-mail" in response.content.decode()
    assert mail.outbox == []


# --- the user admin -------------------------------------------------------------------------

@pytest.fixture
def ministry_staff(make_user):
    """A ministry user who is not a superuser: the role alone makes it staff with user rights."""
    user = make_user("star", Role.MINISTRY)
    user.refresh_from_db()
    assert user.is_staff and user.has_perm("auth.change_user") and user.has_perm("accounts.change_profile")
    return user


def test_a_role_other_than_the_ministry_takes_admin_rights_away(make_user):
    from jobmaal.web.accounts.models import Profile

    user = make_user("skifter", Role.MINISTRY)
    profile = Profile.objects.get(user=user)
    profile.role = Role.KL
    profile.save()
    user = type(user).objects.get(pk=user.pk)
    assert not user.is_staff and not user.has_perm("auth.change_user")


@pytest.fixture(params=["superuser", "staff"])
def admin_user(request, django_user_model, ministry_staff):
    if request.param == "superuser":
        return django_user_model.objects.create_superuser("chef", "chef@example.dk", PASSWORD)
    return ministry_staff


def test_the_ministry_opens_the_user_admin_with_roles_and_municipalities(client, admin_user, make_user):
    make_user("faelles", Role.EDITOR, (101, 147))
    client.force_login(admin_user)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kommune – redaktør" in html and "København, Frederiksberg" in html


def test_the_user_change_form_shows_role_and_municipalities(client, admin_user, editor):
    client.force_login(admin_user)
    response = client.get(f"/admin/auth/user/{editor.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="profile-0-role"' in html
    assert '<option value="editor" selected>Kommune – redaktør</option>' in html
    assert 'name="municipality_grants-0-municipality_code"' in html
    assert '<option value="101" selected>København (101)</option>' in html


def test_a_municipal_user_is_not_in_the_admin(client, make_user):
    user = make_user("redaktoer", Role.EDITOR, (101,))
    client.force_login(user)
    assert client.get("/admin/auth/user/")["Location"].startswith("/admin/login/")


def grants_of(user) -> list[int]:
    return list(MunicipalityGrant.objects.filter(user=user).values_list("municipality_code", flat=True))


def change_form_data(user, role: str, codes: list) -> dict:
    grant_ids = list(MunicipalityGrant.objects.filter(user=user).values_list("pk", flat=True))
    data = {
        "username": user.username, "email": user.email, "first_name": "", "last_name": "",
        "is_active": "on", "date_joined_0": user.date_joined.strftime("%d.%m.%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": "", "initial-date_joined_1": "",
        "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "1" if hasattr(user, "profile") else "0",
        "profile-MIN_NUM_FORMS": "1", "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": user.profile.pk if hasattr(user, "profile") else "", "profile-0-user": user.pk,
        "profile-0-role": role,
        "municipality_grants-TOTAL_FORMS": str(max(len(codes), len(grant_ids))),
        "municipality_grants-INITIAL_FORMS": str(len(grant_ids)),
        "municipality_grants-MIN_NUM_FORMS": "0", "municipality_grants-MAX_NUM_FORMS": "1000",
    }
    for i in range(max(len(codes), len(grant_ids))):
        prefix = f"municipality_grants-{i}-"
        data[prefix + "id"] = grant_ids[i] if i < len(grant_ids) else ""
        data[prefix + "user"] = user.pk
        if i < len(codes):
            data[prefix + "municipality_code"] = codes[i]
        else:
            data[prefix + "municipality_code"] = ""
            data[prefix + "DELETE"] = "on"
    return data


def test_the_admin_saves_role_and_municipalities(client, admin_user, make_user):
    user = make_user("ny")
    client.force_login(admin_user)
    data = change_form_data(user, "editor", [101, 147])
    response = client.post(f"/admin/auth/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Profile.objects.get(user=user).role == Role.EDITOR
    assert set(MunicipalityGrant.objects.filter(user=user).values_list("municipality_code", flat=True)) == {
        101, 147}


@pytest.mark.parametrize(("role", "codes", "message"), [
    ("editor", [], "En kommunebruger skal have mindst én kommune."),
    ("reader", [], "En kommunebruger skal have mindst én kommune."),
    ("kl", [101], "Ministeriet og KL ser alle kommuner; fjern kommunerne."),
])
def test_the_grants_must_fit_the_role(client, admin_user, editor, role, codes, message):
    client.force_login(admin_user)
    response = client.post(f"/admin/auth/user/{editor.pk}/change/", change_form_data(editor, role, codes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Profile.objects.get(user=editor).role == Role.EDITOR
    assert grants_of(editor) == [101]


def test_an_unknown_municipality_code_is_an_error_on_its_row(client, admin_user, editor):
    client.force_login(admin_user)
    response = client.post(f"/admin/auth/user/{editor.pk}/change/", change_form_data(editor, "editor", [999]))
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed. 999 er ikke en af de tilgængelige valgmuligheder." in (
        response.content.decode())
    assert grants_of(editor) == [101]


ADMIN_LISTS = ["/admin/web/release/", "/admin/followup/plan/", "/admin/followup/auditentry/",
               "/admin/survey/round/", "/admin/survey/answer/"]


@pytest.mark.parametrize("path", ADMIN_LISTS)
def test_the_ministry_reads_releases_plans_and_rounds_in_the_admin_but_adds_none(client, ministry_staff,
                                                                                  path):
    client.force_login(ministry_staff)
    assert client.get(path).status_code == 200
    assert client.get(path + "add/").status_code == 403


def test_behind_a_proxy_the_lock_is_per_client_address_from_the_configured_header(client, editor, settings):
    """Every request comes from the proxy (127.0.0.1); the client's address is the last entry of
    X-Forwarded-For. An attacker locks the user name only for the attacker's own address."""
    settings.CLIENT_IP_HEADER, settings.PROXY_COUNT = "X-Forwarded-For", 1
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.7"}
    colleague = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.5"}
    for _ in range(5):
        client.post(LOGIN, {"username": "redaktoer", "password": "forkert"}, **attacker)
    assert client.post(LOGIN, {"username": "redaktoer", "password": PASSWORD}, **attacker).status_code == 429
    assert client.post(LOGIN, {"username": "redaktoer", "password": PASSWORD}, **colleague).status_code == 302


def test_without_the_header_setting_every_proxied_request_shares_the_proxys_address(client, editor, settings):
    settings.CLIENT_IP_HEADER = ""
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    colleague = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(5):
        client.post(LOGIN, {"username": "redaktoer", "password": "forkert"}, **attacker)
    assert client.post(LOGIN, {"username": "redaktoer", "password": PASSWORD}, **colleague).status_code == 429


@pytest.mark.parametrize(("header", "count", "meta", "expected"), [
    ("", 1, {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "192.0.2.1"),
    ("X-Forwarded-For", 1, {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}, "198.51.100.7"),
    ("X-Forwarded-For", 2, {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7, 10.0.0.2"}, "198.51.100.7"),
    ("X-Forwarded-For", 2, {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "192.0.2.1"),  # too few: direct
    ("X-Real-IP", 1, {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
    ("X-Real-IP", 1, {"HTTP_X_REAL_IP": "ikke-en-adresse"}, "192.0.2.1"),
    ("X-Real-IP", 1, {}, "192.0.2.1"),
])
def test_client_ip_reads_the_configured_header_from_the_right(settings, rf, header, count, meta, expected):
    from jobmaal.web.accounts.clientip import client_ip

    settings.CLIENT_IP_HEADER, settings.PROXY_COUNT = header, count
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.1", **meta)) == expected
