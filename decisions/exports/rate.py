"""A limit on downloads per client address: DOWNLOAD_RATE_LIMIT in each window of
DOWNLOAD_RATE_WINDOW_SECONDS, counted in PostgreSQL by decisions.limits (atomically, so
parallel downloads are each counted). A download reads every match of a search; the
limit keeps one client from tying up the database with them."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from decisions import limits
from decisions.importing.uploads import client_ip_behind_proxy


def client_address(request: HttpRequest) -> str:
    if settings.BEHIND_PROXY:
        return client_ip_behind_proxy(request) or ""
    return request.META.get("REMOTE_ADDR", "")


def seconds_to_wait(request: HttpRequest, clock: Callable[[], float] = time.time) -> int | None:
    """Count this download against its client; None if allowed, else the seconds until
    the window ends (for Retry-After)."""
    window = settings.DOWNLOAD_RATE_WINDOW_SECONDS
    now = clock()
    if (
        limits.hit("download", client_address(request), window, now=now)
        <= settings.DOWNLOAD_RATE_LIMIT
    ):
        return None
    return limits.seconds_left(window, now)
