"""The bulk dump: `export_decisions` writes the archive as versioned JSON lines, and
`import_decisions` reads them back, without parsing again, into the same archive."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from decisions.importing.pipeline import run_import
from decisions.importing.sources import iter_sources
from decisions.models import Capture, Category, Decision, ImportRun, Organisation

# What differs between two databases holding the same archive.
NOT_COMPARED = ("id", "organisation", "category", "created_at", "updated_at", "search_vector")


def archive_state() -> dict[str, dict]:
    """Every decision, field by field, with its organisation and category by name, and
    its best capture's bytes: what a round trip must keep."""
    state = {}
    for decision in Decision.objects.select_related("organisation", "category__parent"):
        row = {k: v for k, v in model_to_dict(decision).items() if k not in NOT_COMPARED}
        row["organisation"] = decision.organisation.name if decision.organisation else None
        category = decision.category
        row["category"] = (
            (category.parent.slug, category.slug, category.name, category.in_taxonomy)
            if category
            else None
        )
        row["withdrawn_at"] = decision.withdrawn_at
        row["withdrawal_reason"] = decision.withdrawal_reason
        capture = decision.captures.filter(sha256=decision.source_hash).first()
        row["capture"] = (capture.content(), capture.is_text, capture.url) if capture else None
        state[decision.reference] = row
    return state


def read_dump(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def curate_and_withdraw() -> None:
    """What staff do in the admin: a correction, a cleared flag, a withdrawal."""
    Decision.objects.filter(reference="19 011 560").update(
        summary="Corrected by staff.",
        body_text="A corrected body.",
        remedy_total=Decimal("275.00"),
        curated_at=timezone.now(),
        curated_fields=["body_text", "summary"],
    )
    Decision.objects.filter(needs_review=True).exclude(reference="16 003 210").update(
        needs_review=False
    )
    Decision.objects.filter(reference="24 012 973").update(
        withdrawn_at=timezone.now(), withdrawal_reason="Names a person"
    )


def empty_the_archive() -> None:
    Capture.objects.all().delete()
    Decision.objects.all().delete()
    Organisation.objects.all().delete()
    Category.objects.exclude(parent=None).delete()
    Category.objects.all().delete()


def test_a_staff_dump_imports_back_into_an_empty_archive_identical(sample_decisions, tmp_path):
    curate_and_withdraw()
    before = archive_state()
    assert before["19 011 560"]["curated_fields"] == ["body_text", "summary"]
    assert any(row["needs_review"] for row in before.values())
    assert any(row["truncated"] for row in before.values())
    path = tmp_path / "staff.jsonl.gz"
    call_command("export_decisions", "--include-withdrawn", str(path))

    empty_the_archive()
    assert not Decision.objects.exists()
    run = run_import(iter_sources([path]))

    assert (run.created, run.failed) == (56, 0), run.failures
    after = archive_state()
    assert after.keys() == before.keys()
    for reference, row in before.items():
        assert after[reference] == row, reference
    # Every decision was built from its record: its source was never parsed again.
    assert Decision.objects.get(reference="19 011 560").summary == "Corrected by staff."


def test_importing_a_dump_into_the_archive_it_came_from_changes_nothing(sample_decisions, tmp_path):
    path = tmp_path / "public.jsonl.gz"
    call_command("export_decisions", str(path))
    run = run_import(iter_sources([path]))
    assert (run.unchanged, run.created, run.updated, run.failed) == (56, 0, 0, 0)


def test_a_dump_import_keeps_a_decision_withdrawn_here(sample_decisions, tmp_path):
    path = tmp_path / "public.jsonl.gz"
    call_command("export_decisions", str(path))
    Decision.objects.filter(reference="19 011 560").delete()
    Decision.objects.filter(reference="24 012 973").update(
        withdrawn_at=timezone.now(), withdrawal_reason="Names a person"
    )
    run = run_import(iter_sources([path]))
    assert run.created == 1 and run.failed == 0
    assert Decision.objects.get(reference="24 012 973").withdrawn


def test_the_public_dump_leaves_withdrawn_decisions_and_withdrawals_out(sample_decisions, tmp_path):
    curate_and_withdraw()
    path = tmp_path / "public.jsonl.gz"
    call_command("export_decisions", str(path))
    header, *records = read_dump(path)
    assert len(records) == 55
    assert "24 012 973" not in {record["reference"] for record in records}
    assert all("withdrawn_at" not in record for record in records)
    assert header["includes_withdrawn"] is False


def test_the_dump_opens_with_a_header_carrying_the_licence(sample_decisions, tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    call_command("export_decisions", str(path))
    header, first, *_ = read_dump(path)
    assert header["record"] == "lgsco-decision-dump"
    assert header["version"] == 1
    assert header["licence"].startswith(
        "Decision statements © Local Government and Social Care Ombudsman, re-used under its terms."
    )
    assert first["record"] == "lgsco-decision" and first["version"] == 1


def test_a_record_holds_the_parsed_fields_the_source_and_the_curation(sample_decisions, tmp_path):
    curate_and_withdraw()
    path = tmp_path / "dump.jsonl.gz"
    call_command("export_decisions", str(path))
    records = {record["reference"]: record for record in read_dump(path)[1:]}
    norfolk = records["19 011 560"]
    assert norfolk["organisation"] == "Norfolk County Council"
    assert norfolk["category"]["slug"] == "children-s-care-services"
    assert norfolk["subcategory"]["name"] == "Child protection"
    assert norfolk["decision_date"] == "2020-03-31"
    assert [p["amount"] for p in norfolk["remedies"]["payments"]] == ["50.00", "200.00"]
    assert norfolk["sections"][0]["paragraphs"]
    assert norfolk["curated_fields"] == ["body_text", "summary"]
    assert norfolk["curated_at"] is not None
    assert "Norfolk County Council" in norfolk["capture"]["text"]
    assert norfolk["capture"]["sha256"] == norfolk["source_hash"]


def test_since_writes_only_what_changed_on_or_after_the_date(sample_decisions, tmp_path):
    Decision.objects.exclude(reference="19 011 560").update(
        updated_at=timezone.make_aware(timezone.datetime(2024, 1, 1))
    )
    path = tmp_path / "changed.jsonl.gz"
    call_command("export_decisions", "--since", "2025-01-01", str(path))
    header, *records = read_dump(path)
    assert [record["reference"] for record in records] == ["19 011 560"]
    assert header["since"].startswith("2025-01-01")


def test_a_bad_since_date_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_decisions", "--since", "1/1/2025", str(tmp_path / "x.jsonl.gz"))


def test_a_record_of_a_later_version_fails_alone_and_says_why(sample_decisions, tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    call_command("export_decisions", str(path))
    header, first, second, *_ = read_dump(path)
    later = tmp_path / "later.jsonl"
    later.write_text(
        "\n".join(json.dumps(r) for r in (header, {**first, "version": 2}, second)) + "\n"
    )
    empty_the_archive()
    run = run_import(iter_sources([later]))
    assert (run.created, run.failed) == (1, 1)
    assert "version 2" in run.failures[0]["error"]


def test_import_decisions_reads_a_dump_from_the_command_line(sample_decisions, tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    call_command("export_decisions", str(path))
    empty_the_archive()
    call_command("import_decisions", str(path), "--no-progress")
    assert Decision.objects.count() == 56
    assert ImportRun.objects.latest("started_at").created == 56
