"""Under DEBUG, the archive's own 404 page instead of Django's technical one.

With DEBUG on (`make run`), Django answers every 404 with its yellow debug page, so the
archive's page (decisions.views.not_found: the decisions a mistyped reference most
likely meant, and the search box) was never seen while developing it. This middleware
serves the archive's page for the 404s Django itself makes, as production's handler404
does: no URL matched, or a view raised Http404. A 404 a view returns itself (the API's
JSON error) is left alone. With DEBUG off it does nothing: handler404 is used.
https://docs.djangoproject.com/en/5.2/ref/views/#the-404-page-not-found-view
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from decisions.views.not_found import page_not_found


class ArchiveNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No URL matched: Django's resolver raised Resolver404 before any view ran, and
        # its handler turned it into the technical page.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's Http404 (an unknown organisation, a withdrawn file)."""
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
