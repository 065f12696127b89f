"""The site's URLs, and three that fail on purpose, for tests of the error pages
(`@pytest.mark.urls("tests.support.error_urls")`). Each failure is real: a bug, a connection
the server closes, a statement the server cancels."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.postgresql import bounded_transaction
from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def a_bug(request: HttpRequest) -> HttpResponse:
    raise ZeroDivisionError("a bug")


def connection_lost(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        # The server ends this session, as a restart or a failover would.
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    return HttpResponse("unreachable")


def statement_cancelled(request: HttpRequest) -> HttpResponse:
    with (
        bounded_transaction(statement_timeout_ms=50, lock_timeout_ms=0),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("unreachable")


urlpatterns = [
    path("test/a-bug/", a_bug),
    path("test/connection-lost/", connection_lost),
    path("test/statement-cancelled/", statement_cancelled),
    *site_urlpatterns,
]
