"""Requests per client address, counted in a cache every web process shares.

REST framework's own throttle, with two changes: the counts live in the "throttle"
cache (settings.CACHES: a PostgreSQL table), so four gunicorn workers allow the rate
once and not four times; and the rate is read from settings.API_THROTTLE_RATE on each
request, so a deployment (or a test) can change it without a new class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:
    # For the annotations only: rest_framework.views imports this module (as
    # DEFAULT_THROTTLE_CLASSES) while it is itself being imported.
    from rest_framework.request import Request
    from rest_framework.views import APIView


class ClientAddressThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self) -> None:
        self.cache = caches["throttle"]
        super().__init__()

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request: Request, view: APIView) -> str:
        # get_ident: the connection's address, or the proxy's last X-Forwarded-For entry
        # (REST_FRAMEWORK["NUM_PROXIES"]).
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
