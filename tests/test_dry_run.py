"""`--dry-run` predicts exactly what a real run does: the same status for every record,
the same counts, whatever the batches, on a real PostgreSQL through the real pipeline."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from decisions.importing.pipeline import run_import
from decisions.importing.results import RecordResult
from decisions.importing.sources import SourceRecord, iter_sources
from decisions.models import Decision, ImportRun
from tests.conftest import FIXTURES

SEED = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"  # Norfolk County Council (19 011 560)
HEADER = "Norfolk County Council (19 011 560)"


def seed_text_as(reference: str, *, date: str = "31 Mar 2020") -> str:
    """The seed page, moved to `reference` (and another decision date, if given)."""
    text = SEED.read_text(encoding="utf-8").replace(HEADER, f"Zedshire Council ({reference})")
    return text.replace("Decision date : 31 Mar 2020", f"Decision date : {date}")


def degraded(reference: str) -> str:
    """The page as a broken scraper delivered it: its title and one line of mojibake."""
    return f"Zedshire Council ({reference})\n\u00c3\u00a2\u00e2\u0082\u00ac\u00c5\u201c\u00c3\n"


def truncated(reference: str) -> str:
    """The page cut off after its first three quarters: a prefix of the stored text."""
    text = seed_text_as(reference)
    return text[: text.index("Final decision")]


def as_html(text: str) -> str:
    """The same page rendered as HTML: another source, the same content."""
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
    return f"<!doctype html><html><body><main>{paragraphs}</main></body></html>"


def record(name: str, content: str) -> SourceRecord:
    return SourceRecord(name, content)


def stored_archive() -> list[SourceRecord]:
    """What the archive holds before either run."""
    return [
        record("stored/changed.txt", seed_text_as("20 000 001")),
        record("stored/same.txt", seed_text_as("20 000 002")),
        record("stored/degraded.txt", seed_text_as("20 000 003")),
        record("stored/truncated.txt", seed_text_as("20 000 004")),
        record("stored/curated-same.txt", seed_text_as("20 000 005")),
        record("stored/curated-changed.txt", seed_text_as("20 000 006")),
        record("stored/rerendered.txt", seed_text_as("20 000 007")),
    ]


def every_status() -> list[SourceRecord]:
    """One input per status, and each of them again within a run, for a page the run
    itself creates or changes (in one batch or across batches, depending on their size)."""
    return [
        record("new.txt", seed_text_as("21 000 001")),  # created
        record("changed.txt", seed_text_as("20 000 001", date="1 Apr 2020")),  # updated
        record("same.txt", seed_text_as("20 000 002")),  # unchanged
        record("degraded.txt", degraded("20 000 003")),  # held for review
        record("truncated.txt", truncated("20 000 004")),  # unchanged, the fuller text kept
        record("curated-same.txt", seed_text_as("20 000 005")),  # unchanged, the correction kept
        record("curated-changed.txt", seed_text_as("20 000 006", date="2 Apr 2020")),  # replaces it
        record(
            "rerendered.html", as_html(seed_text_as("20 000 007"))
        ),  # unchanged, source remembered
        record("notes.txt", "Shopping list: milk, eggs"),  # failed
        record("empty.txt", ""),  # failed
        # Two versions of one new page, next to each other (one batch unless batches are 1).
        record("twice-1.txt", seed_text_as("21 000 002")),
        record("twice-2.txt", seed_text_as("21 000 002", date="3 Apr 2020")),
        # A new page, and later in the run: a changed version, the same page again, a
        # degraded copy, a truncated copy, and another rendering followed by a change.
        record("later-1.txt", seed_text_as("21 000 003")),
        record("later-same-1.txt", seed_text_as("21 000 004")),
        record("later-degraded-1.txt", seed_text_as("21 000 005")),
        record("later-truncated-1.txt", seed_text_as("21 000 006")),
        record("later-html-1.txt", seed_text_as("21 000 007")),
        record("later-2.txt", seed_text_as("21 000 003", date="4 Apr 2020")),
        record("later-same-2.txt", seed_text_as("21 000 004")),
        record("later-degraded-2.txt", degraded("21 000 005")),
        record("later-truncated-2.txt", truncated("21 000 006")),
        record("later-html-2.html", as_html(seed_text_as("21 000 007"))),
        record("later-html-3.txt", seed_text_as("21 000 007", date="5 Apr 2020")),
        # A page changed twice in the run, the second time back to what is stored.
        record("back-1.txt", seed_text_as("20 000 002", date="6 Apr 2020")),
        record("back-2.txt", seed_text_as("20 000 002")),
    ]


@pytest.fixture
def archive(db) -> None:
    run = run_import(stored_archive())
    assert run.created == 7, run.failures
    Decision.objects.filter(reference__in=["20 000 005", "20 000 006"]).update(
        curated_at=timezone.now(), curated_fields=["summary"], summary="Corrected by staff."
    )


def import_all(records: list[SourceRecord], **options) -> tuple[ImportRun, list[RecordResult]]:
    results: list[RecordResult] = []
    run = run_import(records, on_result=results.append, **options)
    return run, results


def counts(run: ImportRun) -> tuple[int, int, int, int, int]:
    return (run.created, run.updated, run.unchanged, run.held, run.failed)


def statuses(results: list[RecordResult]) -> list[tuple[str, str, bool]]:
    return [(r.source, r.status, r.held) for r in results]


def snapshot() -> list[tuple]:
    return list(
        Decision.objects.order_by("reference").values_list(
            "reference", "content_hash", "source_hash", "curated_at", "needs_review", "updated_at"
        )
    )


@pytest.mark.parametrize("batch_size", [1, 2, 3, 500])
def test_a_dry_run_predicts_every_status_of_the_real_run(archive, batch_size):
    before = snapshot()
    dry, dry_results = import_all(every_status(), dry_run=True, batch_size=batch_size)
    assert snapshot() == before  # the dry run wrote nothing
    real, real_results = import_all(every_status(), batch_size=batch_size)

    assert statuses(dry_results) == statuses(real_results)
    assert counts(dry) == counts(real)
    # Every status is met, in both runs.
    assert all(counts(real)), counts(real)
    assert {r.status for r in real_results} == {"created", "updated", "unchanged", "held", "failed"}
    assert [n["source"] for n in dry.notes] == [n["source"] for n in real.notes]
    assert [f["error"] for f in dry.failures] == [f["error"] for f in real.failures]


@pytest.mark.parametrize("batch_size", [1, 500])
def test_two_versions_of_a_new_page_count_alike_in_the_dry_run_and_the_real_one(db, batch_size):
    # Once one batch, once two: 1 created + 1 updated either way, dry or real.
    versions = [
        record("v1.txt", seed_text_as("22 000 001")),
        record("v2.txt", seed_text_as("22 000 001", date="7 Apr 2020")),
    ]
    dry = run_import(versions, dry_run=True, batch_size=batch_size)
    real = run_import(versions, batch_size=batch_size)
    assert counts(dry) == counts(real) == (1, 1, 0, 0, 0)


def test_the_command_reports_the_same_counts_and_notes_dry_and_real(archive, tmp_path: Path):
    for item in every_status():
        (tmp_path / item.source).write_text(item.content, encoding="utf-8")

    def command(*options: str) -> str:
        out = StringIO()
        with pytest.raises(CommandError, match="2 of 25 records failed"):
            call_command(
                "import_decisions",
                str(tmp_path),
                "--no-progress",
                "--batch-size",
                "2",
                *options,
                stdout=out,
            )
        return re.sub(r" records in [0-9.]+s\)", " records)", out.getvalue())

    dry, real = command("--dry-run"), command()
    assert "Dry run (nothing written): 7 created, 8 updated, 6 unchanged, 2 failed" in dry
    assert dry.replace("Dry run (nothing written): ", "") == real.replace(
        "replaced a staff correction", "would replace a staff correction"
    )


def test_a_dry_run_foresees_the_corrections_a_dump_restores(db, tmp_path: Path):
    # A curated decision, dumped and imported into an empty archive, then a changed
    # version of its page in a later batch: it replaces the restored correction.
    run_import([record("page.txt", seed_text_as("23 000 001"))])
    Decision.objects.update(
        curated_at=timezone.now(), curated_fields=["summary"], summary="Corrected by staff."
    )
    dump = tmp_path / "dump.jsonl.gz"
    call_command("export_decisions", str(dump))
    Decision.objects.all().delete()
    records = [
        *iter_sources([dump]),
        record("changed.txt", seed_text_as("23 000 001", date="8 Apr 2020")),
    ]

    dry, dry_results = import_all(records, dry_run=True, batch_size=1)
    real, real_results = import_all(records, batch_size=1)
    assert statuses(dry_results) == statuses(real_results)
    assert counts(dry) == counts(real) == (1, 1, 0, 0, 0)
    assert [n["note"] for n in dry.notes] == [
        "the source page changed: would replace a staff correction"
    ]
    assert [n["note"] for n in real.notes] == [
        "the source page changed: replaced a staff correction"
    ]
