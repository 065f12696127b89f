"""The search index (issue 24): an exact answer for every search, ranked over every
match, kept in step with PostgreSQL through the change log, rebuilt beside the live one,
and a clear 503 when it is missing. Real PostgreSQL, a real Tantivy index per test."""

from __future__ import annotations

import datetime
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from decisions.models import Decision
from decisions.search import syncing
from decisions.search.engine import OPENED
from decisions.search.query import DecisionSearch
from tests.conftest import ROOT, child_process_env, database_url
from tests.support.helpers import get_html, make_decision

DAY = datetime.date(2024, 5, 1)


def references(params: dict[str, str]) -> list[str]:
    search = DecisionSearch.from_params(params)
    return [decision.reference for decision in search.window(0, 10_000)]


# --- exact answers, ranked over every match ----------------------------------------------


def test_the_oldest_decision_that_matches_best_comes_first(db):
    """Relevance ranks every match: the decision that matches best comes first even when
    2,500 newer ones match too (the old window ranked only the newest 2,000)."""
    Decision.objects.bulk_create(
        Decision(
            reference=f"20 {n // 1000:03} {n % 1000:03}",
            source="bulk",
            content_hash="h",
            summary="A complaint about a council.",
            body_text="The council was at fault in its care assessment, we found.",
            decision_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 300),
        )
        for n in range(1, 2501)
    )
    oldest = make_decision(
        "10 000 001",
        summary="Care assessment delay: the council's care assessment was late.",
        body_text="The care assessment took a year.",
        decision_date=datetime.date(2010, 1, 4),
    )
    search = DecisionSearch.from_params({"q": "care assessment"})
    assert search.total.value == 2501
    assert search.window(0, 1)[0].pk == oldest.pk


def test_equal_scores_are_in_the_list_order_on_every_page(db):
    for n in range(30):
        make_decision(f"21 000 {n:03}", summary="A parking fine.", decision_date=DAY)
    ranked = references({"q": "parking", "sort": "relevance"})
    newest = references({"q": "parking", "sort": "newest"})
    assert ranked == newest  # one date: the ids, newest first
    search = DecisionSearch.from_params({"q": "parking", "sort": "relevance"})
    paged = [d.reference for start in range(0, 30, 7) for d in search.window(start, 7)]
    assert paged == ranked


@pytest.mark.parametrize(
    "typed",
    [
        "x: ^2 [a TO b]",
        "ref: 19 011 560",
        "summary:care",
        'care AND "unclosed',
        "care~2 title:(a OR b) *",
        "-",
        "OR OR",
        '"" ()',
    ],
)
def test_the_engines_own_syntax_is_searched_as_plain_words(db, client, typed):
    make_decision("22 000 001", summary="Care at home: the care plan.")
    response = client.get("/", {"q": typed})
    assert response.status_code == 200
    assert DecisionSearch.from_params({"q": typed}).total.value in (0, 1)


def test_a_word_in_the_engines_syntax_still_finds_its_decisions(db):
    make_decision("22 000 002", summary="The care plan was late.")
    assert references({"q": "care:"}) == ["22 000 002"]
    assert references({"q": "[care]"}) == ["22 000 002"]


def test_the_largest_payment_first_breaks_ties_in_the_list_order(db):
    for n in range(12):
        make_decision(f"23 000 {n:03}", remedy_total=500 if n % 2 else 100, decision_date=DAY)
    found = references({"sort": "largest"})
    expected = [f"23 000 {n:03}" for n in (11, 9, 7, 5, 3, 1, 10, 8, 6, 4, 2, 0)]
    assert found == expected
    search = DecisionSearch.from_params({"sort": "largest"})
    assert [d.reference for s in (0, 5, 10) for d in search.window(s, 5)] == expected


# --- in step with PostgreSQL -------------------------------------------------------------


def test_a_withdrawn_decision_leaves_every_door_at_once(db, client):
    kept = make_decision("24 000 001", summary="Blue badge refused.", decision_date=DAY)
    gone = make_decision("24 000 002", summary="Blue badge delay.", decision_date=DAY)
    assert "24 000 002" in get_html(client, "/?q=blue+badge")
    Decision.objects.filter(pk=gone.pk).update(
        withdrawn_at=datetime.datetime.now(datetime.UTC), withdrawal_reason="Published in error"
    )
    for url in ("/?q=blue+badge", "/feed.atom?q=blue+badge", "/api/v1/decisions/?q=blue+badge"):
        html = get_html(client, url)
        assert "24 000 002" not in html and "24 000 001" in html, url
    download = b"".join(client.get("/download.csv?q=blue+badge").streaming_content).decode()
    assert "24 000 002" not in download and "24 000 001" in download
    assert kept.pk in DecisionSearch.from_params({"q": "blue badge"}).ids()


def test_a_catch_up_inside_a_transaction_applies_only_its_newer_own_changes(db):
    """A test's writes are its own transaction's, which no snapshot counts as seen: each
    catch-up applies those it has not applied yet, and only those."""
    first = make_decision("24 000 003", summary="Garden waste collection missed.")
    assert syncing.catch_up().changed == 1  # the index is built, with it
    assert syncing.catch_up().changed == 0  # nothing new: nothing applied again
    second = make_decision("24 000 004", summary="Garden waste bins not returned.")
    Decision.objects.filter(pk=first.pk).update(summary="Garden waste collection late.")
    assert syncing.catch_up().changed == 2
    assert syncing.catch_up().changed == 0
    found = DecisionSearch.from_params({"q": "garden waste late"}).ids()
    assert found == [first.pk] and second.pk in DecisionSearch.from_params({"q": "bins"}).ids()


def test_check_finds_a_change_the_index_missed_and_update_mends_it(db):
    decision = make_decision("25 000 001", summary="Housing allocation.")
    syncing.catch_up()
    assert syncing.compare().none
    with connection.cursor() as cursor:  # a change no trigger logged (triggers off)
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE decisions_decision SET summary = 'Changed.' WHERE id = %s", [decision.pk]
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert syncing.compare().stale == [decision.pk]
    syncing.rebuild()
    assert syncing.compare().none


def test_the_lag_counts_what_the_index_has_not_applied(db, settings):
    # A test's own changes are uncommitted, so no snapshot counts them as applied: the
    # lag counts them until the end (the writer's tests below see committed ones go).
    make_decision("26 000 001")
    syncing.catch_up()
    assert syncing.lag().pending == 1
    make_decision("26 000 002")
    assert syncing.lag().pending == 2


# --- when the index is missing -----------------------------------------------------------


def test_without_an_index_word_searches_answer_503_and_filters_still_work(
    db, client, settings, search_index
):
    make_decision("27 000 001", summary="Blue badge refused.", outcome="upheld")
    settings.SEARCH_INDEX_CATCH_UP_ON_READ = False
    shutil.rmtree(search_index, ignore_errors=True)
    OPENED.forget()
    response = client.get("/?q=blue+badge")
    assert response.status_code == 503
    assert "Searching by words is briefly unavailable" in response.content.decode()
    api = client.get("/api/v1/decisions/?q=blue")
    assert api.status_code == 503 and "search index" in api.json()["detail"]
    assert "27 000 001" in get_html(client, "/?outcome=upheld")
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "search_index rebuild" in ready.content.decode()


def test_a_broken_index_is_a_503_not_a_500(db, client, settings, search_index):
    make_decision("27 000 002", summary="Blue badge refused.")
    syncing.catch_up()
    settings.SEARCH_INDEX_CATCH_UP_ON_READ = False
    current = syncing.current_path(search_index)
    for path in current.iterdir():
        if path.name != "meta.json":
            path.unlink()
    (current / "meta.json").write_text("{not json")
    OPENED.forget()
    assert client.get("/?q=blue").status_code == 503
    assert client.get("/").status_code == 200


# --- rebuild while searching --------------------------------------------------------------


def test_a_rebuild_swaps_in_while_searches_go_on(db, search_index, settings):
    for n in range(40):
        make_decision(f"28 000 {n:03}", summary="School transport refused.", decision_date=DAY)
    syncing.catch_up()
    first = syncing.current_path(search_index)
    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    # The searching thread reads the index as it is: it brings nothing up to date.
    settings.SEARCH_INDEX_CATCH_UP_ON_READ = False

    def search() -> None:
        try:
            while not stop.is_set():
                counts.append(DecisionSearch.from_params({"q": "school transport"}).total.value)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    # The searching thread reads the index only (no database): the rows here are in
    # this test's transaction, which only this connection sees.
    searcher = threading.Thread(target=lambda: [search()])
    searcher.start()
    try:
        for _ in range(3):
            syncing.rebuild()
    finally:
        stop.set()
        searcher.join()
    assert not errors, errors
    assert counts and set(counts) == {40}
    assert syncing.current_path(search_index) != first
    assert not first.exists()  # the old folder is removed once swapped out


# --- the writer process, and commit order ---------------------------------------------------


def writer_env(index: Path) -> dict[str, str]:
    return child_process_env() | {
        "SEARCH_INDEX_DIR": str(index),
        "SEARCH_INDEX_POLL_SECONDS": "0.1",
    }


def start_writer(index: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "search_index", "run"],
        cwd=ROOT,
        env=writer_env(index),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def indexed_ids(index: Path) -> set[int] | None:
    """The decision ids in the index `index` holds (None before it is built)."""
    from decisions.search import engine

    folder = syncing.current_path(index)
    if folder is None:
        return None
    found = engine.open_index(folder).searcher()
    hits = found.search(engine.documents(), max(found.num_docs, 1), count=False).hits
    return set(engine.ids_of(found, [address for _, address in hits]))


def wait_for(index: Path, wanted: set[int], deadline: float = 30.0) -> None:
    """Until the index in `index` holds exactly the decisions `wanted` (a poll of the
    writer's own result, bounded in time: no fixed sleep decides the outcome)."""
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        if indexed_ids(index) == wanted:
            return
        time.sleep(0.05)
    raise AssertionError(f"{index} holds {indexed_ids(index)}, not {wanted}")


def published_ids() -> set[int]:
    return set(Decision.objects.published().values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_writer_killed_between_commit_and_index_loses_nothing(tmp_path):
    index, log = tmp_path / "machine", tmp_path / "writer.log"
    make_decision("29 000 001", summary="Bailiff fees.")
    writer = start_writer(index, log)
    try:
        wait_for(index, published_ids())
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        # Committed while no writer runs: a crash between the two.
        make_decision("29 000 002", summary="Bailiff visit.")
        writer = start_writer(index, log)
        wait_for(index, published_ids())
        assert len(published_ids()) == 2
    finally:
        writer.kill()
        writer.wait()


@pytest.mark.django_db(transaction=True)
def test_two_machines_indexes_agree_after_imports_and_a_withdrawal(tmp_path):
    from tests.conftest import import_samples

    first, second = tmp_path / "one", tmp_path / "two"
    writers = [start_writer(first, tmp_path / "1.log"), start_writer(second, tmp_path / "2.log")]
    try:
        import_samples()
        assert len(published_ids()) == 56
        for index in (first, second):
            wait_for(index, published_ids())
        withdrawn = Decision.objects.published().first()
        Decision.objects.filter(pk=withdrawn.pk).update(
            withdrawn_at=datetime.datetime.now(datetime.UTC), withdrawal_reason="test"
        )
        for index in (first, second):
            wait_for(index, published_ids())
        assert withdrawn.pk not in indexed_ids(first) | indexed_ids(second)
    finally:
        for writer in writers:
            writer.kill()
            writer.wait()


@pytest.mark.django_db(transaction=True)
def test_a_change_that_commits_after_a_later_numbered_one_is_not_skipped(search_index):
    """Sequence numbers are not commit order: a transaction that logged its change first
    and commits last is still applied."""
    make_decision("30 000 001", summary="Noise nuisance.")
    make_decision("30 000 002", summary="Parking permit.")
    syncing.catch_up()
    url = database_url()
    with psycopg.connect(url) as early, psycopg.connect(url, autocommit=True) as late:
        with early.cursor() as cursor:  # logs change n, and stays open
            cursor.execute(
                "UPDATE decisions_decision SET summary = 'Noise and odour nuisance.'"
                " WHERE reference = '30 000 001'"
            )
        with late.cursor() as cursor:  # logs change n + 1 and commits first
            cursor.execute(
                "UPDATE decisions_decision SET summary = 'Parking permit refused.'"
                " WHERE reference = '30 000 002'"
            )
        with early.cursor() as cursor:  # the open change took the lower number
            cursor.execute(
                "SELECT max(id) FROM decisions_searchchange WHERE txid = pg_current_xact_id()"
            )
            earlier = cursor.fetchone()[0]
        with late.cursor() as cursor:
            cursor.execute("SELECT max(id) FROM decisions_searchchange")
            assert cursor.fetchone()[0] > earlier
        syncing.catch_up()  # sees the later-numbered change only: the earlier is open
        assert references({"q": "refused"}) == ["30 000 002"]
        assert references({"q": "odour"}) == []
        early.commit()
    syncing.catch_up()
    assert references({"q": "odour"}) == ["30 000 001"]
