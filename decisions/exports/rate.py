"""A limit on downloads per client address: DOWNLOAD_RATE_LIMIT in each window of
DOWNLOAD_RATE_WINDOW_SECONDS, counted in the default cache. A download reads every
match of a search; the limit keeps one client from tying up the database with them."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

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
    key = f"download-rate:{client_address(request)}:{int(now // window)}"
    # add() then incr(): atomic in Redis and memcached; the database cache's incr() is a
    # read then a write, so two downloads in the same instant may count as one.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count <= settings.DOWNLOAD_RATE_LIMIT:
        return None
    return max(1, math.ceil(window - now % window))
