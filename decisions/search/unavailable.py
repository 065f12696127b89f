"""A word search while the search index is missing or broken: a 503 that says so (JSON
for the API), never a 500 and never a wrong answer. Pages without search words are
still served, from PostgreSQL (decisions.search.query). The log says how to rebuild."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from decisions.search.query import SearchUnavailable

logger = logging.getLogger("decisions.search")
RETRY_AFTER_SECONDS = 60


class SearchUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, SearchUnavailable):
            return None
        logger.error("search unavailable: %s", exception)
        message = (
            "Searching by words is unavailable while the search index is rebuilt. "
            "Filters without search words still work."
        )
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            context = {
                "request_id": getattr(request, "request_id", ""),
                "title": "Search unavailable",
                "heading": "Searching by words is briefly unavailable",
                "message": message,
            }
            html = loader.render_to_string("503.html", context, request)
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
