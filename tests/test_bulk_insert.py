"""bulk_insert writes what bulk_create would, with the values bound by the server."""

import pytest
from django.db import IntegrityError, connection, transaction

from decisions.importing.bulk_insert import bulk_insert
from decisions.importing.writing import UPSERT_FIELDS
from decisions.models import Capture, Decision

COMPARED = "SELECT * FROM decisions_decision WHERE reference = %s"


def row_of(reference: str) -> dict:
    """The stored row, less what differs between two inserts of the same decision."""
    with connection.cursor() as cursor:
        cursor.execute(COMPARED, [reference])
        names = [column.name for column in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
    for name in ("id", "reference", "created_at", "updated_at"):
        row.pop(name)
    return row


def copy_of(decision: Decision, reference: str) -> Decision:
    """A new, unsaved decision with every stored field of `decision`."""
    fields = {
        field.attname: getattr(decision, field.attname)
        for field in Decision._meta.concrete_fields
        if not field.primary_key and not getattr(field, "generated", False)
    }
    return Decision(**{**fields, "reference": reference})


def test_it_stores_the_row_bulk_create_stores(sample_decisions):
    # A real decision with sections, remedies (JSON), a payment (Decimal) and a date.
    decision = Decision.objects.get(reference="19 011 560")
    Decision.objects.bulk_create([copy_of(decision, "99 000 001")])
    bulk_insert([copy_of(decision, "99 000 002")])
    by_orm, by_server = row_of("99 000 001"), row_of("99 000 002")
    assert by_server == by_orm
    assert by_server["remedy_total"] == decision.remedy_total
    assert Decision.objects.get(reference="99 000 002").sections == decision.sections


def test_a_conflict_on_the_reference_updates_the_stored_row(sample_decisions):
    stored = Decision.objects.get(reference="19 011 560")
    other = Decision.objects.exclude(pk=stored.pk).exclude(summary=stored.summary).first()
    replacement = copy_of(other, stored.reference)
    bulk_insert([replacement], unique_fields=["reference"], update_fields=UPSERT_FIELDS)
    updated = Decision.objects.get(reference="19 011 560")
    assert updated.pk == stored.pk  # the same row, updated in place
    assert updated.summary == other.summary
    assert updated.organisation_id == other.organisation_id
    assert Decision.objects.count() == sample_decisions.created


def test_ignore_conflicts_leaves_the_stored_capture(sample_decisions):
    capture = Capture.objects.first()
    before = Capture.objects.count()
    again = Capture(
        decision_id=capture.decision_id,
        run_id=capture.run_id,
        origin=capture.origin,
        source="another name for the same bytes",
        sha256=capture.sha256,
        raw=bytes(capture.raw),
        raw_size=capture.raw_size,
    )
    bulk_insert([again], ignore_conflicts=True)
    assert Capture.objects.count() == before
    assert Capture.objects.get(pk=capture.pk).source == capture.source


def test_a_refused_row_raises_djangos_error_and_writes_nothing(sample_decisions):
    decision = Decision.objects.get(reference="19 011 560")
    new, duplicate = copy_of(decision, "99 000 003"), copy_of(decision, "19 011 560")
    refused = pytest.raises(IntegrityError, match="reference")
    with refused, transaction.atomic():
        bulk_insert([new, duplicate])  # no ON CONFLICT: the unique reference refuses it
    assert not Decision.objects.filter(reference="99 000 003").exists()
