"""The search index under gunicorn as production runs it: the app preloaded in the master,
two workers forked from it, each opening the index after the fork and reloading it when
the writer commits or a rebuild is swapped in (decisions.search.engine)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from decisions.search import syncing
from tests.conftest import ROOT, database_url, import_samples
from tests.support.fault_server import free_port
from tests.support.helpers import make_decision

WORKERS = 2
# Fresh connections, so the master hands them to either worker: every one of this many
# answers must be right, which two workers cannot pass by chance if one is stale.
ASKED = 30


def start_gunicorn(index: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.test_settings",  # static files without collectstatic
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "SEARCH_INDEX_DIR": str(index),
        "SEARCH_INDEX_CATCH_UP_ON_READ": "0",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--preload"]
    command += [f"--bind=127.0.0.1:{port}", f"--workers={WORKERS}", "--threads=1"]
    command += ["--no-control-socket", "--keep-alive=0"]
    with log.open("ab") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    return server, f"http://127.0.0.1:{port}"


def total(url: str, words: str) -> int:
    with urllib.request.urlopen(f"{url}/api/v1/decisions/?q={words}&facets=false", timeout=10) as r:
        return int(json.loads(r.read())["total"])


def every_answer(url: str, words: str, expected: int, deadline: float = 20.0) -> None:
    """Until ASKED answers in a row give `expected` (a worker reloads on its next search)."""
    started, in_a_row, last = time.monotonic(), 0, None
    while time.monotonic() - started < deadline:
        try:
            last = total(url, words)
        except OSError:
            last = None
        in_a_row = in_a_row + 1 if last == expected else 0
        if in_a_row >= ASKED:
            return
        time.sleep(0.02)
    raise AssertionError(f"{words!r}: last answer {last}, expected {expected}")


@pytest.mark.django_db(transaction=True)
def test_every_preloaded_worker_finds_a_new_import_and_a_swapped_rebuild(search_index, tmp_path):
    import_samples()
    syncing.catch_up(search_index)
    server, url = start_gunicorn(search_index, tmp_path / "gunicorn.log")
    try:
        every_answer(url, "zanzibar", 0)
        # A new decision, applied by the writer's commit: each worker reloads.
        make_decision("26 999 001", summary="A complaint from Zanzibar Street.")
        syncing.catch_up(search_index)
        every_answer(url, "zanzibar", 1)
        # A rebuild swapped in beside the live index: each worker opens the new one.
        before = syncing.current_path(search_index)
        make_decision("26 999 002", summary="Zanzibar again.")
        syncing.rebuild(search_index)
        assert syncing.current_path(search_index) != before
        every_answer(url, "zanzibar", 2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)
