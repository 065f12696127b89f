"""/readyz, the readiness probe a load balancer reads (README, "Operations").

The project says whether the database answers with every migration applied
(config.availability.not_ready); the archive adds what its own doors need: a search
index within SEARCH_INDEX_MAX_LAG_SECONDS of PostgreSQL, and, for an operator's monitor,
when the last harvest finished and each read replica's state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import Error
from django.http import HttpRequest, HttpResponse

from config.availability import not_ready, replica_lines
from decisions.harvesting.last_run import last_harvest
from decisions.search.engine import IndexUnavailable
from decisions.search.syncing import in_step_for_tests, lag


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when this process can serve every door, else 503 with the reason."""
    problem = not_ready()
    if problem is not None:
        return HttpResponse(f"{problem}\n", content_type="text/plain", status=503)
    index, index_ok = search_index_state()
    lines = [
        "ready" if index_ok else "not ready",
        # A harvest that stopped finishing is no reason to take web processes out of
        # service, so it never makes this a 503; an operator's monitor reads it here.
        f"last successful harvest: {harvest_line()}",
        f"search index: {index}",
        *replica_lines(),
    ]
    return HttpResponse(
        "".join(f"{line}\n" for line in lines),
        content_type="text/plain",
        status=200 if index_ok else 503,
    )


def harvest_line() -> str:
    try:
        harvested = last_harvest()
    except Error:
        return "unknown"
    return harvested.isoformat() if harvested is not None else "never"


def search_index_state() -> tuple[str, bool]:
    """The search index's lag behind PostgreSQL, and whether it is within
    SEARCH_INDEX_MAX_LAG_SECONDS: a web process whose index is missing or far behind
    would answer word searches wrongly, so it is taken out of service."""
    try:
        in_step_for_tests()
        behind = lag()
    except IndexUnavailable as problem:
        return f"unavailable: {problem}", False
    except Error as error:
        return f"unknown ({type(error).__name__})", True
    limit = settings.SEARCH_INDEX_MAX_LAG_SECONDS
    state = f"{behind.pending} decisions behind, {behind.seconds:.1f} s (limit {limit} s)"
    return state, behind.seconds <= limit
