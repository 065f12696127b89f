"""Every API error as JSON: a message, and under "errors" the message for each bad
parameter by its name, as the FilterSet's form gives them:

    {"status": 400, "message": "Check the parameters: date_from.",
     "errors": {"date_from": ["Enter a real date, for example 31/3/2020."]}}

A bad value is a 400 naming the parameter, never a 500; a 404, 410 or 429 says what
happened in the message, and a 429 also when to try again (its Retry-After header).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from decisions.api.http import terms


class BadParameters(exceptions.APIException):
    """The request's parameters, by name, and what is wrong with each."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {name: list(messages) for name, messages in errors.items()}
        names = ", ".join(self.errors)
        super().__init__(f"Check the parameters: {names}.")


class PastTheEnd(exceptions.NotFound):
    """A page number past the last page: a 404, so that a client asking for pages until
    one is empty stops, with the last page's number in the body to go back to."""

    def __init__(self, last_page: int) -> None:
        self.extra = {"last_page": last_page}
        super().__init__(f"There are only {last_page} pages: the last is page {last_page}.")


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This decision has been withdrawn from the archive."


def error_body(
    request: HttpRequest,
    status_code: int,
    message: str,
    errors: Mapping,
    extra: Mapping[str, Any] | None = None,
) -> dict:
    body = {"status": status_code, "message": message, "errors": dict(errors)}
    return {**body, **(extra or {}), **terms(request)}


def json_error(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST framework's handler (its status and headers, Retry-After among them), with
    the body in the API's own shape."""
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: Django's 500 page, logged with its traceback
    errors = getattr(exc, "errors", {})
    if isinstance(exc, exceptions.Throttled):
        # Set by Throttled.__init__; djangorestframework-stubs does not declare it.
        wait: float | None = exc.wait  # type: ignore[attr-defined]
        message = (
            f"Too many requests from this address: try again in {wait or 1:.0f} seconds."
            if wait is not None
            else "Too many requests from this address: try again later."
        )
    else:
        message = str(getattr(exc, "detail", exc))
    extra = getattr(exc, "extra", None)
    response.data = error_body(context["request"], response.status_code, message, errors, extra)
    return response
