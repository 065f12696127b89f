"""Requests per client address, counted in PostgreSQL by decisions.limits.

REST framework's throttle interface, with the counting done once for every web process
and machine, atomically (one INSERT ... ON CONFLICT DO UPDATE per request), so a burst
of parallel requests is counted request by request; and the rate read from
settings.API_THROTTLE_RATE on each request, so a deployment (or a test) can change it
without a new class.
https://www.django-rest-framework.org/api-guide/throttling/#custom-throttles
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from decisions import limits

if TYPE_CHECKING:
    # For the annotations only: rest_framework.views imports this module (as
    # DEFAULT_THROTTLE_CLASSES) while it is itself being imported.
    from rest_framework.request import Request
    from rest_framework.views import APIView

# REST framework's rate periods: "60/min", "1000/hour", "5/s", "10000/day".
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/min" as (60, 60): requests, and the window's seconds."""
    count, period = rate.split("/")
    return int(count), PERIOD_SECONDS[period.strip()[0]]


class ClientAddressThrottle(BaseThrottle):
    scope = "api"

    def __init__(self) -> None:
        self.retry_after: int | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        allowed, window = parse_rate(settings.API_THROTTLE_RATE)
        now = time.time()
        # get_ident: the connection's address, or the proxy's last X-Forwarded-For entry
        # (REST_FRAMEWORK["NUM_PROXIES"]); a request with neither (a WSGI caller that sets
        # no REMOTE_ADDR) is counted under one shared key rather than not at all.
        client = self.get_ident(request) or "unknown"
        if limits.hit(self.scope, client, window, now=now) <= allowed:
            return True
        self.retry_after = limits.seconds_left(window, now)
        return False

    def wait(self) -> float | None:
        return self.retry_after
