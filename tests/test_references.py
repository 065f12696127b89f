"""LGSCO case references in every form they are written in."""

import pytest

from decisions.parsing import ParseError, canonical_reference, reference_slug


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
