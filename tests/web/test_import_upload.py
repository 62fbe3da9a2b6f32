"""The file upload page /import/: staff only, CSRF-protected, a preview with every row's errors,
and nothing stored until a valid file is confirmed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jobmaal.web.models import Release

pytestmark = pytest.mark.django_db

GOOD = ("indikator;periode;område;tæller;nævner\nMM17;2023M01;Københavns Kommune;120;4.000\n"
        "MM17;2023M01;Aarhus;-;-\n").encode("latin-1")
BAD = ("indikator;periode;område;tæller;nævner\nMM17;2023M01;Atlantis;120;4000\n"
       "MM17;2023M01;Aarhus;abc;100\nMM17;2023M01;Odense;10;100\n").encode()


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def user(staff: bool):
    return get_user_model().objects.create_user(
        username="medarbejder" if staff else "borger", password="x-9f3k-long", is_staff=staff)


@pytest.fixture
def staff_client(client):
    client.force_login(user(True))
    return client


def upload(client, data: bytes, name="tal.csv", **extra):
    return client.post("/import/", {"action": "preview", "year": "2023",
                                    "file": SimpleUploadedFile(name, data), **extra})


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_stored(client):
    response = client.get("/import/")
    assert response.status_code == 302 and "next=/import/" in response["Location"]
    assert upload(client, GOOD).status_code == 302
    assert not Release.objects.filter(kind="file").exists()


def test_users_who_are_not_staff_are_refused(client):
    client.force_login(user(False))
    assert client.get("/import/").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert not Release.objects.filter(kind="file").exists()


def test_a_post_without_the_csrf_token_is_refused(data_dir):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user(True))
    assert upload(strict, GOOD).status_code == 403
    uploads = data_dir / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []
    assert not Release.objects.filter(kind="file").exists()


def test_staff_see_the_form_in_danish(staff_client):
    html = staff_client.get("/import/").content.decode()
    assert "Indlæs tal fra fil" in html and 'name="csrfmiddlewaretoken"' in html


def test_a_file_with_errors_is_shown_with_every_error_and_cannot_be_confirmed(staff_client):
    response = upload(staff_client, BAD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 fejl." in html and "række 2" in html and "række 3" in html
    assert "Atlantis" in html and "ikke et tal" in html
    assert 'value="confirm"' not in html
    assert not Release.objects.filter(kind="file").exists()


def test_a_valid_file_is_previewed_then_stored_only_on_confirm(staff_client, data_dir):
    response = upload(staff_client, GOOD)
    html = response.content.decode()
    assert 'value="confirm"' in html and "windows-1252" in html and "Diskretioneret" in html
    assert not Release.objects.filter(kind="file").exists()
    token = staff_client.session["jobmaal_upload"]["token"]
    assert (data_dir / "uploads" / f"{token}.upload").is_file()
    response = staff_client.post("/import/", {"action": "confirm", "token": token,
                                              "name": "Jobindsats-udtræk marts"})
    release = Release.objects.get(kind="file")
    assert response.status_code == 302 and response["Location"] == f"/udgivelser/{release.pk}/udgiv/"
    assert release.name == "Jobindsats-udtræk marts"
    assert release.is_draft and not release.is_active  # the public site is unchanged
    assert release.manifest["source"]["uploaded_by"] == "medarbejder"
    assert list((data_dir / "uploads").iterdir()) == []  # neither the file nor its OUT folder
    assert "jobmaal_upload" not in staff_client.session


def test_confirm_with_a_stale_token_stores_nothing(staff_client):
    upload(staff_client, GOOD)
    response = staff_client.post("/import/", {"action": "confirm", "token": "0" * 32})
    assert response.status_code == 400 and "udløbet" in response.content.decode()
    assert not Release.objects.filter(kind="file").exists()


def test_a_file_that_is_not_a_table_is_one_clear_message(staff_client):
    response = upload(staff_client, b"\x00\x01binary", name="billede.png")
    assert response.status_code == 400 and "binære data" in response.content.decode()


def test_a_zip_bomb_upload_is_refused_with_a_plain_message(staff_client, monkeypatch):
    from tests.xlsxfiles import bomb

    monkeypatch.setenv("JOBMAAL_XLSX_MAX_UNPACKED_MB", "2")
    response = upload(staff_client, bomb(3), name="bombe.xlsx")
    assert response.status_code == 400
    assert "bombe.xlsx: filen fylder 3 MB udpakket; højst 2 MB er tilladt" in response.content.decode()
    assert not Release.objects.filter(kind="file").exists()


def test_a_cut_off_excel_upload_is_refused_with_a_plain_message(staff_client):
    from tests.xlsxfiles import truncated

    response = upload(staff_client, truncated([["indikator", "periode"]] + [["MM17", "2023M01"]] * 300),
                      name="afkortet.xlsx")
    assert response.status_code == 400
    assert "afkortet.xlsx: " in response.content.decode() and "kan ikke læses" in response.content.decode()


def test_a_draft_from_an_upload_leaves_the_public_site_as_it_was(staff_client, client):
    upload(staff_client, GOOD)
    token = staff_client.session["jobmaal_upload"]["token"]
    staff_client.post("/import/", {"action": "confirm", "token": token})
    draft = Release.objects.get(kind="file")
    assert not Release.objects.filter(is_active=True).exists()
    anonymous = Client()
    assert anonymous.get(f"/?udgivelse={draft.pk}").status_code == 404
    assert staff_client.get(f"/?udgivelse={draft.pk}").status_code == 200


def test_a_second_confirmation_of_one_upload_stores_nothing_more(staff_client):
    upload(staff_client, GOOD)
    token = staff_client.session["jobmaal_upload"]["token"]
    pending = dict(staff_client.session["jobmaal_upload"])
    assert staff_client.post("/import/", {"action": "confirm", "token": token}).status_code == 302
    session = staff_client.session  # the second tab still holds the same preview
    session["jobmaal_upload"] = pending
    session.save()
    again = staff_client.post("/import/", {"action": "confirm", "token": token})
    assert again.status_code == 400 and "allerede indlæst" in again.content.decode()
    assert Release.objects.filter(kind="file").count() == 1


def test_simultaneous_confirmations_of_one_upload_make_one_release(staff_client, data_dir):
    from concurrent.futures import ThreadPoolExecutor

    from jobmaal.web.uploads import claim_upload

    upload(staff_client, GOOD)
    token = staff_client.session["jobmaal_upload"]["token"]
    with ThreadPoolExecutor(8) as pool:
        claims = list(pool.map(lambda _: claim_upload(token), range(8)))
    assert sum(c is not None for c in claims) == 1  # the token is used once


def test_cancel_removes_the_uploaded_file(staff_client, data_dir):
    upload(staff_client, GOOD)
    token = staff_client.session["jobmaal_upload"]["token"]
    response = staff_client.post("/import/", {"action": "cancel"})
    assert response.status_code == 200 and "annulleret" in response.content.decode()
    assert not (data_dir / "uploads" / f"{token}.upload").exists()
    assert "jobmaal_upload" not in staff_client.session
    confirm = staff_client.post("/import/", {"action": "confirm", "token": token})
    assert confirm.status_code == 400 and not Release.objects.filter(kind="file").exists()


def test_previews_abandoned_for_a_day_are_removed_on_the_next_upload(staff_client, data_dir):
    import os
    import time

    uploads = data_dir / "uploads"
    uploads.mkdir()
    old, fresh, old_out = uploads / "a.upload", uploads / "b.upload", uploads / "release-c"
    for path in (old, fresh):
        path.write_bytes(b"x")
    old_out.mkdir()
    (old_out / "facts.parquet").write_bytes(b"x")
    day_ago = time.time() - 24 * 3600 - 60
    for path in (old, old_out):
        os.utime(path, (day_ago, day_ago))
    upload(staff_client, GOOD)
    left = {p.name for p in uploads.iterdir()}
    assert "a.upload" not in left and "release-c" not in left
    assert "b.upload" in left and f"{staff_client.session['jobmaal_upload']['token']}.upload" in left


def test_cleanup_command_removes_old_uploads_only(data_dir, settings):
    import os
    import time

    from jobmaal.web.uploads import cleanup_uploads

    uploads = data_dir / "uploads"
    uploads.mkdir()
    (uploads / "old.upload").write_bytes(b"x")
    (uploads / "new.upload").write_bytes(b"x")
    hours_ago = time.time() - 3 * 3600
    os.utime(uploads / "old.upload", (hours_ago, hours_ago))
    assert cleanup_uploads() == 0  # the default: 24 hours
    settings.UPLOAD_MAX_AGE_HOURS = 2
    assert cleanup_uploads() == 1
    assert [p.name for p in uploads.iterdir()] == ["new.upload"]


def test_jobmaal_cleanup_uploads_removes_what_abandoned_previews_left(data_dir, capsys):
    import os
    import time

    from jobmaal.cli import main

    uploads = data_dir / "uploads"
    uploads.mkdir()
    (uploads / "old.upload").write_bytes(b"x")
    two_days_ago = time.time() - 48 * 3600
    os.utime(uploads / "old.upload", (two_days_ago, two_days_ago))
    assert main(["cleanup-uploads"]) == 0
    assert "1 efterladte uploads fjernet" in capsys.readouterr().out
    assert list(uploads.iterdir()) == []
