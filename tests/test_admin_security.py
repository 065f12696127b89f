"""Who may upload, CSRF, uploaded content never served as a page, and the admin login
locking out after repeated wrong passwords."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from decisions.models import Decision, ImportRun
from tests.conftest import FIXTURES, STAFF_PASSWORD

SEED = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"
UPLOAD_URL = "/admin/decisions/importrun/upload/"
PASSWORD = STAFF_PASSWORD

# Every test's uploads in its own folder (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("media_root")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def a_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("page.txt", SEED.read_bytes())


@pytest.fixture
def staff_without_permission(db) -> User:
    user = User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_importrun"))
    return user


def test_anonymous_visitors_are_sent_to_the_login_page(db):
    client = Client()
    for method in (client.get, client.post):
        response = method(UPLOAD_URL)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert ImportRun.objects.count() == 0


def test_users_who_are_not_staff_get_the_login_page(db):
    user = User.objects.create_user("member", password=PASSWORD)
    client = logged_in(user)
    response = client.post(UPLOAD_URL, {"files": [a_file()]})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert ImportRun.objects.count() == 0 and Decision.objects.count() == 0


def test_staff_without_the_permission_are_refused(staff_without_permission):
    client = logged_in(staff_without_permission)
    assert client.get(UPLOAD_URL).status_code == 403
    assert client.post(UPLOAD_URL, {"files": [a_file()]}).status_code == 403
    assert ImportRun.objects.count() == 0 and Decision.objects.count() == 0
    # Nor are they offered the page or the re-run action.
    assert UPLOAD_URL.encode() not in client.get("/admin/").content
    changelist = client.get("/admin/decisions/importrun/").content
    assert UPLOAD_URL.encode() not in changelist
    assert b"rerun_imports" not in changelist


def test_staff_without_the_permission_cannot_re_run_an_import(uploader, staff_without_permission):
    logged_in(uploader).post(UPLOAD_URL, {"files": [a_file()]})
    run = ImportRun.objects.get()
    client = logged_in(staff_without_permission)
    client.post(
        "/admin/decisions/importrun/", {"action": "rerun_imports", "_selected_action": [run.pk]}
    )
    assert ImportRun.objects.count() == 1


def test_an_upload_without_the_csrf_token_is_refused(uploader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(uploader)
    response = client.post(UPLOAD_URL, {"files": [a_file()]})
    assert response.status_code == 403
    assert ImportRun.objects.count() == 0


def test_the_upload_form_carries_a_csrf_token(uploader):
    body = logged_in(uploader).get(UPLOAD_URL).content
    assert b'name="csrfmiddlewaretoken"' in body
    assert b'enctype="multipart/form-data"' in body


def test_uploaded_files_are_not_reachable_under_any_media_url(uploader):
    client = logged_in(uploader)
    client.post(UPLOAD_URL, {"files": [SimpleUploadedFile("x.html", b"<script>1</script>")]})
    run = ImportRun.objects.get()
    for path in (f"/media/{run.files[0]['path']}", f"/{run.files[0]['path']}"):
        assert Client().get(path).status_code == 404
        assert client.get(path).status_code == 404


def test_a_stored_file_is_not_served_to_anonymous_visitors(uploader):
    logged_in(uploader).post(UPLOAD_URL, {"files": [a_file()]})
    run = ImportRun.objects.get()
    url = reverse("admin:decisions_importrun_file", args=[run.pk, 0])
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_stored_file_path_outside_the_uploads_is_never_served(uploader, media_root):
    logged_in(uploader).post(UPLOAD_URL, {"files": [a_file()]})
    run = ImportRun.objects.get()
    (media_root / "secret.txt").write_text("not an upload")
    ImportRun.objects.filter(pk=run.pk).update(
        files=[{"name": "secret.txt", "path": "uploads/../secret.txt", "size": 1}]
    )
    url = reverse("admin:decisions_importrun_file", args=[run.pk, 0])
    assert logged_in(uploader).get(url).status_code == 404


def login(client: Client, password: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "uploader", "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


def test_the_admin_login_locks_out_after_repeated_wrong_passwords(uploader, settings):
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(4):
        response = login(client, "wrong password")
        assert response.status_code == 200  # the login form again, with its error
        assert b"Please enter the correct username and password" in response.content
    # The fifth failure locks the username out from this address...
    assert login(client, "wrong password").status_code == 429
    # ...so even the right password is refused for the cool-off time.
    response = login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address may still sign in as the same user.
    other = Client()
    response = other.post(
        "/admin/login/?next=/admin/",
        {"username": "uploader", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.2",
    )
    assert response.status_code == 302


def test_a_correct_password_before_the_limit_signs_in_and_resets_the_count(uploader):
    client = Client()
    for _ in range(4):
        login(client, "wrong password")
    assert login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "wrong password").status_code == 200


def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw():
    from django.test import RequestFactory

    from config.client_address import client_ip_behind_proxy

    request = RequestFactory().post(
        "/admin/login/", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9", REMOTE_ADDR="127.0.0.1"
    )
    # The first entry is whatever the client sent; the last is what our proxy added.
    assert client_ip_behind_proxy(request) == "203.0.113.9"
    assert client_ip_behind_proxy(RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")) == (
        "192.0.2.1"
    )
