"""When the database is away: a 503 page that says so, and probes for a load balancer.

A stopped, restarting, frozen or overloaded PostgreSQL raises OperationalError (refused,
timed out, cancelled by statement_timeout) or InterfaceError (a connection already
closed). `server_error`, the handler500, answers those with templates/503.html and
Retry-After, and closes the connection, so the next request connects again: the site
recovers by itself when the server is back. Any other error is the 500 page. Both pages
are rendered without a database query and show the request id.
https://docs.djangoproject.com/en/5.2/ref/urls/#handler500
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import Error, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.template import loader

from config import replicas

logger = logging.getLogger("django.request")
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds: about how long a restart of PostgreSQL takes.
RETRY_AFTER_SECONDS = 10


def close_database_connections() -> None:
    """Drop every open connection: after such an error its state is unknown."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(Error):
            connection.close()


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: Django calls it inside its `except` block, so sys.exc_info() is the
    error that got here."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    context = {"request_id": getattr(request, "request_id", "")}
    return HttpResponse(loader.render_to_string(template_name, context), status=500)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page, with Retry-After; the connections closed, so the next request
    connects again."""
    close_database_connections()
    context = {"request_id": getattr(request, "request_id", "")}
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Under DEBUG too, a database outage answers with the 503 page.

    With DEBUG on (`make run`), Django answers an exception with its technical page and
    never calls handler500: a developer stopping PostgreSQL would see a traceback, not
    what visitors see (and the connection, left open, would not recover by itself).
    With DEBUG off this does nothing, and server_error answers, after Django has logged
    the error with its traceback.
    https://docs.djangoproject.com/en/5.2/topics/http/middleware/#process-exception
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, DATABASE_UNAVAILABLE):
            logger.error("database unavailable", exc_info=exception)
            return database_unavailable(request)
        return None


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No database: a database outage must not get
    healthy web processes restarted."""
    return HttpResponse("ok\n", content_type="text/plain")


def not_ready() -> str | None:
    """Why this process cannot serve, as far as the project knows: the database does not
    answer, or a migration is not applied. None when it can. The archive's own readiness
    (its search index, its last harvest) is added by decisions.views.health."""
    connection = connections["default"]
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Error as error:
        close_database_connections()
        return f"database unavailable: {type(error).__name__}"
    if pending:
        return f"{len(pending)} migrations not applied"
    return None


def replica_lines() -> list[str]:
    """Each read replica's state, checked now. A replica out of use is no reason to take
    this process out of service (its reads go to the primary), so it never makes /readyz
    a 503; but an operator's monitor sees it here, and in the error log."""
    lines = []
    for alias in replicas.replica_aliases():
        problem = replicas.problem(alias)
        lines.append(f"read replica {alias}: {problem or 'usable'}")
    return lines
