"""Fixtures for the harvester's tests: the replay site on loopback, and options with
small delays (the politeness itself is what some tests measure)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from django.conf import settings
from pytest_httpserver import HTTPServer

from decisions.harvesting.options import HarvestOptions
from tests.support.replay_site import ReplaySite, fixture_decisions

TODAY = date(2026, 12, 2)
# One window covering every fixture decision (2017 to 2026): its listing has five pages.
EVERYTHING = {"since": date(2017, 1, 1), "until": TODAY}


@pytest.fixture
def replay_server() -> Iterator[HTTPServer]:
    # Threaded: a slow answer must not hold up the next request.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def site(replay_server: HTTPServer) -> ReplaySite:
    replay = ReplaySite(replay_server)
    replay.add(*fixture_decisions())
    return replay


def options_for(site: ReplaySite, **changes: object) -> HarvestOptions:
    """The settings' options at the replay site, fast: tests of timing set their own."""
    options = HarvestOptions.from_settings(settings, base_url=site.base_url)
    fast = {
        "delay_seconds": 0.0,
        "timeout_seconds": 2.0,
        "retries": 2,
        "backoff_seconds": 0.05,
        "window_days": 10_000,  # from 2000-01-01: one window to 2027
        "rewalk_days": 0,
        "contact_email": "archive@example.org",
        "project_url": "https://archive.example.org/about/",
    }
    return replace(options, **(fast | changes))  # type: ignore[arg-type]
