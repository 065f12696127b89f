"""The `sample_decisions` fixture: the rows of the session's one real import of the
samples, copied into each test (tests/support/table_snapshot.py). What a test sees must be what
the pipeline writes, and a test's own writes must fit around it."""

from django.db.models import Max

from decisions.models import Capture, Category, Decision, ImportRun, Organisation
from decisions.search.whole_archive import generation
from tests.support.helpers import make_decision, searched
from tests.support.table_snapshot import copy_in


def archive_contents() -> dict[str, list]:
    return {
        "decisions": sorted(Decision.objects.values_list("reference", "content_hash", "outcome")),
        "organisations": sorted(Organisation.objects.values_list("name", flat=True)),
        "categories": sorted(Category.objects.values_list("slug", "parent__slug")),
        "captures": sorted(Capture.objects.values_list("decision__reference", "sha256")),
        "runs": list(ImportRun.objects.values_list("created", "updated", "failed")),
    }


def test_the_copied_samples_are_the_rows_a_real_import_writes(
    imported_samples, imported_sample_rows
):
    imported = archive_contents()
    Capture.objects.all().delete()
    Decision.objects.all().delete()
    Category.objects.exclude(parent=None).delete()
    for model in (Category, Organisation, ImportRun):
        model.objects.all().delete()
    copy_in(imported_sample_rows[0])
    assert archive_contents() == imported
    assert imported["runs"] == [(56, 0, 0)]


def test_a_copied_decision_is_found_by_the_search_index(sample_decisions):
    # Words of its summary: "Mrs X complained about the Council’s failure ..."
    found = searched("complained failure")
    assert "19 011 560" in [decision.reference for decision in found]


def test_rows_a_test_creates_after_the_copy_take_new_ids(sample_decisions):
    largest = Decision.objects.aggregate(largest=Max("pk"))["largest"]
    assert make_decision("99 999 999").pk > largest
    largest = Organisation.objects.aggregate(largest=Max("pk"))["largest"]
    assert Organisation.objects.create(name="A New Council").pk > largest
    largest = Category.objects.aggregate(largest=Max("pk"))["largest"]
    assert Category.objects.create(name="New", slug="new").pk > largest


def test_copying_the_samples_in_moves_the_archive_generation_on(db, imported_sample_rows):
    before = generation()
    copy_in(imported_sample_rows[0])
    assert generation() > before
