"""Secure by default: `check --deploy` is clean with the README's production variables,
a missing or weak SECRET_KEY stops every process when DEBUG is off, and every page type
carries the Content-Security-Policy (the browser tests check that nothing breaks it)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from decisions.models import Organisation
from tests.conftest import ROOT
from tests.support.helpers import make_decision

POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def policy(response) -> set[str]:
    """The response's Content-Security-Policy directives (their order is not fixed)."""
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def production_variables() -> dict[str, str]:
    """The `export NAME=value` lines of the README's first block under "Serving in
    production", with a fresh SECRET_KEY for its `...`."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Serving in production", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    variables = dict(re.findall(r"^export (\w+)=(\S+)", block, re.M))
    assert variables["SECRET_KEY"] == "..."
    return variables | {"SECRET_KEY": secrets.token_urlsafe(50)}


def manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    """`manage.py` in a child process with only these variables beyond the basics."""
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", **variables}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_production_variables_of_the_readme():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_variables())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_would_warn_without_them():
    # The check is not clean by luck: without the proxy's variables it finds issues.
    variables = production_variables()
    del variables["BEHIND_PROXY"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **variables)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no HTTPS redirect


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (None, "Set SECRET_KEY"),
        ("test-only-secret-key", "it has 20 characters, fewer than 50"),
        ("ab" * 30, "it has fewer than 5 different characters"),
        ("insecure-development-key-do-not-use-in-production", "a published development key"),
        ("django-insecure-" + secrets.token_urlsafe(50), "a published development key"),
    ],
)
def test_a_missing_or_weak_secret_key_stops_every_command_when_debug_is_off(key, reason):
    variables = production_variables()
    if key is None:
        del variables["SECRET_KEY"]
    else:
        variables["SECRET_KEY"] = key
    result = manage("check", **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert reason in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # and how to make a good one


def test_with_debug_on_no_secret_key_is_needed():
    variables = production_variables() | {"DEBUG": "1"}
    del variables["SECRET_KEY"]
    assert manage("check", **variables).returncode == 0


@pytest.fixture
def staff_client(client, db):
    user = User.objects.create_superuser("admin", password="a-long-test-password")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?q=care",
        "/decisions/19-011-560/?q=care",
        "/organisations/norfolk-county-council/",
        "/decisions/20-000-001/",  # withdrawn: 410
        "/decisions/99-999-999/",  # 404
        "/?q=%00",  # 400
        "/admin/",
        "/admin/decisions/decision/",
        "/admin/decisions/importrun/",
        "/admin/decisions/importrun/upload/",
    ],
)
def test_every_page_type_carries_the_content_security_policy(staff_client, url):
    norfolk = make_decision("19 011 560")
    make_decision("20 000 001", withdrawn_at=timezone.now(), withdrawal_reason="Published in error")
    norfolk.organisation = Organisation.objects.create(
        name="Norfolk County Council", slug="norfolk-county-council"
    )
    norfolk.save()
    response = staff_client.get(url)
    assert response.status_code in {200, 400, 404, 410}
    assert policy(response) == POLICY


def test_the_admin_sign_in_and_a_change_form_carry_it_too(client, staff_client):
    decision = make_decision("19 011 560")
    page = staff_client.get(f"/admin/decisions/decision/{decision.pk}/change/")
    assert page.status_code == 200
    assert policy(page) == POLICY
    staff_client.logout()
    assert policy(client.get("/admin/login/")) == POLICY


@pytest.mark.urls("tests.support.error_urls")
@pytest.mark.parametrize("url", ["/test/a-bug/", "/test/connection-lost/"])
def test_the_500_and_503_pages_carry_it_too(client, transactional_db, url):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code in {500, 503}
    assert policy(response) == POLICY


def test_a_rejected_form_gets_a_page_inside_the_policy(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    assert policy(response) == POLICY
    # Not Django's own CSRF page, whose inline <style> the policy would refuse.
    assert "<style" not in response.content.decode()
    assert "This form has expired" in response.content.decode()
