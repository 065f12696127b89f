"""Legislation cited in a statement, and the other bodies named in joint decisions."""

import pytest

from decisions.parsing.citations import find_legislation, find_other_bodies


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "(Local Government Act 1974, sections 26(1) and 26A(1), as amended)",
            [
                "Local Government Act 1974",
                "Local Government Act 1974, section 26",
                "Local Government Act 1974, section 26A",
            ],
        ),
        (
            "(Local Government Act 1974, section 24A(6), as amended, section 34(B))",
            [
                "Local Government Act 1974",
                "Local Government Act 1974, section 24A",
                "Local Government Act 1974, section 34B",
            ],
        ),
        ("The Council has duties under the Care Act 2014.", ["Care Act 2014"]),
        ("Under the Children Act 1989 councils must", ["Children Act 1989"]),
        (
            "It made a decision under section 202 of the Housing Act 1996.",
            ["Housing Act 1996", "Housing Act 1996, section 202"],
        ),
        (
            "Part 7 of the Housing Act 1996 sets out the duties.",
            ["Housing Act 1996", "Housing Act 1996, Part 7"],
        ),
        (
            "[Local Government Act 1974, Schedule 5.5 (as amended)]",
            ["Local Government Act 1974", "Local Government Act 1974, Schedule 5"],
        ),
        (
            "The Care and Support (Charging and Assessment of Resources) Regulations 2014 say",
            ["Care and Support (Charging and Assessment of Resources) Regulations 2014"],
        ),
        (
            "The Equality Act 2010 applies. The Equality Act 2010 also says",
            ["Equality Act 2010"],
        ),
        ("Mr X acted in 2014 and the Council did not act.", []),
    ],
)
def test_legislation_is_normalised(text, expected):
    assert list(find_legislation(text)) == expected


def test_legislation_from_two_sentences_keeps_the_order_of_first_mention():
    text = (
        "The Children and Families Act 2014, section 42 applies. (Local Government Act 1974, "
        "section 26(6)(c), as amended). The Children and Families Act 2014 also says"
    )
    assert find_legislation(text) == (
        "Children and Families Act 2014",
        "Children and Families Act 2014, section 42",
        "Local Government Act 1974",
        "Local Government Act 1974, section 26",
    )


@pytest.mark.parametrize(
    ("text", "organisation", "expected"),
    [
        (
            "We also investigated NHS Kent and Medway ICB.",
            "Kent County Council",
            ("NHS Kent and Medway ICB",),
        ),
        ("Mrs Y was cared for by Saveo Care Ltd (the Care Provider).", "Salveo Care Ltd", ()),
        (
            "The Council commissioned Salveo Care Ltd to provide care.",
            "Norfolk County Council",
            ("Salveo Care Ltd",),
        ),
        ("The Care Provider and the NHS Trust replied.", "Norfolk County Council", ()),
        (
            "Norfolk and Suffolk NHS Foundation Trust treated him.",
            "Norfolk County Council",
            ("Norfolk and Suffolk NHS Foundation Trust",),
        ),
        (
            "Park Homes (UK) Limited runs the home.",
            "Kent County Council",
            ("Park Homes (UK) Limited",),
        ),
    ],
)
def test_other_bodies_are_proper_names_only(text, organisation, expected):
    assert find_other_bodies(text, organisation) == expected
