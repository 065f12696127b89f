"""Logs a collector reads: a JSON line per request (method, path, status, duration,
request id), the request id in a response header, and every error with its traceback."""

import io
import json
import logging

import pytest

from config.logs import JsonLinesFormatter


@pytest.fixture
def log_lines():
    """What the console handler would write, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    logging.getLogger().addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)


def test_each_request_is_one_json_line_with_its_method_path_status_duration_and_id(
    client, db, log_lines
):
    response = client.get("/decisions/19-999-999/", {"q": "care"})
    [line] = [line for line in log_lines() if line["logger"] == "archive.requests"]
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/decisions/19-999-999/", 404)
    assert line["message"] == "GET /decisions/19-999-999/"  # the query string stays out
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00")


def test_a_well_formed_incoming_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21"})
    assert response["X-Request-ID"] == "lb-7f3a9c21"


@pytest.mark.parametrize("incoming", ["", "short", "x" * 129, 'a"}\n{"forged": "line"'])
def test_a_missing_or_malformed_request_id_is_replaced_by_a_new_one(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_every_request_gets_its_own_id(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


@pytest.mark.urls("tests.support.error_urls")
def test_an_error_is_logged_with_its_traceback_and_the_request_id(client, db, log_lines):
    client.raise_request_exception = False
    response = client.get("/test/a-bug/")
    [error] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == response["X-Request-ID"]
    assert error["status_code"] == 500
    assert "ZeroDivisionError: a bug" in error["traceback"]
    assert "request" not in error  # the request object's repr says nothing more
    [request] = [line for line in log_lines() if line["logger"] == "archive.requests"]
    assert (request["status"], request["level"]) == (500, "WARNING")


def test_extra_fields_become_keys_of_the_line(log_lines):
    logging.getLogger("decisions.importing").info(
        "import progress", extra={"run": 7, "records": 1200, "seconds": 3.5}
    )
    [line] = log_lines()
    assert {key: line[key] for key in ("message", "run", "records", "seconds")} == {
        "message": "import progress",
        "run": 7,
        "records": 1200,
        "seconds": 3.5,
    }
    assert "request_id" not in line  # logged outside any request
