"""Error pages and probes: the 503 page when the database is unavailable (with
Retry-After and the request id), the 500 page for anything else, /healthz and /readyz.
A stopped or frozen server is in tests/test_database_outage.py."""

import pytest
from django.db import connection

pytestmark = pytest.mark.urls("tests.support.error_urls")


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # see the page a visitor would see
    return client


def test_a_lost_connection_gives_the_503_page_and_the_next_request_reconnects(
    client, transactional_db
):
    response = client.get("/test/connection-lost/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "The archive is briefly unavailable" in page
    assert f'<code class="request-id">{response["X-Request-ID"]}</code>' in page
    assert connection.connection is None  # closed, not left broken for the next request
    assert client.get("/").status_code == 200


def test_a_statement_the_server_cancels_gives_the_503_page(client, transactional_db):
    response = client.get("/test/statement-cancelled/")
    assert response.status_code == 503
    assert "The archive is briefly unavailable" in response.content.decode()


def test_any_other_error_gives_the_500_page_with_the_request_id(client, db):
    response = client.get("/test/a-bug/", headers={"X-Request-ID": "quoted-by-a-person"})
    assert response.status_code == 500
    assert "Retry-After" not in response
    page = response.content.decode()
    assert "Something went wrong" in page
    assert '<code class="request-id">quoted-by-a-person</code>' in page


def test_healthz_answers_without_the_database(client):
    # No `db` fixture: any query would raise, and give the 500 page.
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")


def test_readyz_answers_ready_when_every_migration_is_applied(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["ready", "last successful harvest: never"]
    assert "search index: 0 decisions behind, 0.0 s (limit 30 s)" in lines


def test_the_probes_are_never_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
