"""The API's contract: schemathesis generates requests from the OpenAPI schema
(/api/v1/schema/) and sends them to the application in this process (WSGI, no server),
over the sample decisions. No response may be a 500, nor outside what the schema says:
its status codes, content types and JSON shapes.

Bounded and derandomized (the same examples on every run), so it costs the same each
time; the generated values include the awkward ones (empty, huge, odd Unicode).
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def openapi_schema() -> dict:
    """The schema /api/v1/schema/ serves, generated here: no request, no database."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))


schema = schemathesis.openapi.from_dict(openapi_schema())
schema.app = get_wsgi_application()  # requests go to the application in this process


@pytest.fixture
def keep_the_test_connection():
    """As Django's test client does: a request's start and end must not close the
    test's connection, whose transaction holds the sample decisions."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_every_generated_request_is_answered_within_the_schema(
    case, sample_decisions, keep_the_test_connection
):
    case.call_and_validate(checks=CHECKS)
