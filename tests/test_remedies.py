"""Remedies read from real sentences in the fixtures, each checked by hand."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from decisions.parsing import Payment, parse_decision
from decisions.parsing.remedies import extract_remedies

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
LGO_PAGES = [json.loads(line) for line in (FIXTURES / "lgo_pages.jsonl").open(encoding="utf-8")]


def amounts(remedies) -> list[tuple[str, str]]:
    return [(f"{payment.amount:.2f}", payment.purpose) for payment in remedies.payments]


def test_seed_000_gives_time_and_trouble_and_distress_already_provided_with_an_apology():
    parsed = parse_decision(SEEDS[0].read_text(encoding="utf-8"))
    remedies = parsed.remedies
    assert amounts(remedies) == [("50.00", "time_and_trouble"), ("200.00", "distress")]
    assert remedies.total == Decimal("250.00")
    assert remedies.already_provided and remedies.apology
    assert not (remedies.reassessment or remedies.staff_training or remedies.service_improvement)
    assert remedies.payments[0].text.startswith("The Council agreed to pay £50")
    assert remedies.as_dict()["payments"][1] == {
        "amount": "200.00",
        "purpose": "distress",
        "text": remedies.payments[1].text,
    }


def test_guidance_ranges_in_seed_000_are_not_payments():
    parsed = parse_decision(SEEDS[0].read_text(encoding="utf-8"))
    assert Decimal("100") not in [payment.amount for payment in parsed.remedies.payments]
    assert Decimal("300") not in [payment.amount for payment in parsed.remedies.payments]


def test_a_closed_case_has_no_remedies():
    remedies = parse_decision(SEEDS[1].read_text(encoding="utf-8")).remedies
    assert remedies.payments == () and remedies.total == Decimal("0")
    assert not any(
        (
            remedies.apology,
            remedies.service_improvement,
            remedies.reassessment,
            remedies.staff_training,
            remedies.already_provided,
        )
    )


# (sentence as published, [(amount, purpose)], flags that must be set)
SENTENCES = [
    (
        "The Council should apologise, pay Mrs X £1400, and issue new decisions.",
        [("1400.00", "")],
        {"apology"},
    ),
    (
        "We recommended it provide Miss X with an apology, pay £100 for distress and uncertainty "
        "and pay £100 for time and trouble.",
        [("100.00", "distress"), ("100.00", "time_and_trouble")],
        {"apology"},
    ),
    (
        "It has agreed to apologise to Mr X, pay him £300 to acknowledge the distress caused, confirm "
        "its duty to support him until the end of the educational programme as set out in his pathway "
        "plan and review its procedures.",
        [("300.00", "distress")],
        {"apology", "service_improvement"},
    ),
    (
        "To put matters rights, the Council agreed to make a symbolic payment of £700 to Miss X.",
        [("700.00", "")],
        set(),
    ),
    (
        "The Council agreed to instruct its bailiff to reduce the Enforcement Fee by £100 to reflect "
        "the additional distress caused through provision of misleading information.",
        [("100.00", "distress")],
        set(),
    ),
    ("The Council previously agreed to pay her £250.", [("250.00", "")], set()),
    (
        "The Council will apologise, complete a new medical assessment, consider if Mrs X is homeless "
        "and make a payment to her to remedy the injustice caused.",
        [],
        {"apology", "reassessment"},
    ),
    (
        "The Council has agreed to apologise, meet part of the outstanding costs for the relocation of "
        "Mr X’s wife’s grave, and take action to improve its services.",
        [],
        {"apology", "service_improvement"},
    ),
    (
        "The Council has agreed to apologise, pay a financial remedy, provide a right of review for "
        "the suitability of Mr X’s property, and carry out officer training.",
        [],
        {"apology", "staff_training"},
    ),
    (
        "The Council has agreed to apologise to Mr B and Mr C, make symbolic payments, and issue "
        "staff briefings.",
        [],
        {"apology", "service_improvement"},
    ),
    (
        "It should apologise to him, offer a sum which recognises the time, trouble and frustration "
        "he was caused by its delay, review its complaint processes and its adherence to the guidance "
        "on fee notification.",
        [],
        {"apology", "service_improvement"},
    ),
    (
        "To remedy this injustice, the Council has agreed to apologise and reduce the invoice. It will "
        "also take action to ensure direct payments are properly monitored in future.",
        [],
        {"apology", "service_improvement"},
    ),
    (
        "However, the Council has already apologised to her, and we consider this to be a suitable "
        "remedy.",
        [],
        {"apology", "already_provided"},
    ),
    (
        "The Council has accepted our recommendation to apologise, pay a financial remedy to Mr X and "
        "take measures to prevent it happening again.",
        [],
        {"apology", "service_improvement"},
    ),
    (
        "The Council has already carried out a further review in response to our enquiries and "
        "decided to issue a blue badge.",
        [],
        {"already_provided"},
    ),
    # not remedies
    (
        "However, the warden told her he was already on the way to a receiving point and she would "
        "have to pay £71 to have her dog released.",
        [],
        set(),
    ),
    (
        "Ms X says the Council wrongly seized her dog and charged her £71 for returning it to her.",
        [],
        set(),
    ),
    (
        "It explains that we would usually recommend a payment of between £100 and £300, depending "
        "on the difficulty the complainant has experienced.",
        [],
        set(),
    ),
    (
        "He would like the Council to apologise, improve its procedures and pay compensation for his "
        "pain and suffering.",
        [],
        set(),
    ),
    (
        "She says the council should have reassessed her mother’s needs as she had been seeking an "
        "assessment before her mother went into the care home.",
        [],
        set(),
    ),
    (
        "The Council also accepted it had failed to arrange a meeting with Mrs X to discuss her "
        "complaint, despite agreeing to do so.",
        [],
        set(),
    ),
]
FLAGS = ("apology", "service_improvement", "reassessment", "staff_training", "already_provided")


@pytest.mark.parametrize(
    ("sentence", "payments", "flags"),
    SENTENCES,
    ids=[s[:40] for s in (row[0] for row in SENTENCES)],
)
def test_remedies_in_real_sentences(sentence, payments, flags):
    remedies = extract_remedies(sentence, [])
    assert amounts(remedies) == payments
    assert remedies.total == sum((Decimal(amount) for amount, _ in payments), Decimal("0"))
    assert {flag for flag in FLAGS if getattr(remedies, flag)} == flags


def test_a_payment_in_both_summary_and_body_is_counted_once():
    remedies = extract_remedies(
        "The Council should apologise, pay Mrs X £1400, and issue new decisions.",
        [
            (
                "Agreed action",
                [
                    "Within one month the Council should pay Mrs X £1400 to acknowledge the "
                    "distress caused."
                ],
            )
        ],
    )
    assert amounts(remedies) == [("1400.00", "distress")]
    assert remedies.total == Decimal("1400.00")


def test_amounts_in_a_list_of_agreed_actions_count_without_a_verb():
    parsed = parse_decision(LGO_PAGES[53]["text"], url=LGO_PAGES[53]["url"])
    assert amounts(parsed.remedies) == [("19898.00", "")]
    assert parsed.remedies.payments[0].text == "This is £19,898."


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("pay £1,250.50 for distress", "1250.50"),
        ("refund £19,898", "19898.00"),
        ("pay £5.5 now", "5.50"),
    ],
)
def test_amount_formats(text, amount):
    remedies = extract_remedies(f"The Council agreed to {text}.", [])
    assert [f"{p.amount:.2f}" for p in remedies.payments] == [amount]


def test_payments_are_typed_records():
    payment = extract_remedies("The Council will pay £200 for her time and trouble.", []).payments[
        0
    ]
    assert payment == Payment(
        amount=Decimal("200.00"),
        purpose="time_and_trouble",
        text="The Council will pay £200 for her time and trouble.",
    )


@pytest.mark.parametrize(
    ("paragraphs", "payments"),
    [
        # What we asked the organisation to pay is a recommended remedy.
        (["We asked the Council to pay Mr X £200 for his distress."], [("200.00", "distress")]),
        # "A further £200" is a payment of its own, though £100 and £100 make £200.
        (
            [
                "The Council should pay £100 for distress and £100 for time and trouble.",
                "It should also pay him a further £200 for the lost respite.",
            ],
            [("100.00", "distress"), ("100.00", "time_and_trouble"), ("200.00", "lost_care")],
        ),
        # A summary's sum of the payments a later sentence gives is not counted again.
        (
            [
                "The Council will pay Mrs X £300.",
                "It will pay £200 for her distress and £100 for her time and trouble.",
            ],
            [("200.00", "distress"), ("100.00", "time_and_trouble")],
        ),
        # A character whose lower case is longer ("İ") moves no position the rules read.
        (
            ["İİİ The Council has agreed to refund the £45 fee she paid."],
            [("45.00", "refund")],
        ),
    ],
)
def test_payments_across_sentences(paragraphs, payments):
    assert amounts(extract_remedies("", [("What I found", paragraphs)])) == payments


def test_the_decision_page_has_a_sentence_for_every_remedy_flag():
    from decisions.formatting import REMEDY_FLAG_SENTENCES
    from decisions.parsing import REMEDY_FLAGS

    assert set(REMEDY_FLAG_SENTENCES) == set(REMEDY_FLAGS)
