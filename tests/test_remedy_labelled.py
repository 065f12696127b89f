"""The remedy rules measured on the labelled set (tests/fixtures/remedy_labelled.jsonl):
precision and recall of payment amounts >= 95%, of the apology and service-improvement
flags >= 97%, on the development items and on each held-out batch (each written before
the rule changes that followed it; tests/fixtures/README.md says which figures each gave
before and after). `python -m bench remedies` prints the same figures per role
and lists the misses."""

import pytest

from bench.scenarios.remedies import FLAGS, ROOT, load_labelled, page_of, report, score
from decisions.parsing import parse_decision
from decisions.parsing.remedies import PURPOSE_LABELS

LABELLED = load_labelled()
# "dev" the rules were written on; "heldout" and "heldout2" each written before a change.
SPLITS = list(dict.fromkeys(item["split"] for item in LABELLED))
# The money rules reach these on the labelled set; the target on unseen pages is 0.95.
PAYMENT_TARGET = 0.95
FLAG_TARGET = 0.97


@pytest.mark.parametrize("split", SPLITS)
def test_payment_amounts_reach_the_target_precision_and_recall(split):
    scores = score([item for item in LABELLED if item["split"] == split])
    print("\n" + report(split, scores))
    assert scores.payments.precision >= PAYMENT_TARGET
    assert scores.payments.recall >= PAYMENT_TARGET


@pytest.mark.parametrize("split", SPLITS)
@pytest.mark.parametrize("flag", FLAGS)
def test_the_apology_and_service_improvement_flags_reach_the_target(split, flag):
    tally = score([item for item in LABELLED if item["split"] == split]).flags[flag]
    print(f"\n{split} {flag}: precision {tally.precision:.3f} recall {tally.recall:.3f}")
    assert tally.precision >= FLAG_TARGET
    assert tally.recall >= FLAG_TARGET


def test_the_labelled_set_has_every_role_money_plays():
    sentences = [item for item in LABELLED if item["kind"] == "sentence"]
    assert len([item for item in sentences if item["split"] == "dev"]) >= 60
    assert len([item for item in sentences if item["split"] == "heldout"]) >= 30
    remedy_roles = {role for item in LABELLED for _, _, role in item["remedies"]}
    assert remedy_roles == {"agreed", "recommended", "already_offered"}
    other_roles = {role for item in LABELLED for _, role in item["not_remedies"]}
    assert {
        "guidance_range",
        "fee_or_charge",
        "complainants_money",
        "not_investigated",
        "court_costs",
        "counterfactual",
        "wanted",
    } <= other_roles
    # Each flag is labelled both ways.
    for flag in FLAGS:
        assert {bool(item[flag]) for item in sentences} == {True, False}


def test_every_labelled_item_says_why_and_uses_the_purpose_vocabulary():
    for item in LABELLED:
        assert item["why"].strip(), item["id"]
        for amount, purpose, _ in item["remedies"]:
            assert purpose in PURPOSE_LABELS, (item["id"], purpose)
            assert amount.count(".") == 1


def test_each_labelled_page_is_a_real_page_and_its_copies_are_the_same():
    for item in (item for item in LABELLED if item["kind"] == "page"):
        text, url = page_of(item["source"])
        parsed = parse_decision(text, url=url)
        assert "£" in text, item["id"]
        for copy in item["same_page_in"]:
            other, other_url = page_of(copy)
            assert parse_decision(other, url=other_url).reference == parsed.reference


def test_every_bundled_page_that_mentions_money_is_labelled():
    labelled = set()
    for item in (item for item in LABELLED if item["kind"] == "page"):
        labelled |= {item["source"], *item["same_page_in"]}
    sources = [
        f"{name}:{number}"
        for name in ("tests/fixtures/lgo_pages.jsonl", "samples/lgo_decisions.jsonl")
        for number in range(1, len(page_of_lines(name)) + 1)
    ]
    sources += [str(path.relative_to(ROOT)) for path in sorted(ROOT.glob("samples/*.txt"))]
    sources += [str(path.relative_to(ROOT)) for path in sorted(ROOT.glob("tests/fixtures/seeds/*"))]
    with_money = []
    for source in sources:
        text, url = page_of(source)
        if "£" in text and "Recent statements in this category" not in text:
            with_money.append(source)
    assert with_money and set(with_money) <= labelled


def page_of_lines(name: str) -> list[str]:
    return (ROOT / name).read_text(encoding="utf-8").splitlines()


def test_most_payments_found_have_their_labelled_purpose():
    # The statistics group payments by purpose; a wrong purpose misplaces a payment there.
    scores = score(LABELLED)
    print(f"\npurposes: {scores.purposes_right} of {scores.purposes_compared}")
    assert scores.purposes_compared >= 80
    assert scores.purposes_right / scores.purposes_compared >= 0.9
