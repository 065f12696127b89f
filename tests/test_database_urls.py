"""DATABASE_URL and DATABASE_REPLICA_URLS read by libpq's rules (config/database_url.py):
the URL forms of https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS,
every parameter reaching the connection, and a malformed URL stopping every process
with the variable's name. (A replica reached by its ?host= form: test_read_replicas.py.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from config.database_url import BadDatabaseURL, database_from_url, with_defaults
from tests.conftest import ROOT


def django_settings(url: str) -> dict:
    return database_from_url(url)


def test_the_documented_host_port_and_database_forms_are_read():
    assert django_settings("postgresql://") == {
        "NAME": "postgres",
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": {},
    }
    assert django_settings("postgresql://localhost")["HOST"] == "localhost"
    found = django_settings("postgresql://localhost:5433")
    assert (found["HOST"], found["PORT"]) == ("localhost", "5433")
    assert django_settings("postgresql://localhost/mydb")["NAME"] == "mydb"
    assert django_settings("postgresql://[2001:db8::1234]/database")["HOST"] == "2001:db8::1234"


def test_user_password_host_port_and_database_are_read_from_either_scheme():
    for scheme in ("postgresql", "postgres"):
        found = django_settings(f"{scheme}://archive:secret@db.internal:5433/lgsco")
        assert found == {
            "NAME": "lgsco",
            "USER": "archive",
            "PASSWORD": "secret",
            "HOST": "db.internal",
            "PORT": "5433",
            "OPTIONS": {},
        }


def test_percent_encoded_parts_are_decoded():
    found = django_settings("postgresql://us%40er:p%40ss%2Fw%3Ard@host/my%20db")
    assert (found["USER"], found["PASSWORD"], found["NAME"]) == ("us@er", "p@ss/w:rd", "my db")


def test_a_percent_encoded_socket_folder_is_the_host():
    found = django_settings("postgresql://%2Fvar%2Flib%2Fpostgresql/dbname")
    assert (found["HOST"], found["NAME"]) == ("/var/lib/postgresql", "dbname")


def test_host_and_port_given_as_parameters_are_both_kept():
    found = django_settings("postgres://u@/archive?host=/run/pg&port=5433")
    assert (found["HOST"], found["PORT"], found["USER"], found["NAME"]) == (
        "/run/pg",
        "5433",
        "u",
        "archive",
    )
    found = django_settings("postgresql:///mydb?host=localhost&port=5433")
    assert (found["HOST"], found["PORT"], found["NAME"]) == ("localhost", "5433", "mydb")


def test_every_other_parameter_reaches_the_connection_options():
    found = django_settings(
        "postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp"
        "&sslmode=require&options=-c%20search_path%3Darchive&target_session_attrs=read-write"
    )
    assert found["OPTIONS"] == {
        "connect_timeout": "10",
        "application_name": "myapp",
        "sslmode": "require",
        "options": "-c search_path=archive",
        "target_session_attrs": "read-write",
    }


def test_several_hosts_keep_their_ports():
    found = django_settings("postgresql://host1:123,host2:456/somedb?target_session_attrs=any")
    assert (found["HOST"], found["PORT"]) == ("host1,host2", "123,456")


def test_without_a_database_libpq_uses_the_user_name():
    assert django_settings("postgresql://archive@localhost")["NAME"] == "archive"


def test_the_url_parameters_win_over_the_defaults_and_server_options_add_up():
    defaults = {"connect_timeout": 3, "options": "-c jit=off", "statement_timeout_ms": 0}
    merged = with_defaults({"connect_timeout": "10", "options": "-c work_mem=64MB"}, defaults)
    assert merged == {
        "connect_timeout": "10",
        "options": "-c jit=off -c work_mem=64MB",
        "statement_timeout_ms": 0,
    }
    assert with_defaults({}, defaults) == defaults


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("mysql://archive:secret@host/db", "must be a postgresql:// or postgres:// URL"),
        ("host=localhost dbname=archive", "must be a postgresql:// or postgres:// URL"),
        ("postgresql://archive:secret@host:port/db", "invalid port"),
        ("postgresql://archive:secret@host:99999/db", "invalid port"),
        (
            "postgresql://archive:secret@host/db?sslmod=require",
            'invalid URI query parameter: "sslmod"',
        ),
        ("postgresql://archive:sec%zzret@host/db", "invalid percent-encoded token"),
        ("postgresql://archive:secret@host/db?sslmode", 'separator "="'),
    ],
)
def test_a_malformed_url_is_refused_naming_the_variable_and_never_the_password(url, why):
    with pytest.raises(BadDatabaseURL) as refused:
        database_from_url(url, "DATABASE_REPLICA_URLS entry 2")
    message = str(refused.value)
    assert message.startswith("DATABASE_REPLICA_URLS entry 2 ")
    assert why in message
    assert "secret" not in message and "sec%zzret" not in message


def start(**variables: str) -> subprocess.CompletedProcess:
    """`manage.py check` in a child process with these variables."""
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env |= {"DJANGO_SETTINGS_MODULE": "config.test_settings", **variables}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_malformed_database_url_stops_the_process_saying_which_variable():
    done = start(DATABASE_URL="postgres://archive:secret@db.internal:54x2/archive")
    assert done.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL has an invalid port: '54x2'" in done.stderr
    assert "secret" not in done.stderr


def test_a_malformed_replica_url_stops_the_process_saying_which_entry():
    done = start(
        DATABASE_URL="postgres://archive@/archive?host=/nowhere",
        DATABASE_REPLICA_URLS="postgres://archive@/archive?host=/r1,mysql://r2/archive",
    )
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URLS entry 2 must be a postgresql://" in done.stderr


def test_the_url_parameters_reach_the_server(db):
    # A child process configured by DATABASE_URL alone: what its connection is, seen
    # from the server. application_name and options were dropped before.
    from tests.conftest import database_url

    url = database_url() + "&application_name=archive-check&options=-c%20work_mem%3D7MB"
    shell = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute(\"SELECT current_setting('application_name'),"
        " current_setting('work_mem'), current_setting('jit')\")\n"
        "    print(*cursor.fetchone())\n"
    )
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env |= {"DJANGO_SETTINGS_MODULE": "config.test_settings", "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", shell],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # The project's own server options stay, the URL's are added.
    assert done.stdout.split()[-3:] == ["archive-check", "7MB", "off"]
