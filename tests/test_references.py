"""LGSCO case references in every form they are written in."""

import pytest

from decisions.parsing import ParseError, canonical_reference, reference_slug
from decisions.parsing.references import find_references, without_references


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19 011 560", "19 011 560"),
        ("19-011-560", "19 011 560"),
        ("19011560", "19 011 560"),
        (" 19 011 560 ", "19 011 560"),
        ("19\u00a0011\u00a0560", "19 011 560"),
        ("17 002 402B", "17 002 402b"),
        ("17-002-402b", "17 002 402b"),
        ("17002402a", "17 002 402a"),
    ],
)
def test_references_normalise_to_the_canonical_form(raw, expected):
    assert canonical_reference(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "202003452", "1901156", "19 011 5600", "ref 19 011 560", "abc"]
)
def test_things_that_are_not_references_are_rejected(raw):
    with pytest.raises(ParseError, match="not an LGSCO reference"):
        canonical_reference(raw)


@pytest.mark.parametrize(
    ("reference", "slug"),
    [("19 011 560", "19-011-560"), ("17 002 402b", "17-002-402b"), ("19011560", "19-011-560")],
)
def test_reference_slugs_are_the_lgo_url_form(reference, slug):
    assert reference_slug(reference) == slug


# --- references typed or pasted among other words (the search box) ------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "19 011 560",
        "19/011/560",
        "19.011.560",
        "19-011-560",
        "19011560",
        "19 / 011 / 560",
        "ref: 19 011 560",
        "Ref:19/011/560",
        "reference 19.011.560",
        "Our ref: 19-011-560",
        "your reference no. 19 011 560",
        '"19 011 560"',
        "(19/011/560)",
    ],
)
def test_every_form_a_reference_is_written_in_is_found_and_leaves_no_words(typed):
    assert find_references(typed) == ["19 011 560"]
    assert without_references(typed) == ""


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("ref: 19/011/560 school transport", "school transport"),
        ("school transport 19.011.560", "school transport"),
        ("preference 19 011 560", "preference"),
        ("refund 19 011 560", "refund"),
    ],
)
def test_the_words_beside_a_reference_stay_words(typed, words):
    assert find_references(typed) == ["19 011 560"]
    assert without_references(typed) == words


@pytest.mark.parametrize(
    "text", ["2019011560", "1.19.011.560", "3/19/011/560", "19-011-560-1", "ref school"]
)
def test_longer_numbers_are_not_references(text):
    assert find_references(text) == []
    assert without_references(text) == text
