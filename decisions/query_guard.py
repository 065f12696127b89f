"""Refuse, with a clear 400, any request whose parameters PostgreSQL cannot hold.

A NUL character is valid in a URL (`%00`) but no PostgreSQL text can contain it: a
filter or search that passed one to a query answered 500. Forms validate their own
fields (Django's CharField refuses NUL), but a list page's parameters reach choice
look-ups and the search before any form does, so every parameter of every request is
checked here, once, before any view runs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

UNSTORABLE = "\x00"


def unstorable_parameter(request: HttpRequest) -> str | None:
    """The name of the first parameter holding a NUL character, if any."""
    for name, values in request.GET.lists():
        if UNSTORABLE in name or any(UNSTORABLE in value for value in values):
            return name.replace(UNSTORABLE, "\\0")
    return None


class RejectUnstorableParametersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = unstorable_parameter(request)
        if name is not None:
            if request.path.startswith("/api/"):
                return api_refusal(request, name)
            body = render_to_string("400.html", {"parameter": name}, request=request)
            return HttpResponse(body, status=400)
        return self.get_response(request)


def api_refusal(request: HttpRequest, name: str) -> JsonResponse:
    """The same refusal in the API's own error shape (decisions.api.errors)."""
    from decisions.api.errors import error_body

    message = "A parameter holds a NUL character (%00), which no search can use."
    body = error_body(request, 400, f"Check the parameters: {name}.", {name: [message]})
    response = JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
