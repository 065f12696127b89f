"""The words of the synthetic corpus, read from vocabulary.json and boilerplate.json.

vocabulary.json holds the bodies complained about (councils by tier, and the few other
bodies: care providers, police and crime commissioners, schools, national park
authorities, with the subcategories they appear in and how often), per category its
share of decisions (%) and what its complaints are about (`subjects`), what a
chronology mentions (`nouns`), its law and who acted (`actors`); per subcategory its
weight within the category and its own subjects and nouns; and the phrase banks the
sections draw from. boilerplate.json holds the paragraphs real statements repeat, in the
wording of each era (keyed by the era's first year, see `era`).

The shares and weights were calibrated so that the words people search for are in as
many pages as in real statements (bench/corpus/word_statistics.py, bench/README.md):
change one and the smoke test of the word statistics says whether it still holds.

Templates are formatted with the complainant and the body complained about: {P} "Mrs X",
{pr} {Pr} {po} {pobj} her pronouns, {O} {Oc} "the Council" (or "the Care Provider",
"the Commissioner", ...). None names the Council outright, so that a page about another
body can be written without the word.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _load(name: str) -> dict[str, Any]:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


_WORDS = _load("vocabulary.json")
_BOILERPLATE = _load("boilerplate.json")


@dataclass(frozen=True)
class Body:
    """Who a decision is about: the name in its header, and the words the text uses."""

    name: str
    short: str  # {O}: "the Council"
    council: bool  # False for a care provider, a commissioner, a school, a park authority


@dataclass(frozen=True)
class Topic:
    subjects: tuple[str, ...]  # what the complaint is about
    nouns: tuple[str, ...]  # what a chronology and the findings mention
    laws: tuple[str, ...]  # the law and guidance section
    actors: tuple[str, ...]  # who acted for the body: "an officer"


def councils() -> tuple[tuple[Body, ...], tuple[Body, ...]]:
    """(all councils, those with social care, education and highways duties)."""
    tiers = _WORDS["councils"]
    upper = tuple(
        Body(group["pattern"].format(place), "the Council", True)
        for group in tiers["upper tier"]
        for place in group["places"]
    )
    districts = tuple(
        Body(f"{name} {'Borough' if index % 3 == 1 else 'District'} Council", "the Council", True)
        for index, name in enumerate(tiers["districts"])
    )
    return upper + districts, upper


def _other_bodies(kind: str) -> tuple[Body, ...]:
    found = _WORDS["other bodies"][kind]
    return tuple(Body(found["pattern"].format(place), found["short"], False)
                 for place in found["places"])  # fmt: skip


# Per "category/subcategory": the chance a decision is about another body, and its bodies.
OTHER_BODIES_BY_SUBCATEGORY = {
    key: (found["chance"], _other_bodies(found["bodies"]))
    for key, found in _WORDS["other bodies by subcategory"].items()
}
# Districts have no social care, education or highways duties.
UPPER_TIER_ONLY = frozenset(_WORDS["upper tier only"])
# A category's share of decisions (%) and its topic.
CATEGORIES = {
    slug: (found["share"], Topic(*(tuple(found[key]) for key in ("subjects", "nouns", "laws", "actors"))))
    for slug, found in _WORDS["categories"].items()
}  # fmt: skip
# Per "category/subcategory": its weight within the category (1 unless given), what its
# complaints are about (else the category's subjects), and nouns added to the category's.
SUBCATEGORIES = {
    key: (found["weight"], tuple(found["subjects"]), tuple(found["nouns"]))
    for key, found in _WORDS["subcategories"].items()
}


def subcategory_weight(category: str, subcategory: str) -> float:
    listed = SUBCATEGORIES.get(f"{category}/{subcategory}")
    if listed is not None:
        return listed[0]
    return _WORDS["unlisted subcategory weights"].get(subcategory, 1.0)


# Words a statement uses only when its subject does: the search for `bailiff` matched
# about 3% of real decisions, so no other page may borrow one from a real sentence.
CONFINED_WORDS = tuple(_WORDS["confined words"])
# The share of decisions, per category, whose statement speaks of a social worker.
SOCIAL_WORKER = _WORDS["social worker shares"]
SOCIAL_WORKER_OTHERWISE = _WORDS["social worker share otherwise"]
STREET_NAMES = tuple(_WORDS["street names"])
STREET_KINDS = tuple(_WORDS["street kinds"])
# Where else a complainant might take a complaint, by category.
ELSEWHERE = {category: tuple(places) for category, places in _WORDS["elsewhere"].items()}
ELSEWHERE_OTHERWISE = tuple(_WORDS["elsewhere otherwise"])
INJUSTICES = tuple(_WORDS["injustices"])
FAULT_VERBS = tuple(_WORDS["fault verbs"])
DELAY_VERB = _WORDS["delay verb"]
GOOD_VERBS = tuple(_WORDS["good verbs"])
COMPLAINANT_ACTS = tuple(_WORDS["complainant acts"])
BODY_ACTS = tuple(_WORDS["body acts"])
# Why a complaint was not investigated: the key picks the paragraph of the law the
# statement quotes (REASON_PARAGRAPHS), the weight how often it is given.
CLOSED_REASONS = {
    key: (found["weight"], found["because"]) for key, found in _WORDS["closed reasons"].items()
}
# Subcategories whose complaints are mostly closed for one reason, and how often.
USUAL_REASON = {
    key: (found["reason"], found["chance"]) for key, found in _WORDS["usual closed reason"].items()
}
WANTS = tuple(_WORDS["wants"])
PAYMENT_PURPOSES = tuple(_WORDS["payment purposes"])
AMOUNTS = tuple(_WORDS["amounts"])
ACTIONS = tuple(_WORDS["actions"])
CARER_SENTENCES = tuple(_WORDS["carer sentences"])
COMPLAINT_MORE = tuple(_WORDS["complaint more"])
SUMMARY_MORE = tuple(_WORDS["summary more"])
REGULATORS = _WORDS["regulators"]
WORDINGS = _WORDS["wordings"]
OLDER_WORDINGS = {outcome: tuple(found) for outcome, found in _WORDS["older wordings"].items()}
SIGN_OFFS = tuple(_WORDS["sign offs"])
COOKIE_BANNER = "\n".join(_WORDS["cookie banner"]) + "\n"


# --- the boilerplate of each era: "The Ombudsman's role and powers" and "How I
# considered this complaint", in the real statements' wording, which changed over time.


def era(decided: date) -> int:
    """The first year of the wording a statement decided on `decided` uses."""
    if decided.year <= 2018:
        return 2016
    if decided < date(2021, 7, 1):
        return 2019
    return 2021 if decided.year <= 2023 else 2024


def _by_era(key: str) -> dict[int, Any]:
    return {int(year): found for year, found in _BOILERPLATE[key].items()}


# The opening paragraph of an investigated complaint's role and powers.
INVESTIGATED = _by_era("investigated")
# Sometimes said instead, and without the word injustice (tests/fixtures: 19 014 022).
ABOUT_DECISIONS = _BOILERPLATE["about decisions"]
SATISFIED = _BOILERPLATE["satisfied"]
RESTRICTIONS = _BOILERPLATE["restrictions"]
# Said sometimes in investigated statements, from the era given.
EXTRAS = tuple((extra["since"], extra["text"]) for extra in _BOILERPLATE["extras"])
CARE_PROVIDER = tuple(_BOILERPLATE["care provider"])
COMMISSIONER = _BOILERPLATE["commissioner"]
APPEAL_PANEL = _BOILERPLATE["appeal panel"]
# The opening of a closed complaint's role and powers; {test} says why we may not
# investigate, in the words of its reason (TESTS).
NOT_INVESTIGATED = _by_era("not investigated")
# Closed statements' shorter opening, without fault or injustice (21 003 690).
BRIEFLY = _BOILERPLATE["briefly"]
TESTS = _BOILERPLATE["tests"]
# The law a closed statement quotes for its reason; these say nothing of fault.
REASON_PARAGRAPHS = _BOILERPLATE["reason paragraphs"]
MINISTER = _BOILERPLATE["minister"]
# "How I considered this complaint", investigated: one paragraph each, or (null) the
# list "As part of my investigation I have:" of INVESTIGATION_STEPS.
CONSIDERED = _by_era("considered")
INVESTIGATION_STEPS = tuple(_BOILERPLATE["investigation steps"])
LAST_STEP = _BOILERPLATE["last step"]
# Closed without investigation.
ASSESSED = _by_era("assessed")
DRAFT_COMMENTS = _BOILERPLATE["draft comments"]
SHARING = _BOILERPLATE["sharing"]
