"""Limits on downloads per client address: DOWNLOAD_RATE_LIMIT in each window of
DOWNLOAD_RATE_WINDOW_SECONDS, counted in PostgreSQL by decisions.limits (atomically, so
parallel downloads are each counted); and at most DOWNLOADS_CONCURRENT_PER_CLIENT of one
client's, and DOWNLOADS_CONCURRENT_TOTAL of everyone's, streaming at once. A download
reads every match of a search and holds a web server's thread while it streams: the
limits keep one client, or a few, from tying up the database and every thread."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest

from config.client_address import client_address
from decisions import limits


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


# Retry-After when every slot is taken: a download takes seconds, and a client told to
# come back sooner would only be refused again.
BUSY_RETRY_AFTER_SECONDS = 10


def download_slot(request: HttpRequest) -> limits.Slot | None:
    """A slot for this download to stream in, or None when its client's or everyone's
    are all taken (answer 429 with Retry-After: BUSY_RETRY_AFTER_SECONDS)."""
    return limits.take_slot(
        "download",
        client_address(request),
        settings.DOWNLOADS_CONCURRENT_PER_CLIENT,
        settings.DOWNLOADS_CONCURRENT_TOTAL,
    )


def released_after(lines: Iterator[str], slot: limits.Slot) -> Iterator[str]:
    """`lines`, then the slot released: when the last line is sent, or when the server
    closes the response early (a client gone: the WSGI server closes this generator)."""
    try:
        yield from lines
    finally:
        slot.release()
