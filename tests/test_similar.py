"""Similar decisions: the same subcategory first, closest in text, never the decision itself."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from decisions.models import Category, Decision
from decisions.search.similar import similar_decision_ids, similar_decisions

HOMELESS_BANDING = (
    "Miss B complained the Council placed her family in unsuitable temporary accommodation "
    "and delayed reviewing her housing register banding after she became homeless."
)


def make_decision(reference: str, category: Category | None, summary: str, body: str = ""):
    return Decision.objects.create(
        reference=reference,
        source=f"crafted {reference}",
        content_hash=reference,
        category=category,
        summary=summary,
        body_text=body,
    )


@pytest.fixture
def housing(db) -> dict[str, Category]:
    housing = Category.objects.create(name="Housing", slug="housing")
    return {
        "housing": housing,
        "homelessness": Category.objects.create(
            name="Homelessness", slug="homelessness", parent=housing
        ),
        "allocations": Category.objects.create(
            name="Allocations", slug="allocations", parent=housing
        ),
        "planning": Category.objects.create(name="Planning", slug="planning"),
    }


def references(ids: list[int]) -> list[str]:
    by_id = dict(Decision.objects.filter(id__in=ids).values_list("id", "reference"))
    return [by_id[pk] for pk in ids]


def test_the_closest_decision_in_text_comes_first_and_itself_is_left_out(housing):
    homelessness = housing["homelessness"]
    source = make_decision("20 000 001", homelessness, HOMELESS_BANDING)
    make_decision("20 000 002", homelessness, "Mr C complained about noise from a neighbour.")
    make_decision(
        "20 000 003",
        homelessness,
        "Ms D complained her family waited in unsuitable temporary accommodation while "
        "the Council delayed her housing register banding review.",
    )
    make_decision(
        "20 000 004", homelessness, "Mrs E complained about temporary accommodation repairs."
    )
    assert references(similar_decision_ids(source)) == ["20 000 003", "20 000 004"]


def test_other_subcategories_are_left_out_while_the_subcategory_has_enough(housing):
    homelessness = housing["homelessness"]
    source = make_decision("20 000 001", homelessness, HOMELESS_BANDING)
    for number in range(2, 8):
        make_decision(f"20 000 00{number}", homelessness, f"Temporary accommodation {number}.")
    # Closer in text, but in another subcategory: only wanted when there are too few.
    make_decision("20 000 010", housing["allocations"], HOMELESS_BANDING)
    found = references(similar_decision_ids(source))
    assert len(found) == 5
    assert "20 000 010" not in found and "20 000 001" not in found


def test_the_same_category_makes_up_a_short_subcategory_but_never_another_category(housing):
    homelessness = housing["homelessness"]
    source = make_decision("20 000 001", homelessness, HOMELESS_BANDING)
    make_decision("20 000 002", homelessness, "Temporary accommodation was unsuitable.")
    make_decision("20 000 003", housing["allocations"], HOMELESS_BANDING)
    make_decision("20 000 004", housing["allocations"], "Housing register banding delayed.")
    make_decision("20 000 005", housing["planning"], HOMELESS_BANDING)
    assert references(similar_decision_ids(source)) == ["20 000 002", "20 000 003", "20 000 004"]


def test_a_decision_without_a_category_has_no_similar_decisions(housing):
    source = make_decision("20 000 001", None, HOMELESS_BANDING)
    make_decision("20 000 002", None, HOMELESS_BANDING)
    assert similar_decisions(source) == []


def test_the_words_every_decision_shares_do_not_make_decisions_similar(housing):
    homelessness = housing["homelessness"]
    source = make_decision("20 000 001", homelessness, "The Council was at fault. Ombudsman.")
    make_decision("20 000 002", homelessness, "The Council was at fault. Ombudsman.")
    assert similar_decision_ids(source) == []


def test_finding_similar_decisions_takes_one_query_however_many_there_are(housing, settings):
    homelessness = housing["homelessness"]
    source = make_decision("20 000 001", homelessness, HOMELESS_BANDING)

    def queries() -> int:
        settings.SEARCH_INDEX_CATCH_UP_ON_READ = True
        similar_decisions(source)  # the test's own index brought up to date first
        settings.SEARCH_INDEX_CATCH_UP_ON_READ = False
        with CaptureQueriesContext(connection) as context:
            rows = similar_decisions(source)
            for row in rows:
                str(row.category)  # the related names come with the rows
        settings.SEARCH_INDEX_CATCH_UP_ON_READ = True
        return len(context.captured_queries)

    make_decision("20 000 002", homelessness, HOMELESS_BANDING)
    assert queries() == 1
    for number in range(3, 9):
        make_decision(f"20 000 00{number}", housing["allocations"], HOMELESS_BANDING)
    assert len(similar_decisions(source)) == 5
    assert queries() == 1


def test_withdrawn_decisions_are_never_similar(housing):
    homelessness = housing["homelessness"]
    source = make_decision("20 000 001", homelessness, HOMELESS_BANDING)
    withdrawn = make_decision("20 000 002", homelessness, HOMELESS_BANDING)
    Decision.objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=timezone.now(), withdrawal_reason="Published in error."
    )
    assert similar_decision_ids(source) == []
