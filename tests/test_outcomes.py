"""Outcome wordings mapped to families, and outcomes inferred from what the text says."""

import pytest

from decisions.parsing import OUTCOME_FAMILIES, infer_outcome, outcome_family


def test_families_are_usable_as_choices():
    keys = [key for key, _ in OUTCOME_FAMILIES]
    assert keys == [
        "upheld",
        "not_upheld",
        "closed_after_initial_enquiries",
        "discontinued",
        "withdrawn",
        "premature",
        "no_jurisdiction",
    ]
    assert all(label for _, label in OUTCOME_FAMILIES)


@pytest.mark.parametrize(
    ("wording", "family"),
    [
        ("Upheld", "upheld"),
        ("Upheld: maladministration and injustice", "upheld"),
        ("Upheld: no further action", "upheld"),
        ("Upheld: maladministration, no injustice", "upheld"),
        ("upheld:maladministration & injustice", "upheld"),
        ("Not upheld", "not_upheld"),
        ("Not upheld: no maladministration", "not_upheld"),
        ("NOT UPHELD", "not_upheld"),
        ("Closed after initial enquiries", "closed_after_initial_enquiries"),
        ("Closed after initial enquiries - out of jurisdiction", "closed_after_initial_enquiries"),
        ("Closed after initial enquiries – no further action", "closed_after_initial_enquiries"),
        ("Advice given", "closed_after_initial_enquiries"),
        ("Incomplete/Invalid", "closed_after_initial_enquiries"),
        ("Investigation discontinued", "discontinued"),
        ("Referred back for local resolution", "premature"),
        ("Premature", "premature"),
        ("Withdrawn", "withdrawn"),
        ("Not in jurisdiction", "no_jurisdiction"),
        ("Outside jurisdiction", "no_jurisdiction"),
        ("Something else entirely", ""),
        ("", ""),
    ],
)
def test_published_wordings_map_to_families(wording, family):
    assert outcome_family(wording) == family


@pytest.mark.parametrize(
    ("summary", "final_decision", "family"),
    [
        # real sentences from the fixtures
        (
            "",
            "I have completed my investigation and uphold Mrs X’s complaint. There was fault by "
            "the Council which caused injustice to Mrs X.",
            "upheld",
        ),
        (
            "",
            "We will not investigate Ms X’s complaint because investigation would not add "
            "anything significant to the response she has received.",
            "closed_after_initial_enquiries",
        ),
        (
            "We cannot investigate Mr C’s complaint about boundary issues involving a "
            "Council-owned property.",
            "",
            "closed_after_initial_enquiries",
        ),
        (
            "The Ombudsman should not exercise his discretion to investigate this complaint.",
            "",
            "closed_after_initial_enquiries",
        ),
        ("we discontinued our investigation into Mrs X’s complaint.", "", "discontinued"),
        (
            "We found the Council was at fault because it took over a year to raise concerns.",
            "",
            "upheld",
        ),
        (
            "Mr X complained that he was unable to challenge a Fixed Penalty Notice because of fault "
            "on the part of an Enforcement Agency. We found no fault by the Enforcement Agency or the "
            "Council.",
            "",
            "not_upheld",
        ),
        (
            "There is no evidence of fault in the way a care agency delivered Ms X’s home care, and "
            "no fault in the way it responded to her complaints about this.",
            "",
            "not_upheld",
        ),
        (
            "We found no fault in the Council’s decision making but we found fault in its "
            "communications.",
            "",
            "upheld",
        ),
        (
            "It was not at fault in declining to commence formal legal action. The Council’s faults "
            "caused Mrs Y injustice in the form of uncertainty.",
            "",
            "upheld",
        ),
        ("The Ombudsman has not found fault by the Council.", "", "not_upheld"),
        ("", "I have not upheld Mr X’s complaint.", "not_upheld"),
        ("", "I do not uphold the complaint.", "not_upheld"),
        ("Mrs X complains about the school transport appeal.", "", ""),
        # the Final decision section wins over the summary
        (
            "We found fault.",
            "We will not investigate the rest of the complaint.",
            "closed_after_initial_enquiries",
        ),
    ],
)
def test_outcomes_are_inferred_from_the_text(summary, final_decision, family):
    body = (
        f"The complaint\nMr X complains.\nFinal decision\n{final_decision}"
        if final_decision
        else ""
    )
    assert infer_outcome(summary, body) == family


def test_without_a_final_decision_heading_the_summary_comes_before_the_body():
    body = "We cannot investigate late complaints unless there are good reasons."
    assert infer_outcome("We found fault and the Council agreed to apologise.", body) == "upheld"
    assert infer_outcome("", body) == "closed_after_initial_enquiries"


def test_conditional_boilerplate_is_not_a_finding():
    boilerplate = (
        "If there has been fault which has caused an injustice, we may suggest a remedy. "
        "We must also consider whether any fault has had an adverse impact on the person."
    )
    assert infer_outcome("", boilerplate) == ""
