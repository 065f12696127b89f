"""The harvester against a replay of the source's site on loopback (tests/support/replay_site.py):
what it fetched, what it imported and what each run recorded."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import tracemalloc
import zlib
from dataclasses import replace
from datetime import date

import pytest
from django.db import connection
from werkzeug import Response

from decisions.harvesting.client import HarvestStopped
from decisions.harvesting.harvest import Harvester
from decisions.models import (
    Capture,
    Decision,
    HarvestRun,
    HarvestWindow,
    ImportRun,
    SourcePage,
)
from tests.conftest import ROOT, child_process_env
from tests.support.harvest_fixtures import EVERYTHING, TODAY, options_for
from tests.support.replay_site import empty_shell, error_page_with_200, slow, streamed, trickle

pytestmark = pytest.mark.django_db


def harvest(site, dry_run=False, today=TODAY, **changes):
    dates = {key: changes.pop(key) for key in ("since", "until") if key in changes}
    dates = EVERYTHING | dates
    return Harvester(options_for(site, **changes), dry_run=dry_run).run(
        dates["since"], dates["until"], today=today
    )


def test_it_imports_every_listed_decision_through_the_pipeline(site):
    run = harvest(site)

    assert run.status == HarvestRun.Status.FINISHED
    assert (run.created, run.failed) == (len(site.decisions), 0), run.failures
    assert Decision.objects.count() == len(site.decisions)
    # robots.txt first, then the listing (46 decisions, ten a page), then each page once.
    assert site.log[0].path == "/robots.txt"
    listings = site.fetched("/Decisions/Archive")
    assert [entry.query["page"] for entry in listings] == ["1", "2", "3", "4", "5"]
    assert sorted(entry.path for entry in site.fetched("/decisions/")) == sorted(site.decisions)
    assert run.requests == len(site.log) == 1 + 5 + len(site.decisions)
    assert run.pages_fetched == len(site.decisions)
    assert run.windows == [
        {"window": "2017-01-01 to 2026-12-02", "status": "walked", "pages": 5, "listed": 46}
    ]
    # The third door: the pipeline's own ImportRuns, linked to the harvest, one for each
    # batch of HARVEST_IMPORT_BATCH pages.
    imports = run.imports.order_by("pk")
    assert {imported.origin for imported in imports} == {ImportRun.Origin.HARVEST}
    assert [imported.created for imported in imports] == [20, 20, 6]


def test_the_raw_page_and_its_headers_are_kept_as_the_capture(site):
    harvest(site)

    path = "/decisions/housing/allocations/24-012-973"
    decision = Decision.objects.get(reference="24 012 973")
    capture = decision.captures.get()
    assert capture.origin == ImportRun.Origin.HARVEST
    assert capture.url == decision.url == site.base_url + path
    assert zlib.decompress(bytes(capture.raw)).decode() == site.decisions[path].html
    assert capture.headers["etag"] == site.decisions[path].etag
    assert capture.headers["last-modified"] == "Mon, 01 Dec 2025 09:00:00 GMT"
    assert decision.organisation.name == "London Borough of Redbridge"
    page = SourcePage.objects.get(decision=decision)
    assert page.etag == site.decisions[path].etag
    assert page.first_seen_at == page.last_seen_at == page.last_listed_at
    assert page.gone_since is None


def test_it_says_who_it_is_in_its_user_agent(site):
    harvest(site)

    agents = {entry.headers["User-Agent"] for entry in site.log}
    assert agents == {
        "OmbudsmanDecisionsArchive/0.1 (+https://archive.example.org/about/; archive@example.org)"
    }


def test_a_second_run_fetches_nothing_new_and_changes_nothing(site):
    # Recent windows are walked again on every run: the pages are asked for again, and
    # each answers 304 to the conditional request.
    first = harvest(site, rewalk_days=10_000)
    updated = dict(Decision.objects.values_list("reference", "updated_at"))
    captures = Capture.objects.count()
    site.log.clear()

    second = harvest(site, rewalk_days=10_000)

    assert (second.pages_fetched, second.not_modified) == (0, first.pages_fetched)
    assert (second.created, second.updated, second.failed) == (0, 0, 0)
    assert not second.imports.exists()
    assert dict(Decision.objects.values_list("reference", "updated_at")) == updated
    assert Capture.objects.count() == captures
    pages = site.fetched("/decisions/")
    assert pages and all(entry.headers.get("If-None-Match") for entry in pages)


def test_a_finished_old_window_is_skipped_by_the_next_run(site):
    # Decided before the re-walked days (none here): walked once, then skipped.
    harvest(site, until=date(2026, 6, 30))
    site.log.clear()

    again = harvest(site, until=date(2026, 6, 30))

    assert [entry.path for entry in site.log] == ["/robots.txt"]
    assert again.windows == [
        {"window": "2017-01-01 to 2026-06-30", "status": "skipped", "pages": 0, "listed": 0}
    ]


def test_a_page_changed_between_runs_is_fetched_and_updated(site):
    harvest(site, rewalk_days=10_000)
    path = "/decisions/housing/allocations/24-012-973"
    page = site.decisions[path]
    page.html = page.html.replace(
        "The Council will apologise", "The Council has agreed to apologise"
    )

    second = harvest(site, rewalk_days=10_000)

    assert (second.pages_fetched, second.updated, second.not_modified) == (1, 1, 45)
    decision = Decision.objects.get(reference="24 012 973")
    assert "has agreed to apologise" in decision.summary
    assert decision.captures.count() == 2
    assert SourcePage.objects.get(decision=decision).etag == page.etag


def test_the_second_listing_form_is_tried_and_walked_by_page_number(site):
    site.forms = ("search",)  # no Archive listing, and no "Next" links

    run = harvest(site)

    assert run.created == len(site.decisions)
    assert len(site.fetched("/Decisions/Archive")) == 1  # a 404, then the other form
    pages = site.fetched("/Decisions/SearchResults")
    assert [entry.query["page"] for entry in pages] == ["1", "2", "3", "4", "5"]


def test_a_listing_cut_short_takes_nothing_as_gone_and_is_not_checkpointed(site):
    harvest(site, rewalk_days=10_000)

    run = harvest(site, rewalk_days=10_000, max_pages_per_window=2)

    assert len(site.fetched("/Decisions/Archive")) == 5 + 2
    assert run.windows[0]["status"] == "walked, listing incomplete"
    assert not SourcePage.objects.filter(missing_from_listings__gt=0).exists()
    assert run.removed_at_source == 0


def test_windows_are_walked_newest_first_and_each_is_checkpointed(site):
    run = harvest(site, since=date(2025, 1, 1), until=date(2025, 12, 31), window_days=100)

    listed = [(e.query["fd"], e.query["td"]) for e in site.fetched("/Decisions/Archive")]
    assert listed == sorted(listed, reverse=True)
    assert listed[0][1] == "2025-12-31" and listed[-1][0] == "2025-01-01"
    assert run.created == Decision.objects.count() == 8  # the fixtures decided in 2025
    assert {w["status"] for w in run.windows} == {"walked"}


def test_an_interrupted_harvest_resumes_where_it_stopped(site):
    # The listing of the older window fails every time: the run stops there.
    site.broken = lambda request: (
        Response("<h1>Server error</h1>", status=500)
        if request.path.startswith("/Decisions/") and request.args.get("td", "") < "2025-06-01"
        else None
    )
    with pytest.raises(HarvestStopped):
        harvest(
            site,
            since=date(2025, 1, 1),
            until=date(2025, 12, 31),
            window_days=100,
            retries=0,
        )
    stopped = HarvestRun.objects.get()
    assert stopped.status == HarvestRun.Status.STOPPED
    assert "no listing of" in stopped.error
    walked = [w["window"] for w in stopped.windows if w["status"] == "walked"]
    assert walked and Decision.objects.count() > 0
    site.broken = None
    site.log.clear()

    resumed = harvest(site, since=date(2025, 1, 1), until=date(2025, 12, 31), window_days=100)

    windows_asked = {e.query["fd"] + " to " + e.query["td"] for e in site.fetched("/Decisions/")}
    assert not windows_asked & set(walked)  # the finished windows are not walked again
    assert resumed.status == HarvestRun.Status.FINISHED
    assert Decision.objects.count() == 8


def test_requests_keep_the_delay_and_robots_crawl_delay_apart(site):
    site.robots = "User-agent: *\nCrawl-delay: 0.15\n"

    harvest(site, since=date(2025, 1, 1), until=date(2025, 6, 30), delay_seconds=0.05)

    times = [entry.at for entry in site.log]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert len(gaps) >= 5
    # Arrival times at the server: each lags its sending by a little (more on a busy
    # machine, and most for robots.txt, which opens the connection), so each gap is the
    # delay give or take that lag, and the whole walk at least the delays' sum minus one.
    jitter = 0.03
    assert min(gaps) >= 0.15 - jitter  # the site's crawl delay, longer than ours
    assert times[-1] - times[1] >= 0.15 * (len(times) - 2) - jitter


def test_a_path_robots_txt_disallows_is_never_fetched(site):
    site.robots = "User-agent: *\nDisallow: /decisions/housing/\n"
    housing = [path for path in site.decisions if path.startswith("/decisions/housing/")]

    run = harvest(site)

    assert housing and not site.fetched("/decisions/housing/")
    assert run.disallowed == len(housing)
    assert run.created == len(site.decisions) - len(housing)


def test_a_429_is_retried_after_the_time_it_asks_for(site):
    path = "/decisions/housing/allocations/24-012-973"
    site.fault(path, Response("Too many requests", status=429, headers={"Retry-After": "1"}))

    run = harvest(site, since=date(2025, 11, 1), until=date(2025, 11, 30))

    first, second = site.fetched(path)
    # Measured at the server: the first request's arrival lags its sending a little.
    assert second.at - first.at >= 1.0 - 0.03
    assert (run.created, run.failed) == (1, 0)


def test_a_500_then_success_imports_the_page(site):
    path = "/decisions/housing/allocations/24-012-973"
    site.fault(path, Response("<h1>Server error</h1>", status=500))

    run = harvest(site, since=date(2025, 11, 1), until=date(2025, 11, 30))

    assert len(site.fetched(path)) == 2
    assert (run.created, run.failed, run.requests) == (1, 0, 4)


def test_a_slow_answer_past_the_timeout_is_retried(site):
    path = "/decisions/housing/allocations/24-012-973"
    site.fault(path, slow(1.0, Response("late", status=200)))

    run = harvest(site, since=date(2025, 11, 1), until=date(2025, 11, 30), timeout_seconds=0.3)

    assert len(site.fetched(path)) == 2
    assert (run.created, run.failed) == (1, 0)


def test_a_page_that_never_answers_in_time_fails_alone_with_its_reason(site):
    path = "/decisions/housing/allocations/24-012-973"
    site.fault(path, *[slow(0.6, Response("late"))] * 3)

    run = harvest(
        site, since=date(2025, 9, 1), until=date(2025, 11, 30), timeout_seconds=0.3, retries=2
    )

    assert run.status == HarvestRun.Status.FINISHED
    assert run.created == 1  # the other decision of the window
    assert run.failures == [
        {
            "url": site.base_url + path,
            "error": f"{site.base_url}{path}: no answer within 0.3 s (after 3 tries)",
        }
    ]


def test_repeated_failures_stop_the_run_with_a_clear_report(site):
    site.broken = lambda request: (
        Response("<h1>Unavailable</h1>", status=503)
        if request.path.startswith("/decisions/")
        else None
    )

    with pytest.raises(HarvestStopped, match="stopped after 3 failed requests in a row"):
        harvest(site, retries=1, max_failures_in_a_row=3)

    run = HarvestRun.objects.get()
    assert run.status == HarvestRun.Status.STOPPED
    assert run.error.startswith("stopped after 3 failed requests in a row, the last for ")
    assert run.failed == 2 and "HTTP 503 (after 2 tries)" in run.failures[0]["error"]
    assert len(site.fetched("/decisions/")) == 6  # three pages, two tries each
    assert not Decision.objects.exists()


def test_pages_fetched_before_a_stop_are_imported(site):
    # The listing's newest two pages answer; every later one fails.
    answered = iter(range(2))
    site.broken = lambda request: (
        None
        if not request.path.startswith("/decisions/") or next(answered, None) is not None
        else Response("<h1>Unavailable</h1>", status=503)
    )

    with pytest.raises(HarvestStopped):
        harvest(site, retries=0, max_failures_in_a_row=2)

    run = HarvestRun.objects.get()
    assert (run.created, run.windows[0]["status"]) == (2, "stopped")
    assert Decision.objects.count() == 2


@pytest.mark.parametrize(
    "answer, problem",
    [
        (empty_shell, "says it has 12 results but links to no decision"),
        (error_page_with_200, "no decision links and no count of results (page: 'Sorry')"),
    ],
)
def test_a_listing_that_is_not_what_was_expected_stops_the_run(site, answer, problem):
    site.fault("/Decisions/Archive", answer())
    site.fault("/Decisions/SearchResults", answer())

    with pytest.raises(HarvestStopped, match="no listing of 2017-01-01 to 2026-12-02") as stop:
        harvest(site)

    assert problem in str(stop.value)
    run = HarvestRun.objects.get()
    assert (run.status, run.windows[0]["status"]) == (HarvestRun.Status.STOPPED, "stopped")
    assert problem in run.error
    assert not Decision.objects.exists()


def test_an_empty_window_that_says_so_is_walked(site):
    run = harvest(site, since=date(2017, 1, 1), until=date(2017, 1, 31))

    assert run.status == HarvestRun.Status.FINISHED
    assert run.windows[0] | {"window": ""} == {
        "window": "",
        "status": "walked",
        "pages": 1,
        "listed": 0,
    }


def test_a_malformed_page_fails_alone_and_says_why(site):
    path = "/decisions/housing/allocations/24-012-973"
    site.fault(path, Response(b"\x00\xff<html><body><<<", content_type="text/html"))

    run = harvest(site, since=date(2025, 9, 1), until=date(2025, 11, 30))

    assert (run.created, run.failed) == (1, 1)
    assert run.failures[0]["url"] == site.base_url + path
    assert run.failures[0]["error"].startswith("could not import the page: no LGSCO reference")
    # Not seen, and its window not checkpointed: the next run asks for it again.
    assert not SourcePage.objects.filter(decision__reference="24 012 973").exists()
    assert run.windows[0]["status"] == "walked, with failures"
    assert not HarvestWindow.objects.exists()
    site.log.clear()
    again = harvest(site, since=date(2025, 9, 1), until=date(2025, 11, 30))
    assert (again.created, again.unchanged, again.failed) == (1, 0, 0)
    assert again.not_modified == 1  # the other decision, fetched before
    assert HarvestWindow.objects.count() == 1


def test_404_and_410_mark_decisions_no_longer_published(site):
    harvest(site, rewalk_days=10_000)
    site.fault("/decisions/housing/allocations/24-012-973", Response("Gone", status=410))
    site.fault("/decisions/housing/allocations/22-002-144", Response("Not found", status=404))

    run = harvest(site, rewalk_days=10_000)

    assert run.removed_at_source == 2
    gone = SourcePage.objects.filter(gone_since__isnull=False)
    assert {(p.decision.reference, p.gone_reason) for p in gone} == {
        ("24 012 973", "HTTP 410"),
        ("22 002 144", "HTTP 404"),
    }
    # Kept, and still in the archive's list.
    assert Decision.objects.published().filter(reference="24 012 973").exists()


def test_a_recent_decision_gone_from_the_listings_twice_in_a_row_is_no_longer_published(site):
    path = "/decisions/housing/allocations/24-012-973"
    harvest(site, rewalk_days=10_000)
    removed = site.decisions.pop(path)
    site.faults[path] = []  # its page still answers 200 if asked; only the listing drops it

    once = harvest(site, rewalk_days=10_000)
    page = SourcePage.objects.get(decision__reference=removed.reference)
    assert (once.removed_at_source, page.missing_from_listings, page.gone_since) == (0, 1, None)

    twice = harvest(site, rewalk_days=10_000)
    page.refresh_from_db()
    assert twice.removed_at_source == 1
    assert page.gone_since == page.missing_since is not None
    assert "on 2 harvests in a row" in page.gone_reason


def test_a_dry_run_fetches_and_writes_nothing(site):
    run = harvest(site, dry_run=True)

    assert run.pk is None and run.created == len(site.decisions)
    assert not Decision.objects.exists()
    assert not HarvestRun.objects.exists() and not ImportRun.objects.exists()


def test_a_harvest_does_not_start_while_another_runs(site):
    import threading
    import zlib

    from django.db import connection

    key = zlib.crc32(b"decisions.harvesting:harvest")
    holding, done = threading.Event(), threading.Event()

    def other_harvest() -> None:  # another process's session, holding the lock
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
            holding.set()
            done.wait(10)
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        connection.close()

    thread = threading.Thread(target=other_harvest)
    thread.start()
    try:
        holding.wait(10)
        with pytest.raises(HarvestStopped, match="another harvest of the listings is running"):
            harvest(site)
    finally:
        done.set()
        thread.join()
    assert not site.log and not HarvestRun.objects.exists()


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted(site):
    dead = HarvestRun.objects.create(base_url=site.base_url)

    harvest(site, since=date(2025, 11, 1), until=date(2025, 11, 30))

    dead.refresh_from_db()
    assert dead.status == HarvestRun.Status.INTERRUPTED
    assert "stopped without finishing" in dead.error


# --- trust under faults (issue 25) ---------------------------------------------------------

ONE_PAGE = {"since": date(2025, 11, 1), "until": date(2025, 11, 30)}  # 24 012 973 alone
ITS_PATH = "/decisions/housing/allocations/24-012-973"


def test_a_page_trickled_byte_by_byte_is_given_up_at_its_deadline(site):
    # Every read is quick (a byte each 0.05 s), the whole answer would take 10 s.
    site.fault(ITS_PATH, trickle(b"<html>" + b"x" * 200, every=0.05))
    started = time.monotonic()

    run = harvest(site, timeout_seconds=0.5, **ONE_PAGE)

    assert time.monotonic() - started < 4
    assert len(site.fetched(ITS_PATH)) == 1  # refused, not tried again
    (failure,) = run.failures
    assert failure["url"] == site.base_url + ITS_PATH
    assert "not received whole within 0.5 s (HARVEST_TIMEOUT_SECONDS;" in failure["error"]
    assert run.status == HarvestRun.Status.FINISHED


@pytest.mark.parametrize(
    "answer, seen",
    [
        (Response(b"x" * 30_000, content_type="text/html"), "it says it has 30,000 bytes"),
        (streamed(b"x" * 30_000), "bytes read"),
    ],
    ids=["with Content-Length", "streamed without"],
)
def test_a_page_over_the_size_limit_is_refused_and_the_failure_recorded(site, answer, seen):
    site.fault(ITS_PATH, answer)

    run = harvest(site, max_page_bytes=10_000, **ONE_PAGE)

    assert len(site.fetched(ITS_PATH)) == 1
    (failure,) = run.failures
    assert "larger than HARVEST_MAX_PAGE_BYTES (10,000 bytes): " in failure["error"]
    assert seen in failure["error"]
    assert not Decision.objects.exists()
    assert run.windows[0]["status"] == "walked, with failures"


def test_only_a_batch_of_pages_waits_in_memory(site):
    # 46 pages of 400 kB: all of a window's pages held until it ended peaked at 150 MB
    # (traced by tracemalloc), a batch of 5 at a time at 35 MB.
    padding = "<div hidden>" + "x" * 400_000 + "</div>"
    for path, decision in list(site.decisions.items()):
        site.decisions[path] = replace(
            decision, html=decision.html.replace("</main>", padding + "</main>")
        )
    tracemalloc.start()
    try:
        run = harvest(site, import_batch=5)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert run.created == 46
    assert peak < 60 * 1024**2


@pytest.mark.django_db(transaction=True)
def test_pages_are_imported_a_batch_at_a_time_as_they_are_fetched(site):
    imported_when_asked: list[int] = []

    def count_imported(request):  # in the server's thread, on a connection of its own
        if request.path.startswith("/decisions/"):
            imported_when_asked.append(Decision.objects.count())
            connection.close()
        return None

    site.broken = count_imported

    run = harvest(site, import_batch=10)

    assert imported_when_asked[:11] == [0] * 10 + [10]
    assert imported_when_asked[-1] == 40  # the 46th page asked for, 40 already in
    assert run.imports.count() == 5 and run.created == 46


def test_a_listing_link_that_404s_leaves_the_decision_and_its_address_alone(site):
    harvest(site, rewalk_days=10_000)
    # The listing now links the decision at another address, which answers 404.
    moved = replace(site.decisions.pop(ITS_PATH), path="/decisions/housing/homelessness/24-012-973")
    site.add(moved)
    site.fault(moved.path, Response("Not found", status=404))

    run = harvest(site, rewalk_days=10_000)

    assert run.removed_at_source == 0
    page = SourcePage.objects.get(decision__reference="24 012 973")
    assert (page.url, page.gone_since) == (site.base_url + ITS_PATH, None)
    assert Decision.objects.get(reference="24 012 973").url == site.base_url + ITS_PATH
    assert run.failures == [
        {
            "url": site.base_url + moved.path,
            "error": f"HTTP 404 for a link to 24 012 973, whose own address is "
            f"{site.base_url}{ITS_PATH}: not taken as removed",
        }
    ]


@pytest.mark.django_db(transaction=True)
def test_a_harvest_stopped_by_sigterm_records_its_real_counts_and_keeps_its_imports(site):
    environment = child_process_env() | {
        "ALLOW_INSECURE_SECRET_KEY": "1",
        "HARVEST_DELAY_SECONDS": "0.05",
        "HARVEST_WINDOW_DAYS": "10000",
        "HARVEST_REWALK_DAYS": "0",
        "HARVEST_IMPORT_BATCH": "5",
        "HARVEST_CONTACT_EMAIL": "archive@example.org",
    }
    command = [sys.executable, "manage.py", "harvest_lgsco", "--base-url", site.base_url]
    command += ["--since", "2017-01-01", "--until", TODAY.isoformat()]
    harvesting = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while len(site.fetched("/decisions/")) < 23 and harvesting.poll() is None:
            assert time.monotonic() < deadline, "the harvest did not get going"
            time.sleep(0.01)
        harvesting.send_signal(signal.SIGTERM)
        _, errors = harvesting.communicate(timeout=60)
    finally:
        if harvesting.poll() is None:
            harvesting.kill()
    assert harvesting.returncode == 1
    assert b"Harvest stopped by SIGTERM" in errors

    run = HarvestRun.objects.get()
    assert run.status == HarvestRun.Status.INTERRUPTED
    assert "Terminated('SIGTERM')" in run.error
    # The request under way when the signal came may not have reached the site.
    assert len(site.log) <= run.requests <= len(site.log) + 1
    imported = Decision.objects.count()
    assert imported >= 20 and run.created == imported

    # The next run asks for the imported pages conditionally, and fetches the rest.
    resumed = harvest(site)
    assert (resumed.not_modified, resumed.pages_fetched) == (imported, 46 - imported)
