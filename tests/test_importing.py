"""The import pipeline on real pages: rows written, idempotence, updates, bad input,
every input format, interrupted and concurrent runs."""

import io
import json
import threading
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from decisions.importing.pipeline import run_import
from decisions.importing.sources import SourceRecord, iter_sources
from decisions.models import Category, Decision, ImportRun, Organisation
from tests.conftest import FIXTURES, SAMPLES

SEED_UPHELD = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"
SEED_CLOSED = FIXTURES / "seeds" / "001_4607d231c94eb0e8.txt"


def fixture_pages() -> list[dict]:
    with (FIXTURES / "lgo_pages.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def page_with_reference(reference_slug: str) -> dict:
    return next(page for page in fixture_pages() if reference_slug in page["url"])


def import_paths(*paths: Path | str, **options) -> ImportRun:
    return run_import(iter_sources(paths), sources=[str(p) for p in paths], **options)


def test_importing_the_samples_creates_a_row_per_decision(imported_samples):
    assert imported_samples.created == 56
    assert Decision.objects.count() == 56
    decision = Decision.objects.get(reference="19 011 560")
    assert decision.organisation.name == "Norfolk County Council"
    assert decision.category.name == "Child protection"
    assert decision.category.parent.name == "Children's care services"
    assert decision.outcome == "upheld"
    assert decision.outcome_wording == "Upheld"
    assert decision.decision_date == date(2020, 3, 31)
    assert decision.summary.startswith("Mrs X complained about the Council’s failure")
    headings = [section["heading"] for section in decision.sections]
    assert headings[:3] == [
        "The complaint",
        "The Ombudsman’s role and powers",
        "How I considered this complaint",
    ]
    assert "Final decision" in headings
    assert decision.remedy_total == Decimal("250.00")


def test_url_only_pages_take_category_and_reference_from_the_url(imported_samples):
    decision = Decision.objects.get(reference="24 000 140")
    assert decision.category.slug == "charging"
    assert decision.category.parent.slug == "adult-care-services"
    assert decision.decision_date is None  # never invented
    assert decision.outcome_inferred
    assert decision.url.endswith("/decisions/adult-care-services/charging/24-000-140")


def test_the_bare_reference_shape_imports_with_an_unknown_organisation(imported_samples):
    decision = Decision.objects.get(reference="16 003 210")
    assert decision.organisation is None
    assert decision.outcome == "upheld"


def test_categories_from_labels_and_from_urls_share_one_row(imported_samples):
    # "Adult care services > Charging" comes labelled (16 003 210) and URL-only (24 000 140).
    labelled = Decision.objects.get(reference="16 003 210").category
    from_url = Decision.objects.get(reference="24 000 140").category
    assert labelled == from_url
    assert Category.objects.filter(parent=None, slug="adult-care-services").count() == 1


def test_reimporting_the_same_files_changes_nothing(imported_samples):
    before = dict(Decision.objects.values_list("reference", "updated_at"))
    run = import_paths(SAMPLES)
    assert (run.created, run.updated, run.unchanged, run.failed) == (0, 0, 56, 0)
    assert dict(Decision.objects.values_list("reference", "updated_at")) == before


def test_a_changed_page_updates_its_row(db, tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(SEED_CLOSED.read_bytes())
    assert import_paths(page).created == 1
    text = SEED_CLOSED.read_text(encoding="utf-8").replace(
        "Decision date : 15 Dec 2025", "Decision date : 16 Dec 2025"
    )
    page.write_text(text, encoding="utf-8")
    run = import_paths(page)
    assert (run.created, run.updated, run.unchanged) == (0, 1, 0)
    assert Decision.objects.get(reference="25 010 721").decision_date == date(2025, 12, 16)


def test_a_bad_file_is_reported_and_the_others_still_import(db, tmp_path):
    (tmp_path / "good.txt").write_bytes(SEED_UPHELD.read_bytes())
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Shopping list: milk, eggs", encoding="utf-8")
    (tmp_path / "broken.jsonl").write_text('{"url": "x", "text": \n', encoding="utf-8")
    (tmp_path / "zz-good.txt").write_bytes(SEED_CLOSED.read_bytes())
    run = import_paths(tmp_path)
    assert (run.created, run.failed) == (2, 3)
    failed = {Path(f["source"].split(":")[0]).name: f["error"] for f in run.failures}
    assert set(failed) == {"empty.txt", "notes.txt", "broken.jsonl"}
    assert "invalid JSON" in failed["broken.jsonl"]
    assert "reference" in failed["notes.txt"]
    assert set(Decision.objects.values_list("reference", flat=True)) == {
        "19 011 560",
        "25 010 721",
    }


def test_pages_that_are_not_lgsco_decisions_are_rejected_with_a_reason(db):
    run = import_paths(FIXTURES / "not_decisions.jsonl")
    assert run.failed == 4 and run.created == 0
    assert all("not an LGSCO decision" in f["error"] for f in run.failures)


def test_listing_pages_are_rejected(db):
    listing = page_with_reference("adult-care-services/transport?displaypref=3")
    run = run_import([SourceRecord("listing.jsonl:1", listing["text"], url=listing["url"])])
    assert run.failed == 1
    assert "listing page" in run.failures[0]["error"]


def test_the_same_page_as_text_html_json_line_and_zip_member_gives_the_same_row(db, tmp_path):
    page = page_with_reference("22-000-016")
    html = (
        "<!doctype html><html><head><title>Decision</title><script>var x = 1;</script></head>"
        "<body><nav><a href='/'>Home</a> <a href='/decisions'>Decisions</a></nav><main>"
        + "".join(f"<p>{line}</p>" for line in page["text"].split("\n") if line.strip())
        + "</main><footer>Print this page</footer></body></html>"
    )
    record = json.dumps({"url": page["url"], "text": page["text"], "scraped_at": "2026-11-01"})
    (tmp_path / "page.jsonl").write_text(record + "\n", encoding="utf-8")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("inner/page.jsonl", record + "\n")
    (tmp_path / "pages.zip").write_bytes(archive.getvalue())

    def fields() -> tuple:
        decision = Decision.objects.select_related("organisation", "category").get()
        return (
            decision.reference,
            decision.organisation.name,
            decision.category.slug,
            decision.outcome,
            decision.decision_date,
            decision.summary,
        )

    results = []
    for source in [
        SourceRecord("page.txt", page["text"].encode("utf-8")),
        SourceRecord("page.html", html.encode("utf-8")),
        *iter_sources([tmp_path / "page.jsonl"]),
        *iter_sources([tmp_path / "pages.zip"]),
    ]:
        Decision.objects.all().delete()
        run = run_import([source])
        assert run.created == 1, (source.source, run.failures)
        results.append(fields())
    assert results[0][0] == "22 000 016"
    assert results[0][1] == "Babergh District Council"
    assert len(set(results)) == 1, results


def test_windows_1252_files_keep_the_pound_sign_and_curly_quotes(db, tmp_path):
    text = SEED_UPHELD.read_text(encoding="utf-8")
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + SEED_CLOSED.read_bytes())
    run = import_paths(tmp_path)
    assert run.created == 2, run.failures
    decision = Decision.objects.get(reference="19 011 560")
    assert "Council’s failure" in decision.summary
    assert any("£200" in p for s in decision.sections for p in s["paragraphs"])


def test_a_dry_run_writes_nothing(db):
    run = import_paths(SAMPLES, dry_run=True)
    assert run.created == 56
    assert Decision.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_each_run_is_recorded_with_its_counts_and_failures(db):
    run = import_paths(SAMPLES, FIXTURES / "not_decisions.jsonl")
    stored = ImportRun.objects.get(pk=run.pk)
    assert (stored.created, stored.failed) == (56, 4)
    assert stored.finished_at is not None
    assert stored.sources == [str(SAMPLES), str(FIXTURES / "not_decisions.jsonl")]
    assert stored.failures[0]["source"].endswith("not_decisions.jsonl:1")


def test_a_run_killed_mid_way_keeps_whole_batches_and_a_rerun_completes_it(db):
    records = list(iter_sources([SAMPLES]))

    def interrupted():
        yield from records[:25]
        raise KeyboardInterrupt  # the operator presses Ctrl-C during the second batch

    with pytest.raises(KeyboardInterrupt):
        run_import(interrupted(), batch_size=10)
    assert Decision.objects.count() == 20  # two whole batches, nothing half-written
    run = run_import(records, batch_size=10)
    assert (run.created, run.unchanged) == (36, 20)
    assert Decision.objects.count() == 56


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_files_at_once_end_with_one_row_per_reference_counted_once():
    records = list(iter_sources([SAMPLES]))
    errors: list[BaseException] = []

    def import_all() -> None:
        try:
            run_import(records, batch_size=7)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=import_all) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Decision.objects.count() == 56
    assert Organisation.objects.filter(name="Norfolk County Council").count() == 1
    runs = list(ImportRun.objects.all())
    assert len(runs) == 2 and all(run.failed == 0 for run in runs)
    # Each change is counted by the one run that made it (each batch locks its references).
    assert sum(run.created for run in runs) == sum(run.unchanged for run in runs) == 56
    assert sum(run.updated for run in runs) == 0


def test_pages_missing_a_date_or_organisation_are_flagged_for_review(imported_samples):
    assert Decision.objects.get(reference="24 000 140").needs_review  # no date, URL-only
    assert Decision.objects.get(reference="16 003 210").needs_review  # no organisation
    assert not Decision.objects.get(reference="25 010 721").needs_review  # complete page
