"""DATABASE_URL and DATABASE_REPLICA_URLS as Django database settings, read by libpq's
own rules (psycopg's `conninfo_to_dict`), so every form the libpq documentation gives
means what it says there, and every parameter reaches the connection:
https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS

    postgresql://user:secret@db.internal:5433/archive?sslmode=require
    postgres://archive@/archive?host=/run/postgresql&port=5433
    postgresql://%2Frun%2Fpostgresql/archive

NAME, USER, PASSWORD, HOST and PORT are Django's; every other parameter (sslmode,
connect_timeout, options, application_name, target_session_attrs...) goes to OPTIONS,
which Django's backend hands to libpq as it is.

Kept apart from settings.py so tests can call it without settings, and so settings.py
stays a list of settings.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

SCHEMES = ("postgresql://", "postgres://")
# The parameters Django's settings name themselves.
DJANGO_NAMES = {"dbname": "NAME", "user": "USER", "password": "PASSWORD", "host": "HOST"}
# The userinfo's password, so an error message never repeats it.
PASSWORD_IN_URL = re.compile(r"^[a-z]+://[^:@/?]*:([^@/?]*)@", re.IGNORECASE)


class BadDatabaseURL(ValueError):
    """The variable's URL cannot be read: the message names the variable and why."""


def database_from_url(url: str, variable: str = "DATABASE_URL") -> dict[str, Any]:
    """The Django settings (NAME, USER, PASSWORD, HOST, PORT, OPTIONS) of one URL.
    Raises BadDatabaseURL, naming `variable` and never the password."""
    url = url.strip()
    if not url.lower().startswith(SCHEMES):
        scheme = url.split("://", 1)[0] if "://" in url else "no scheme"
        raise BadDatabaseURL(
            f"{variable} must be a postgresql:// or postgres:// URL, not {scheme!r}"
        )
    try:
        params: dict[str, Any] = conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise BadDatabaseURL(
            f"{variable} is not a valid URL: {redacted(str(error), url)}"
        ) from None
    port = str(params.pop("port", ""))
    # libpq accepts any text here, and fails only when it connects: say so now.
    if port and not all(is_port(part) for part in port.split(",")):
        raise BadDatabaseURL(f"{variable} has an invalid port: {port!r}")
    database: dict[str, Any] = {
        django: str(params.pop(libpq, "")) for libpq, django in DJANGO_NAMES.items()
    }
    database["PORT"] = port
    # libpq connects to the database named after the user when none is named; Django
    # asks for a NAME (or OPTIONS["service"], which names one).
    if not database["NAME"] and "service" not in params:
        database["NAME"] = database["USER"] or "postgres"
    database["OPTIONS"] = params
    return database


def is_port(text: str) -> bool:
    # ASCII digits only: "²".isdigit() is True, and int() refuses it.
    return text.isascii() and text.isdigit() and len(text) <= 5 and 0 < int(text) < 65536


def with_defaults(url_options: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """A database's OPTIONS: the project's `defaults`, overridden by the URL's own
    parameters, except `options` (command-line options for the server), where the
    URL's come after the defaults', so a `-c` of the URL wins and neither is lost."""
    merged = {**defaults, **url_options}
    both = [defaults.get("options", ""), url_options.get("options", "")]
    if any(both):
        merged["options"] = " ".join(part for part in both if part)
    return merged


def redacted(message: str, url: str) -> str:
    match = PASSWORD_IN_URL.match(url)
    if match and match.group(1):
        message = message.replace(match.group(1), "***")
    return message
