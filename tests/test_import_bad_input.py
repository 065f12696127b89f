"""No bad input loses or damages data: each record fails alone, on the real pipeline.

Every test here reproduces a failure seen on an earlier main (issue "No bad input
loses or damages data") through the real import pipeline and a real PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
import zlib
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from decisions.importing.pipeline import (
    mark_interrupted_runs,
    parse_record,
    run_import,
)
from decisions.importing.results import FAILED
from decisions.importing.sources import SourceRecord, iter_sources
from decisions.importing.writing import DecisionWriter
from decisions.models import Capture, Decision, ImportRun
from tests.conftest import FIXTURES, SAMPLES

SEED_UPHELD = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"  # 19 011 560, Norfolk
PAGES = [json.loads(line) for line in (FIXTURES / "lgo_pages.jsonl").open(encoding="utf-8")]


def new_council_page(reference: str, council: str = "Zedshire Borough Council") -> str:
    """A real page, moved to a council the archive has never seen."""
    text = SEED_UPHELD.read_text(encoding="utf-8")
    return text.replace("Norfolk County Council (19 011 560)", f"{council} ({reference})")


def record(source: str, content: str, **provenance) -> SourceRecord:
    return SourceRecord(source, content, provenance=provenance)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    # ensure_ascii keeps "\ud800" as the six characters a scraper's JSON would hold.
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_lone_surrogate_in_a_json_record_does_not_stop_the_import(db, tmp_path):
    broken = {"url": PAGES[0]["url"], "text": PAGES[0]["text"] + " \ud800 end"}
    dump = write_jsonl(tmp_path / "dump.jsonl", [broken, PAGES[1]])
    out = StringIO()
    call_command("import_decisions", str(dump), "--no-progress", stdout=out)
    assert "2 created, 0 updated, 0 unchanged, 0 failed" in out.getvalue()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FINISHED
    stored = Decision.objects.get(url=PAGES[0]["url"])
    assert "\ufffd end" in stored.body_text + stored.summary
    assert any("cannot be stored" in w for w in stored.parse_warnings)
    assert stored.needs_review
    # The capture keeps the input exactly, surrogate and all.
    capture = stored.captures.get()
    assert "\ud800 end" in capture.content()


def test_an_unexpected_error_on_one_record_is_that_records_failure():
    class Exploding:
        """A record whose reading fails half-way, as a broken network mount would."""

        source, url, provenance = "odd.txt", None, {}

        @property
        def content(self) -> str:
            raise RuntimeError("disk vanished")

    result = parse_record(Exploding())  # type: ignore[arg-type]
    assert result.status == FAILED
    assert "disk vanished" in result.error
    assert result.source == "odd.txt"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace("Decision : Upheld", "Decision : " + "Upheld " * 50),
            "outcome wording",
        ),
        (
            lambda t: (
                t.replace("£200", "£99,999,999,999,999", 1)
                if "£200" in t
                else t + "\nThe Council will pay Mr X £99,999,999,999,999 for distress."
            ),
            "payment",
        ),
    ],
    ids=["outcome wording over 255 characters", "a payment of £99,999,999,999,999"],
)
def test_an_unstorable_record_fails_alone_and_names_the_field(db, change, message):
    records = [
        record("first.txt", new_council_page("24 000 001")),
        record("bad.txt", change(new_council_page("24 000 002"))),
        record("third.txt", new_council_page("24 000 003")),
    ]
    run = run_import(records, batch_size=10)
    assert (run.created, run.failed) == (2, 1)
    assert run.failures[0]["source"] == "bad.txt"
    assert message in run.failures[0]["error"]
    assert Decision.objects.filter(organisation__name="Zedshire Borough Council").count() == 2


def test_a_nul_byte_in_the_text_is_replaced_and_the_decision_kept(db):
    records = [
        record(
            "nul.txt", new_council_page("24 000 011").replace("The complaint", "The\x00 complaint")
        ),
        record("next.txt", new_council_page("24 000 012")),
    ]
    run = run_import(records, batch_size=10)
    assert (run.created, run.failed) == (2, 0)
    assert "\x00" not in Decision.objects.get(reference="24 000 011").body_text


def test_a_rolled_back_batch_leaves_no_stale_organisation_id_behind(db):
    """The database refuses one record that slipped past validation: the batch rolls
    back, the new organisation with it, and later records of it must still save."""
    run = ImportRun.objects.create(origin=ImportRun.Origin.COMMAND)
    writer = DecisionWriter(run)
    good = parse_record(record("a.txt", new_council_page("24 000 021")))
    bad = parse_record(record("b.txt", new_council_page("24 000 022")))
    assert good.parsed and bad.parsed
    # Past the checks of decisions.importing.storable: wider than the column.
    bad.parsed = dataclasses.replace(bad.parsed, outcome_wording="x" * 300)
    writer.write([good, bad])
    assert (good.status, bad.status) == ("created", FAILED)

    later = parse_record(record("c.txt", new_council_page("24 000 023", "Quexham Council")))
    also_bad = parse_record(record("d.txt", new_council_page("24 000 024", "Quexham Council")))
    assert later.parsed and also_bad.parsed
    also_bad.parsed = dataclasses.replace(also_bad.parsed, outcome_wording="x" * 300)
    writer.write([later, also_bad])  # the batch fails; Quexham is created and rolled back
    after = parse_record(record("e.txt", new_council_page("24 000 025", "Quexham Council")))
    writer.write([after])
    assert after.status == "created", after.error
    assert Decision.objects.filter(organisation__name="Quexham Council").count() == 2


def degraded_copy() -> str:
    """The page as a broken scraper delivered it: its title and one line of mojibake."""
    return "Norfolk County Council (19 011 560)\n\u00c3\u00a2\u00e2\u0082\u00ac\u00c5\u201c\u00c3\n"


def test_a_degraded_page_is_held_for_review_not_applied(db):
    run_import([record("full.txt", SEED_UPHELD.read_text(encoding="utf-8"))])
    before = Decision.objects.get(reference="19 011 560")
    assert before.category_id and before.decision_date

    run = run_import([record("degraded.txt", degraded_copy())])
    assert (run.updated, run.held) == (0, 1)
    assert "held for review" in run.notes[0]["note"]
    after = Decision.objects.get(reference="19 011 560")
    assert after.body_text == before.body_text
    assert after.category_id == before.category_id
    assert after.decision_date == before.decision_date
    assert after.needs_review
    held = after.captures.get(held=True)
    assert held.content() == degraded_copy()
    assert "has no category" in held.note


def test_a_truncated_copy_of_a_fuller_stored_text_counts_as_unchanged(db):
    full = SEED_UPHELD.read_text(encoding="utf-8")
    run_import([record("full.txt", full)])
    stored = Decision.objects.get(reference="19 011 560")
    lines = [line for line in stored.body_text.split("\n") if len(line) > 40]
    cut = full[: full.index(lines[len(lines) * 3 // 4][:40])]  # the last quarter lost
    result = run_import([record("cut.txt", cut)])
    assert (result.updated, result.unchanged, result.held) == (0, 1, 0)
    assert Decision.objects.get(reference="19 011 560").body_text == stored.body_text
    assert Capture.objects.filter(decision=stored, held=True).count() == 1


def test_an_update_that_loses_nothing_still_applies(db):
    full = SEED_UPHELD.read_text(encoding="utf-8")
    run_import([record("full.txt", full)])
    run = run_import(
        [record("edited.txt", full.replace("Norfolk", "Norfolk", 1) + "\nAn added line.")]
    )
    assert (run.updated, run.held) == (1, 0)


def test_each_source_is_captured_once_with_its_provenance(db, tmp_path):
    page = dict(PAGES[0], scraped_at="2024-05-01T10:00:00Z", listing_page=3)
    dump = write_jsonl(tmp_path / "dump.jsonl", [page])
    run_import(iter_sources([dump]))
    run_import(iter_sources([dump]))  # the same bytes again: no second capture
    decision = Decision.objects.get(url=PAGES[0]["url"])
    capture = decision.captures.get()
    assert capture.metadata == {
        "url": PAGES[0]["url"],
        "scraped_at": "2024-05-01T10:00:00Z",
        "listing_page": 3,
    }
    assert capture.sha256 == decision.source_hash  # the best capture
    assert capture.content() == PAGES[0]["text"]
    assert capture.raw_size == len(PAGES[0]["text"].encode())
    assert len(bytes(capture.raw)) < capture.raw_size  # compressed
    assert zlib.decompress(bytes(capture.raw)).decode() == PAGES[0]["text"]


def test_a_run_killed_mid_way_shows_what_it_committed_and_is_marked_interrupted(db):
    records = list(iter_sources([SAMPLES]))

    def killed():
        yield from records[:25]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(killed(), batch_size=10)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INTERRUPTED
    assert run.created == Decision.objects.count() == 20


def test_a_run_whose_process_died_is_marked_interrupted_by_its_heartbeat(db, settings):
    settings.IMPORT_STALE_AFTER_SECONDS = 60
    dead = ImportRun.objects.create(
        origin=ImportRun.Origin.COMMAND,
        status=ImportRun.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=5),
        created=1500,
    )
    alive = ImportRun.objects.create(
        origin=ImportRun.Origin.COMMAND,
        status=ImportRun.Status.RUNNING,
        heartbeat_at=timezone.now(),
    )
    run_import([record("one.txt", SEED_UPHELD.read_text(encoding="utf-8"))])
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportRun.Status.INTERRUPTED
    assert dead.created == 1500 and "heartbeat" in dead.error
    assert alive.status == ImportRun.Status.RUNNING
    assert mark_interrupted_runs() == 0


def test_a_dry_run_reports_a_lossy_update_as_held(db):
    run_import([record("full.txt", SEED_UPHELD.read_text(encoding="utf-8"))])
    run = run_import([record("degraded.txt", degraded_copy())], dry_run=True)
    assert run.held == 1
    assert Decision.objects.get(reference="19 011 560").needs_review is False


@pytest.mark.django_db(transaction=True)
def test_reparse_captures_re_derives_decisions_without_the_original_files(tmp_path):
    # Committed data: the pipeline reads captures on its parse-ahead thread's connection.
    page = tmp_path / "page.txt"
    page.write_text(SEED_UPHELD.read_text(encoding="utf-8"), encoding="utf-8")
    run_import(iter_sources([page]))
    page.unlink()  # the original file is gone
    # As if an older parser had stored a poorer reading of the page:
    Decision.objects.update(summary="", content_hash="older-parser")
    out = StringIO()
    call_command("reparse_captures", stdout=out)
    assert "0 created, 1 updated, 0 unchanged, 0 failed" in out.getvalue()
    decision = Decision.objects.get(reference="19 011 560")
    assert decision.summary
    assert ImportRun.objects.filter(origin=ImportRun.Origin.REPARSE).count() == 1


def test_upload_names_django_cannot_derive_a_name_from_are_stored_as_file():
    from decisions.importing.uploads import safe_names

    # ":" made get_valid_filename raise; a name read from a non-UTF-8 disk holds surrogates.
    assert safe_names([":", "..", "a\udcffb.txt", ":"]) == [
        "file",
        "file-2",
        "ab.txt",
        "file-3",
    ]


def hold_reference_lock(reference: str):
    """Another session holding the import's lock on `reference`, as a concurrent run's
    batch would: the importer waits for it inside that batch's transaction."""
    import psycopg

    from decisions.importing.writing import REFERENCE_LOCK_SPACE

    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    other.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", [REFERENCE_LOCK_SPACE, reference])
    return other


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_batch_interrupts_the_run_and_a_rerun_completes_it():
    """The server drops the importer's connection (as a restart does) in the middle of
    the third batch: that batch is rolled back, the run stops saying so, the two batches
    before it stay, and running the same import again completes it."""
    from decisions.importing.pipeline import ImportInterrupted

    records = list(iter_sources([SAMPLES]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        importer_pid = cursor.fetchone()[0]
    other = hold_reference_lock(parse_record(records[20]).parsed.reference)

    def end_the_importers_session() -> None:
        for _ in range(200):
            waiting = other.execute(
                "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [importer_pid]
            ).fetchone()[0]
            if waiting:
                break
            threading.Event().wait(0.05)
        other.execute("SELECT pg_terminate_backend(%s)", [importer_pid])
        other.close()

    killer = threading.Thread(target=end_the_importers_session)
    killer.start()
    with pytest.raises(ImportInterrupted, match="interrupted after 20 records.*run the same"):
        run_import(records, batch_size=10)
    killer.join()
    assert Decision.objects.count() == 20  # the two whole batches; Django reconnects
    rerun = run_import(records, batch_size=10)
    assert (rerun.created, rerun.unchanged, rerun.failed) == (36, 20, 0)
    assert Decision.objects.count() == len(records)


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_elsewhere_fails_the_batch_in_bounded_time_not_each_record(settings):
    from decisions.importing.pipeline import ImportInterrupted

    settings.DB_BATCH_LOCK_TIMEOUT_MS = 300
    records = list(iter_sources([SAMPLES]))
    other = hold_reference_lock(parse_record(records[20]).parsed.reference)
    try:
        with pytest.raises(ImportInterrupted, match="did not take the batch.*lock timeout"):
            run_import(records, batch_size=10)
    finally:
        other.close()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INTERRUPTED
    assert (run.created, run.failed) == (20, 0)  # no record blamed for the database
    rerun = run_import(records, batch_size=10)
    assert (rerun.created, rerun.unchanged, rerun.failed) == (36, 20, 0)


def test_an_import_logs_its_start_and_outcome_with_its_counts(db, caplog):
    caplog.set_level("INFO", logger="decisions.importing")
    run = run_import([record("one.txt", SEED_UPHELD.read_text(encoding="utf-8"))])
    started, finished = (r for r in caplog.records if r.name == "decisions.importing")
    assert (started.getMessage(), started.run) == ("import started", run.pk)
    assert finished.getMessage() == "import finished"
    assert (finished.records_created, finished.records_failed) == (1, 0)


@pytest.mark.django_db(transaction=True)
def test_the_runs_row_locked_elsewhere_stops_the_run_in_bounded_time_saying_so(settings):
    """The run's progress is saved after each batch, bounded like the batch: a lock on its
    row (an admin's edit, a stuck session) stops the run clearly instead of hanging it."""
    from decisions.importing.pipeline import ImportInterrupted

    # Long enough for the batch to outwait the thread below, short for the test.
    settings.DB_BATCH_LOCK_TIMEOUT_MS = 2000
    records = list(iter_sources([SAMPLES]))
    third_batch = parse_record(records[20]).parsed.reference
    other = hold_reference_lock(third_batch)  # the run waits here, inside its third batch
    row_locked = threading.Event()

    def lock_the_runs_row_then_let_the_batch_go() -> None:
        deadline = time.monotonic() + 30
        while not other.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]:
            assert time.monotonic() < deadline, "the import never reached its third batch"
            time.sleep(0.05)
        run_pk = ImportRun.objects.get().pk
        other.execute("BEGIN")
        # As an UPDATE of the row would lock it; not FOR UPDATE, which the batch's
        # captures (a foreign key to the run) would wait for.
        other.execute("SELECT 1 FROM decisions_importrun WHERE id = %s FOR NO KEY UPDATE", [run_pk])
        other.execute("SELECT pg_advisory_unlock_all()")  # the third batch may commit
        row_locked.set()
        connection.close()

    holder = threading.Thread(target=lock_the_runs_row_then_let_the_batch_go)
    try:
        holder.start()
        started = time.monotonic()
        with pytest.raises(ImportInterrupted, match="interrupted after 30 records.*progress"):
            run_import(records, batch_size=10)
        assert time.monotonic() - started < 20
    finally:
        holder.join()
        other.execute("ROLLBACK")
        other.close()
    assert row_locked.is_set()
    assert Decision.objects.count() == 30  # three whole batches, nothing of the fourth
    rerun = run_import(records, batch_size=10)
    assert (rerun.created, rerun.unchanged, rerun.failed) == (26, 30, 0)
