"""What every scenario shares: a benchmark database and its search index, gunicorn on
loopback, percentiles, memory and CPU, and the load average printed beside every figure
(the machine is shared: a figure without it cannot be read)."""

from __future__ import annotations

import contextlib
import http.client
import os
import platform
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlencode

from bench import DATA, ROOT

HOST = "127.0.0.1"
STATIC_ROOT_VARIABLE = "BENCH_STATIC_ROOT"
BUILD_IT = "python -m bench import --count 20000 --keep"


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile, interpolated between samples (with 50 samples, p99 is about
    the second slowest)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def percentiles(timings: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max, rounded to 0.1 ms; {} for no timings."""
    if not timings:
        return {}
    found = {f"p{p}": percentile(timings, p) for p in (50, 95, 99)} | {"max": max(timings)}
    return {key: round(value, 1) for key, value in found.items()}


# --- the benchmark database ---------------------------------------------------------------


def server_settings() -> dict[str, Any]:
    """The project's database settings (config.settings; the embedded PostgreSQL server,
    started if needed, unless DATABASE_URL names another). Django is not set up yet."""
    # Production's settings, whatever the environment says (a test's are config.test_settings).
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "0"  # production's settings: its static files storage, hardening
    # A line a request would bury the figures (the test client's requests, in this process).
    os.environ.setdefault("LOG_REQUESTS_LEVEL", "WARNING")
    # Requests go to gunicorn with a fresh SECRET_KEY of its own, or to the test client.
    os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")
    from django.conf import settings

    return dict(settings.DATABASES["default"])


def server_connection(database: dict[str, Any]) -> Any:
    """An autocommit psycopg connection to `database` (Django's settings keys)."""
    import psycopg

    keys = {"NAME": "dbname", "USER": "user", "PASSWORD": "password", "HOST": "host"}
    params = {arg: database[key] for key, arg in keys.items() if database.get(key)}
    if database.get("PORT"):
        params["port"] = int(database["PORT"])
    return psycopg.connect(**params, autocommit=True)


def database_exists(server: dict[str, Any], name: str) -> bool:
    with server_connection(server) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def drop_database(server: dict[str, Any], name: str) -> None:
    from psycopg import sql

    with server_connection(server) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def create_database(server: dict[str, Any], name: str) -> None:
    from psycopg import sql

    with server_connection(server) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def use_database(name: str, *, fresh: bool = False, create: bool = False) -> dict[str, Any]:
    """Point Django at the benchmark database `name`, DEBUG off, and set it up; return
    the server's settings. `fresh` drops and creates it; otherwise a missing one is
    created if `create`, else the run stops saying how to build it.

    Its search index is its own, DATA/index-<name>, unless SEARCH_INDEX_DIR names one:
    never the project's, which holds another database's decisions."""
    server = server_settings()
    if server["NAME"] == name:
        raise SystemExit(f"--database {name!r} is the project's own database; refusing")
    if fresh:
        drop_database(server, name)
        create_database(server, name)
    elif not database_exists(server, name):
        if not create:
            raise SystemExit(f"database {name!r} not found: {BUILD_IT} --database {name}")
        create_database(server, name)
    index = os.environ.get("SEARCH_INDEX_DIR") or str(DATA / f"index-{name}")
    os.environ["SEARCH_INDEX_DIR"] = index  # for gunicorn and manage.py, started later
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = name
    settings.SEARCH_INDEX_DIR = Path(index)
    # As in production; and with DEBUG on, Django keeps every query in memory.
    settings.DEBUG = False
    import django

    django.setup()
    return server


def catch_up_index() -> None:
    """Build the database's search index, or bring it up to date, before measuring."""
    from decisions.search import syncing

    syncing.catch_up()


def in_process_requests() -> None:
    """Settings for requests through Django's test client in this process."""
    import warnings

    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", HOST]
    # One client sends every request: the API's throttle would answer 429 past its rate.
    settings.API_THROTTLE_RATE = "1000000/min"
    settings.DOWNLOAD_RATE_LIMIT = 1_000_000
    # Templates use {% static %}; no collectstatic, so no manifest to look names up in.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise, no STATIC_ROOT


def sql_rows(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall() if cursor.description else []


def published_decisions() -> int:
    return sql_rows("SELECT count(*) FROM decisions_decision WHERE withdrawn_at IS NULL")[0][0]


def machine() -> str:
    """The machine and its load now: printed with every result."""
    (version,) = sql_rows("SHOW server_version")[0]
    return (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, PostgreSQL {version}, "
        f"load average {load_average()}"
    )


def git_revision() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return described.stdout.strip() or "unknown"


# --- memory and CPU -------------------------------------------------------------------------


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def children_peak_rss_mb() -> float:
    """The largest RSS of this process's finished children (the import's parsing worker)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def pss_mb(pid: int | str = "self") -> float:
    """A process's proportional set size: its private pages and its share of the pages
    it shares (with a forked worker, say), so that two processes' figures add up."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pss_with_children_mb() -> float:
    """This process's PSS and its children's (whichever of its threads forked them)."""
    total = pss_mb()
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):  # a thread or a child may just have ended
            for pid in (task / "children").read_text().split():
                total += pss_mb(pid)
    return total


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process on this machine (/proc), e.g. a PostgreSQL backend."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """This process's CPU and its finished children's (the parsing worker)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def backend_pid() -> int:
    """The PostgreSQL backend of Django's connection, whose CPU an import mostly is."""
    return sql_rows("SELECT pg_backend_pid()")[0][0]


# --- gunicorn on loopback -------------------------------------------------------------------


def wsgi_application() -> Any:
    """gunicorn's application: `config.wsgi`'s, reading the static files this run
    collected (settings do not read STATIC_ROOT from the environment, and the project's
    own staticfiles/ is left alone). gunicorn runs `bench.common:wsgi_application()`."""
    if os.environ.get(STATIC_ROOT_VARIABLE):
        from django.conf import settings

        settings.STATIC_ROOT = os.environ[STATIC_ROOT_VARIABLE]  # before django.setup()
    from config.wsgi import application

    return application


def database_url(database: dict[str, Any]) -> str:
    """DATABASE_URL for config.settings; a socket folder goes in ?host=."""
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database.get("PASSWORD") else ""
    host, query = database.get("HOST") or "", ""
    if host.startswith("/"):
        host, query = "", "?" + urlencode({"host": database["HOST"]})
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(database['NAME'])}{query}"


def collect_static(static_root: str) -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.STATIC_ROOT = static_root
    call_command("collectstatic", interactive=False, verbosity=0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn as production starts it, from the repository's gunicorn.conf.py (workers
    and threads from WEB_WORKERS and WEB_THREADS, preloaded), on a free loopback port,
    DEBUG off, a fresh SECRET_KEY, the static files of `static_root`, and the caches in
    PostgreSQL (no CACHE_URL) as on a site without Redis. Every client is 127.0.0.1, so
    the per-address API throttle and download limit, meant for many addresses, are
    raised; every other setting is the default."""

    def __init__(
        self, database: dict[str, Any], static_root: str, log: IO[str], **web: str
    ) -> None:
        self.port = free_port()
        keep = {"ALLOW_INSECURE_SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CACHE_URL"}
        self.environment = {key: value for key, value in os.environ.items() if key not in keep}
        self.environment |= {
            "DATABASE_URL": database_url(database),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            STATIC_ROOT_VARIABLE: static_root,
            "WEB_BIND": f"{HOST}:{self.port}",
            "WEB_LOG_LEVEL": "warning",
            "WEB_GRACEFUL_TIMEOUT": "10",
            "LOG_REQUESTS_LEVEL": "WARNING",
            "API_THROTTLE_RATE": "1000000/min",
            "DOWNLOAD_RATE_LIMIT": "1000000",
            **web,
        }
        self.command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
        self.command.append("bench.common:wsgi_application()")
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def describe(self) -> str:
        web = " ".join(f"{k}={v}" for k, v in self.environment.items() if k.startswith("WEB_"))
        return f"gunicorn -c gunicorn.conf.py ({web})"

    def start(self, path: str = "/", limit: float = 90) -> None:
        # Its own session: Ctrl-C reaches this process only, which then stops gunicorn.
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {self.process.returncode}")
            connection = http.client.HTTPConnection(HOST, self.port, timeout=limit)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"GET {path} answered {response.status}")
                return
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
            finally:
                connection.close()
        raise RuntimeError(f"gunicorn did not answer within {limit:.0f}s")

    def stop(self) -> None:
        """SIGTERM: gunicorn's graceful stop (workers finish their request); SIGKILL if stuck."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def cpu_seconds(self) -> float:
        """User + system CPU of the master and its workers so far."""
        import psutil

        total = 0.0
        with contextlib.suppress(psutil.Error):
            master = psutil.Process(self.process.pid if self.process else 0)
            for process in [master, *master.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system
        return total

    def worker_memory_mb(self) -> list[int]:
        """Resident memory of each worker."""
        import psutil

        try:
            workers = psutil.Process(self.process.pid if self.process else 0).children()
            return [round(worker.memory_info().rss / 1024**2) for worker in workers]
        except psutil.Error:
            return []


def web_settings(workers: int | None, threads: int | None, **more: str) -> dict[str, str]:
    """gunicorn.conf.py's variables for a run: workers and threads when given (else the
    file's own defaults), and `more`."""
    given = {"WEB_WORKERS": workers, "WEB_THREADS": threads}
    return {key: str(value) for key, value in given.items() if value is not None} | more


@contextlib.contextmanager
def serving(**web: str) -> Any:
    """gunicorn on the database Django points at, its static files collected into a
    temporary folder as in production; stopped on the way out, even on Ctrl-C or kill,
    and the end of its log (its warnings and errors) copied to stderr."""
    import tempfile

    from django.conf import settings

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # runs the finally below
    with (
        tempfile.TemporaryDirectory(prefix="bench-static-") as static_root,
        tempfile.TemporaryFile("w+") as log,
    ):
        collect_static(static_root)
        server = Gunicorn(settings.DATABASES["default"], static_root, log, **web)
        try:
            yield server
        finally:
            server.stop()
            log.seek(0)
            sys.stderr.write(log.read()[-4000:])
