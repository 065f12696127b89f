"""What every API response carries, whatever it answers: the Ombudsman's re-use terms
and attribution (in the body and as a Link header), CORS for any origin (the API is
public and read-only, so any page may read it), and the validators of conditional
requests (ETag, Last-Modified), which let a client that has a response already get a
304 without the search being run again.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.request import Request
from rest_framework.views import APIView

# As the site's footer and the README say it.
ATTRIBUTION = (
    "Decision statements © Local Government and Social Care Ombudsman, re-used under its terms."
)
LICENCE = (
    "The decision statements are © Local Government and Social Care Ombudsman and are "
    "re-used under its terms, with this attribution. When you quote a decision, cite the "
    "Ombudsman and the case reference. This archive is independent of the Ombudsman; the "
    "official decisions are published at https://www.lgo.org.uk/decisions."
)
OFFICIAL_SOURCE = "https://www.lgo.org.uk/decisions"
# How long a client or cache may reuse a response before asking again (with its
# validators, which a 304 answers cheaply).
MAX_AGE_SECONDS = 60


def terms(request: HttpRequest) -> dict[str, str]:
    """The re-use terms, for the body of every response."""
    return {
        "licence": LICENCE,
        "licence_url": request.build_absolute_uri(reverse("decisions:about")),
        "attribution": ATTRIBUTION,
    }


def etag_of(*parts: object) -> str:
    """A weak ETag for a response made from `parts` (the archive's generation, today's
    date, the query): equal parts, equal JSON."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f'W/"{digest[:32]}"'


class ArchiveAPIView(APIView):
    """An API view whose responses carry the terms, CORS and their validators."""

    def not_modified(
        self, request: Request, etag: str, last_modified: datetime.datetime | None
    ) -> HttpResponse | None:
        """The 304 (or 412) the request's If-None-Match / If-Modified-Since call for, or
        None when the response must be made. Either way the response gets both validators."""
        self.validators = (etag, last_modified)
        timestamp = int(last_modified.timestamp()) if last_modified else None
        return get_conditional_response(request._request, etag=etag, last_modified=timestamp)

    # REST framework finalizes any HttpResponseBase (the 304 of not_modified among them);
    # djangorestframework-stubs narrows this method to its Response, hence the ignores.
    def finalize_response(  # type: ignore[override]
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[arg-type]
        etag, last_modified = getattr(self, "validators", (None, None))
        if etag and response.status_code in (200, 304):
            response["ETag"] = etag
            if last_modified:
                response["Last-Modified"] = http_date(last_modified.timestamp())
            response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
        response["Access-Control-Allow-Origin"] = "*"
        # So a script on another site can read the validators and the throttle's wait.
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Link, Retry-After"
        response["Link"] = (
            f'<{request.build_absolute_uri(reverse("decisions:about"))}>; rel="license", '
            f'<{OFFICIAL_SOURCE}>; rel="via"'
        )
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    # A plain HttpResponse, not content-negotiated; the stubs of View and APIView
    # disagree on this method's request and response types.
    def options(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        """A CORS preflight: GET (and HEAD) from any origin, no credentials."""
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response["Access-Control-Max-Age"] = "86400"
        return response
