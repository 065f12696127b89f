"""The Ombudsman's re-use terms and attribution, as the page footer gives them, for
everything the archive hands out: downloads, feeds and the dump."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

ATTRIBUTION = (
    "Decision statements © Local Government and Social Care Ombudsman, re-used under its terms."
)
# What a re-user needs with the data: who owns it, and that this is not the Ombudsman.
LICENCE = (
    f"{ATTRIBUTION} This is an independent archive, not a service of the Ombudsman; the "
    "official decisions are published at https://www.lgo.org.uk/decisions. When you re-use "
    "a decision, cite the Ombudsman and the case reference."
)


def terms_url(request: HttpRequest) -> str:
    """The page that explains the terms (About, "Copyright and re-use")."""
    return request.build_absolute_uri(reverse("decisions:about"))


def licence_link_header(request: HttpRequest) -> str:
    """A `Link` header naming the terms (RFC 8288's "license" relation), for a file that
    travels without its web page."""
    return f'<{terms_url(request)}>; rel="license"'
