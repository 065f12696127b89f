"""One synthetic decision statement being written: what was drawn for it (`Facts`) and
the wording helpers its sections use (`Page`; the sections are in bench/corpus/sections.py).

The words the search benchmark depends on are placed on purpose. Each page is drawn with
the words it must not contain (`Page.avoid`: "council" in a page about a care provider,
"social worker" unless its story has one, "fault" in a complaint closed for a reason
the law names, "bailiff" unless its subject is about bailiffs) and every paragraph, real
sentence, noun and law is checked against them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bench.corpus import vocabulary as vocab
from bench.corpus.vocabulary import (
    BODY_ACTS,
    COMPLAINANT_ACTS,
    CONFINED_WORDS,
    FAULT_VERBS,
    GOOD_VERBS,
    INJUSTICES,
    STREET_KINDS,
    STREET_NAMES,
    Body,
    Topic,
)

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]  # fmt: skip
TRIES = 12  # redraws of a paragraph that holds a word its page avoids
# How often a complaint closed for a reason the law names (an appeal, the courts, ...)
# also quotes the general test, which speaks of fault and injustice.
GENERAL_TEST_TOO = 0.75


@dataclass
class Item:
    text: str
    bullet: bool = False


@dataclass
class Section:
    heading: str
    items: list[Item]
    back_to_top: bool = True  # False for a sub-heading inside "What I found"


@dataclass
class Facts:
    """What was drawn for a decision before any of it is written."""

    category: str  # slug
    subcategory: str  # slug
    body: Body
    outcome: str  # "upheld", "not_upheld" or "closed"
    reason: str  # a key of CLOSED_REASONS, for closed decisions
    received: date
    decided: date
    social_worker: bool


class Page:
    """Everything drawn for one decision, and the wording helpers that use it."""

    def __init__(
        self,
        rng: random.Random,
        facts: Facts,
        topic: Topic,
        subjects: tuple[str, ...],
        nouns: tuple[str, ...],
        complainant: dict[str, str],
        real: tuple[tuple[str, frozenset[str]], ...],
    ) -> None:
        self.rng = rng
        self.facts = facts
        self.era = vocab.era(facts.decided)
        self.real = real
        self.laws = topic.laws
        self.actors = topic.actors + (("a social worker", "the social worker") * 2
                                      if facts.social_worker else ())  # fmt: skip
        self.ctx = complainant
        council = facts.body.council
        self.ctx |= {"a_body": "a council’s" if council and self.era < 2021 else "an organisation’s",
                     "a_body_bare": "a council" if council else "an organisation"}  # fmt: skip
        avoid = set() if council else {"council"}
        if not facts.social_worker:
            avoid.add("social worker")
        self.general_test = facts.outcome != "closed" or (
            facts.reason not in vocab.REASON_PARAGRAPHS or rng.random() < GENERAL_TEST_TOO
        )
        if not self.general_test:
            avoid.add("fault")  # nothing in such a statement needs the word
        self.avoid = frozenset(avoid)
        # One subject a page: the summary, the complaint and the 2016 shape all name it.
        subject = self.pick(subjects)
        if subject.startswith("its "):
            subject = f"{complainant['O']}'s {subject[4:]}"
        self.subject = subject
        self.avoid |= {word for word in CONFINED_WORDS if word not in subject.lower()}
        self.nouns = tuple(noun for noun in nouns if self.ok(noun))

    def ok(self, text: str) -> bool:
        """Whether `text` holds none of the avoided words. A substring test: stricter than
        bench/corpus/word_statistics.py's (it also refuses "default"), and many times faster."""
        if not self.avoid:
            return True
        low = text.lower()
        return not any(word in low for word in self.avoid)

    def w(self, template: str, **extra: str) -> str:
        return template.format(**self.ctx, **extra)

    def pick(self, phrases: tuple[str, ...]) -> str:
        """One of `phrases`, formatted, that holds no avoided word (if one can be found)."""
        text = self.w(self.rng.choice(phrases))
        for _ in range(TRIES):
            if self.ok(text):
                break
            text = self.w(self.rng.choice(phrases))
        return text

    def real_sentence(self, chance: float) -> str:
        """ " " and a sentence from a real statement of this category, `chance` of the
        time, never one with a word the page avoids; else ""."""
        if not self.real or self.rng.random() >= chance:
            return ""
        for _ in range(TRIES):
            sentence, words = self.rng.choice(self.real)
            if not words & self.avoid:
                return " " + sentence.replace("{", "(").replace("}", ")")
        return ""

    def place(self) -> str:
        return f"{self.rng.choice(STREET_NAMES)} {self.rng.choice(STREET_KINDS)}"

    def noun(self) -> str:
        return self.rng.choice(self.nouns)

    def when(self, day: date) -> str:
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"

    def chronology(self, day: date) -> str:
        """One event: what the complainant did, how the body answered, perhaps what came
        of it, and half the time a sentence of a real statement. Only the option chosen is
        written (lambdas): drawing every option's words was half the generator's time."""
        rng = self.rng
        first = f"In {self.when(day)}, {{P}} {self.pick(COMPLAINANT_ACTS)} {self.noun()}."
        actor = rng.choice(self.actors)
        second = rng.choice(
            (
                lambda: (
                    f"{{Oc}} {self.pick(BODY_ACTS)} {self.noun()} {rng.randint(2, 9)} weeks later."
                ),
                lambda: f"Shortly afterwards, {{O}} {self.pick(BODY_ACTS)} {self.noun()}.",
                lambda: (
                    f"{actor[0].upper()}{actor[1:]} visited the property in {self.place()} on {day.day} {self.when(day)} and discussed {self.noun()}."
                ),
                lambda: (
                    f"{{Oc}} said it would deal with {self.noun()} within {rng.choice(('10', '20', '28'))} working days."
                ),
                lambda: f"{{P}} spoke to {actor} about {self.noun()}.",
            )
        )()
        third = rng.choice(
            (
                lambda: "",
                lambda: (
                    " {Pr} said the information was inaccurate and asked for it to be corrected."
                ),
                lambda: (
                    " {Pr} says {pr} was not given a chance to respond before the decision was made."
                ),
                lambda: (
                    f" The records show no further contact until {self.when(day + timedelta(days=70))}."
                ),
                lambda: (
                    f" {{Pr}} chased a reply in {self.when(day + timedelta(days=35))} but received none."
                ),
            )
        )()
        return self.w(first + " " + second + third) + self.real_sentence(0.5)

    def fault_finding(self) -> str:
        return (
            self.real_sentence(0.3).lstrip()
            or self.rng.choice(
                (
                    lambda: f"{{Oc}} {self.pick(FAULT_VERBS)} {self.noun()}. That was fault.",
                    lambda: (
                        f"There is no evidence {{O}} considered {self.noun()} before it reached its decision. This was fault."
                    ),
                    lambda: (
                        f"{{Oc}} accepts it {self.pick(FAULT_VERBS)} {self.noun()}. I agree this was fault."
                    ),
                    lambda: (
                        f"The delay of {self.rng.randint(3, 30)} weeks in dealing with {self.noun()} was fault."
                    ),
                    lambda: (
                        f"I am satisfied the fault caused {{P}} {self.pick(INJUSTICES)} and {self.pick(INJUSTICES)}."
                    ),
                    lambda: (
                        f"I do not find fault in the way {{O}} dealt with {self.noun()}. It followed the relevant guidance."
                    ),
                )
            )()
        )

    def no_fault_finding(self) -> str:
        return (
            self.real_sentence(0.3).lstrip()
            or self.rng.choice(
                (
                    lambda: f"{{Oc}} {self.pick(GOOD_VERBS)} {self.noun()}. I do not find fault.",
                    lambda: (
                        f"I understand {{P}} disagrees with the decision about {self.noun()}. But we cannot question a decision made without fault."
                    ),
                    lambda: (
                        f"The records show {{O}} {self.pick(GOOD_VERBS)} {self.noun()} within the timescales in its policy."
                    ),
                    lambda: (
                        f"{{Oc}} explained its decision on {self.noun()} clearly and told {{P}} how to challenge it."
                    ),
                )
            )()
        )

    def paragraphs(self, make: Callable[[], str], minimum: int, size: int) -> list[Item]:
        """At least `minimum` paragraphs from `make()`, and more until `size` characters;
        a paragraph with an avoided word is drawn again."""
        items: list[Item] = []
        length = 0
        while len(items) < minimum or length < size:
            text = self.w(make())
            for _ in range(TRIES):
                if self.ok(text):
                    break
                text = self.w(make())
            else:
                continue  # counts toward nothing: try the next
            items.append(Item(text))
            length += len(text)
        return items
