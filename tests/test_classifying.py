"""The import's one classifier (decisions.importing.classifying) reads only: it returns
each record's outcome as a value, and only `Plan.record` writes them on the results."""

from __future__ import annotations

from pathlib import Path

from decisions.importing.classifying import InDatabase, Outcome, classify
from decisions.importing.pipeline import run_import
from decisions.importing.results import CREATED, UNCHANGED, UPDATED, VALID, RecordResult
from decisions.importing.results import content_hash as hash_of
from decisions.importing.sources import iter_sources
from decisions.parsing import parse_decision

PAGE = Path(__file__).resolve().parent.parent / "samples" / "norfolk-19-011-560.txt"


def result_of(text: str) -> RecordResult:
    parsed = parse_decision(text)
    return RecordResult("page.txt", VALID, parsed=parsed, content_hash=hash_of(parsed))


def test_classifying_changes_nothing_it_is_given_and_returns_each_outcome(db):
    text = PAGE.read_text()
    first, second = result_of(text), result_of(text.replace("distress", "upset"))
    plan = classify([first, second], InDatabase())
    # A page twice in one batch: the later one is written, the earlier one is an update.
    assert plan.outcomes == (Outcome(UPDATED), Outcome(CREATED))
    assert (first.status, second.status) == (VALID, VALID)
    plan.record()
    assert (first.status, second.status) == (UPDATED, CREATED)


def test_a_stored_page_imported_again_is_unchanged(db):
    run_import(iter_sources([PAGE]))
    again = result_of(PAGE.read_text())
    plan = classify([again], InDatabase())
    assert plan.outcomes == (Outcome(UNCHANGED),)
    assert plan.writes() == []
