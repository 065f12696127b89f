"""Who a request comes from, for everything that counts or limits per client (the
downloads' limits, alert sign-ups, django-axes' lockouts).

Behind one trusted proxy (BEHIND_PROXY=1) the last X-Forwarded-For entry is the one our
proxy added; earlier entries are the client's to forge, so they are never read.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip_behind_proxy(request: HttpRequest) -> str | None:
    """The client address behind one trusted proxy (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.split(",")[-1].strip()
    return last or request.META.get("REMOTE_ADDR")


def client_address(request: HttpRequest) -> str:
    """The address a client's hits are counted under."""
    if settings.BEHIND_PROXY:
        return client_ip_behind_proxy(request) or ""
    # A WSGI server need not set REMOTE_ADDR: such requests count as one client.
    return request.META.get("REMOTE_ADDR") or ""
