"""`manage.py rederive_remedies` on the real sample decisions: stored remedies made by
older rules are recomputed from the stored text, through the import pipeline.

The pipeline reads its records in a thread with its own connection, so these tests
commit (transaction=True) for that thread to see the rows."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from decisions.importing.pipeline import run_import
from decisions.importing.sources import iter_sources
from decisions.models import Decision, ImportRun
from decisions.search.whole_archive import generation
from tests.conftest import SAMPLES

pytestmark = pytest.mark.django_db(transaction=True)

NORFOLK = "19 011 560"  # £50 time and trouble, £200 distress, an apology
DONCASTER = "22 013 320"  # £100 off the enforcement fee; feedback to its bailiffs
HALTON = "19 020 119"  # closed after initial enquiries: the £71 fee is no remedy


def stored_by_older_rules() -> dict[str, dict]:
    """What the rules before this change stored for three sample decisions: free-text
    purposes, no service improvement for Doncaster, and (as a rule that took any
    amount beside "pay" would) Halton's £71 release fee as a payment."""
    older = {
        NORFOLK: {"purposes": ["time and trouble", "distress"]},
        DONCASTER: {"service_improvement": False},
        HALTON: {"payments": [{"amount": "71.00", "purpose": "", "text": "x"}], "total": "71.00"},
    }
    stored = {}
    for reference, change in older.items():
        decision = Decision.objects.get(reference=reference)
        remedies = dict(decision.remedies)
        if "purposes" in change:
            remedies["payments"] = [
                {**payment, "purpose": purpose}
                for payment, purpose in zip(remedies["payments"], change["purposes"], strict=True)
            ]
        remedies.update({key: value for key, value in change.items() if key != "purposes"})
        Decision.objects.filter(pk=decision.pk).update(
            remedies=remedies,
            remedy_total=Decimal(remedies["total"]),
            content_hash="hash-of-the-older-parse",
        )
        stored[reference] = remedies
    return stored


def rederive(*args: str) -> str:
    out = StringIO()
    call_command("rederive_remedies", *args, stdout=out)
    return out.getvalue()


def test_it_rederives_remedies_stored_by_older_rules(sample_decisions):
    stored_by_older_rules()
    before = generation()
    output = rederive()

    norfolk = Decision.objects.get(reference=NORFOLK)
    assert [(p["amount"], p["purpose"]) for p in norfolk.remedies["payments"]] == [
        ("50.00", "time_and_trouble"),
        ("200.00", "distress"),
    ]
    assert norfolk.remedy_total == Decimal("250.00") and norfolk.remedies["apology"]
    assert Decision.objects.get(reference=DONCASTER).remedies["service_improvement"]
    halton = Decision.objects.get(reference=HALTON)
    assert halton.remedies["payments"] == [] and halton.remedy_total == Decimal("0")

    assert f"{HALTON}: payments £71.00 -> none; total £71.00 -> £0.00" in output
    assert f"{DONCASTER}: service_improvement set" in output
    assert "remedies changed in 3," in output
    assert generation() != before
    run = ImportRun.objects.get(origin=ImportRun.Origin.REDERIVE)
    assert (run.updated, run.failed, run.held) == (3, 0, 0)


def test_the_content_hash_is_what_a_re_import_of_the_same_page_gives(sample_decisions):
    stored_by_older_rules()
    rederive()
    # Re-importing the same pages with the same rules finds nothing to update.
    run = run_import(iter_sources([SAMPLES]))
    assert run.updated == 0 and run.failed == 0


def test_a_dry_run_reports_the_changes_and_writes_nothing(sample_decisions):
    stored = stored_by_older_rules()
    output = rederive("--dry-run")
    assert "remedies would change in 3," in output
    assert f"{HALTON}: payments £71.00 -> none" in output
    for reference, remedies in stored.items():
        assert Decision.objects.get(reference=reference).remedies == remedies
    assert not ImportRun.objects.filter(origin=ImportRun.Origin.REDERIVE).exists()


def test_a_second_run_finds_everything_current(sample_decisions):
    stored_by_older_rules()
    rederive()
    output = rederive()
    count = Decision.objects.count()
    assert f"{count} decisions examined: remedies changed in 0, already current in {count}," in (
        output
    )


def test_a_decision_staff_corrected_is_left_alone(sample_decisions):
    stored = stored_by_older_rules()
    Decision.objects.filter(reference=HALTON).update(
        curated_at=timezone.now(), curated_fields=["remedies"]
    )
    output = rederive()
    assert Decision.objects.get(reference=HALTON).remedies == stored[HALTON]
    assert "1 corrected by staff and left alone" in output
    assert "remedies changed in 2," in output


def test_a_decision_whose_sections_cannot_be_read_fails_alone_and_is_named(sample_decisions):
    stored_by_older_rules()
    Decision.objects.filter(reference=DONCASTER).update(sections=["not a section"])
    out, err = StringIO(), StringIO()
    call_command("rederive_remedies", stdout=out, stderr=err)
    assert f"({DONCASTER}): its stored sections cannot be read" in err.getvalue()
    assert "remedies changed in 2," in out.getvalue() and "1 failed" in out.getvalue()
    assert Decision.objects.get(reference=HALTON).remedy_total == Decimal("0")
