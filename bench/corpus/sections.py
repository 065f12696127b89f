"""The sections of a synthetic statement, in order, and where they put the searched words
as real statements do: the role and powers (fault, injustice, "carefully"), the
Assessment Code, the summary (an apology, a delay), the complaint (a social worker, a
carer, a disputed assessment), the subjects of the category (housing, school, parking,
bailiffs). The probabilities below were calibrated against bench/corpus/word_statistics.py's
targets on 8,000 pages (bench/README.md).
"""

from __future__ import annotations

from datetime import date, timedelta

from bench.corpus import vocabulary as vocab
from bench.corpus.page import Item, Page, Section
from bench.corpus.vocabulary import (
    ACTIONS,
    AMOUNTS,
    CARER_SENTENCES,
    COMPLAINT_MORE,
    DELAY_VERB,
    ELSEWHERE,
    ELSEWHERE_OTHERWISE,
    FAULT_VERBS,
    INJUSTICES,
    PAYMENT_PURPOSES,
    REGULATORS,
    SUMMARY_MORE,
    WANTS,
)

# How often the summary or the complaint says so (calibrated against the targets of
# bench/corpus/word_statistics.py; see bench/README.md).
APOLOGY_IN_SUMMARY = 0.75  # of upheld decisions
APOLOGY_WANTED = 0.05
DELAY_IN_COMPLAINT = 0.19
INJUSTICE_IN_SUMMARY = 0.1  # of upheld decisions: "to remedy the injustice caused"
SOCIAL_WORKER_IN_COMPLAINT = 0.85  # of decisions whose story has one
SCOPE_SECTION = 0.06  # of investigated decisions: "What I have and have not investigated"
# How often the role and powers open with wording that does not say "injustice".
ABOUT_DECISIONS = 0.08  # of investigated decisions, from 2019
BRIEFLY = 0.08  # of closed decisions, from 2019
ASSESSMENT_DISPUTED = 0.09  # "{P} says the Council's assessment of ... was wrong."
# How often a complaint outside social care says the complainant is a carer.
CARER = 0.13
CARE_CATEGORIES = {"adult-care-services", "children-s-care-services"}


def fault_verb(page: Page) -> str:
    if page.rng.random() < DELAY_IN_COMPLAINT:
        return DELAY_VERB
    return page.pick(FAULT_VERBS)


def complaint_section(page: Page) -> Section:
    """One to six paragraphs, some with a list of what went wrong: 100 to 1,500
    characters, as in real statements, so that the role and powers start anywhere from
    the 400th character to past the 2,000th."""
    rng = page.rng
    opener = rng.choice(("{P} complains", "The complainant, whom I shall call {P}, complains"))
    first = page.w(f"{opener} about {page.subject}.")
    if rng.random() < 0.7:
        first += page.w(f" {{Pr}} says {{O}} {fault_verb(page)} {page.noun()}.")
    items = [Item(first)]
    if rng.random() < 0.35:
        items.append(Item(page.w("In particular, {pr} says {O}:")))
        items += [
            Item(page.w(f"{page.pick(FAULT_VERBS)} {page.noun()};"), bullet=True)
            for _ in range(rng.randint(2, 5))
        ]
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 7, 9))):
        items.append(Item(page.w(rng.choice(COMPLAINT_MORE), noun=page.noun(), noun2=page.noun(),
                                 verb=page.pick(FAULT_VERBS), harm=page.pick(INJUSTICES))))  # fmt: skip
    if page.facts.category not in CARE_CATEGORIES and rng.random() < CARER:
        items.insert(1, Item(page.w(rng.choice(CARER_SENTENCES))))
    if rng.random() < ASSESSMENT_DISPUTED:
        items.append(Item(page.w(f"{{Pr}} says {{O}}'s assessment of {page.noun()} was wrong.")))
    if page.facts.social_worker and rng.random() < SOCIAL_WORKER_IN_COMPLAINT:
        items.append(
            Item(page.w(f"{{Pr}} says the social worker {page.pick(FAULT_VERBS)} {page.noun()}."))
        )
    if rng.random() < 0.2:
        return Section("The complaint", items)  # said in a sentence or two
    wants = rng.sample(WANTS, 2)
    if rng.random() < APOLOGY_WANTED:
        wants[0] = "apologise"
    items.append(
        Item(
            page.w(
                f"{{Pr}} says this caused {{pobj}} {page.pick(INJUSTICES)} and {page.pick(INJUSTICES)}. "
                f"{{Pr}} wants {{O}} to {wants[0]} and {page.w(wants[1])}."
            )
        )
    )
    return Section("The complaint", items)


def scope_section(page: Page) -> Section:
    """What I have and have not investigated: said before the role and powers."""
    start = page.facts.received - timedelta(days=page.rng.randint(200, 700))
    end = page.facts.received - timedelta(days=page.rng.randint(20, 120))
    items = [
        Item(
            page.w(
                f"I have investigated the complaint about events from {page.when(start)} until {page.when(end)}."
            )
        ),
        Item(
            page.w(
                f"I have not investigated {page.noun()}, as {{P}} did not complain to {{O}} about it first. It is open to {{pobj}} to do so now."
            )
        ),
    ]
    if page.rng.random() < 0.5:
        items.append(
            Item(
                page.w(
                    f"I have commented on events after {page.when(end)} only where they help explain what happened to {{P}}."
                )
            )
        )
    return Section("What I have and have not investigated", items)


def role_section(page: Page) -> Section:
    """The Ombudsman's role and powers, in the era's words."""
    facts, rng = page.facts, page.rng
    paragraphs: list[str] = []
    if facts.body.short == "the Care Provider":
        paragraphs += vocab.CARE_PROVIDER
    if facts.body.short == "the Commissioner":
        paragraphs += [vocab.RESTRICTIONS, vocab.COMMISSIONER]
    if facts.outcome == "closed":
        paragraphs += closed_role_paragraphs(page)
    else:
        if facts.body.short == "the School":
            paragraphs.append(vocab.APPEAL_PANEL)
        elif rng.random() < 0.1 and page.era == 2016:
            paragraphs.append(vocab.RESTRICTIONS)
        if page.era >= 2019 and rng.random() < ABOUT_DECISIONS:
            paragraphs.append(vocab.ABOUT_DECISIONS)
        else:
            paragraphs.append(rng.choice(vocab.INVESTIGATED[page.era]))
        if rng.random() < 0.7:
            paragraphs.append(vocab.SATISFIED)
        paragraphs += [
            text for since, text in vocab.EXTRAS if page.era >= since and rng.random() < 0.1
        ]
    return Section("The Ombudsman’s role and powers", [Item(page.w(p)) for p in paragraphs])


def closed_role_paragraphs(page: Page) -> list[str]:
    facts, rng = page.facts, page.rng
    specific = vocab.REASON_PARAGRAPHS.get(facts.reason)
    if facts.reason == "appeal" and facts.category == "planning":
        specific = vocab.MINISTER
    paragraphs = []
    if facts.reason == "landlord":
        paragraphs.append(vocab.RESTRICTIONS)
    if page.general_test:
        if page.era >= 2019 and rng.random() < BRIEFLY:
            general = vocab.BRIEFLY
        else:
            general = rng.choice(vocab.NOT_INVESTIGATED[page.era])
        paragraphs.append(page.w(general, test=vocab.TESTS[facts.reason]))
    if specific:
        paragraphs.insert(rng.randint(0, len(paragraphs)), specific)
    if facts.body.short == "the School":
        paragraphs.append(vocab.APPEAL_PANEL)
    return paragraphs


def considered_section(page: Page) -> Section:
    facts, rng = page.facts, page.rng
    noun, noun2 = page.noun(), page.noun()
    if facts.outcome == "closed":
        items = [Item(page.w(text, noun=noun)) for text in rng.choice(vocab.ASSESSED[page.era])]
        if page.era >= 2021 and rng.random() < 0.3:
            items.append(Item(page.w(vocab.DRAFT_COMMENTS)))
        return Section("How I considered this complaint", [bullet(item) for item in items])
    chosen = rng.choice(vocab.CONSIDERED[page.era])
    if chosen is None:
        steps = sorted(rng.sample(range(len(vocab.INVESTIGATION_STEPS)), 3))
        items = [Item("As part of my investigation I have:")]
        items += [Item(page.w(vocab.INVESTIGATION_STEPS[i], noun=noun, noun2=noun2), bullet=True)
                  for i in steps] + [Item(vocab.LAST_STEP, bullet=True)]  # fmt: skip
    else:
        items = [Item(page.w(text, noun=noun)) for text in chosen]
    regulator = REGULATORS.get(facts.category)
    if regulator and rng.random() < 0.25:
        items.append(Item(page.w(vocab.SHARING, regulator=regulator)))
    return Section("How I considered this complaint", items)


def bullet(item: Item) -> Item:
    """ "• considered ..." in the boilerplate is a list item."""
    if item.text.startswith("• "):
        return Item(item.text[2:], bullet=True)
    return item


def found_sections(page: Page, size: int) -> list[Section]:
    upheld = page.facts.outcome == "upheld"
    laws = [law for law in page.laws if page.ok(law)] or [vocab.RESTRICTIONS]
    law = [Item(text) for text in page.rng.sample(laws, min(2, len(laws)))]
    findings = page.paragraphs(page.fault_finding if upheld else page.no_fault_finding, 3, 0)
    if upheld:
        findings.append(Item(page.w(f"This caused {{P}} {page.pick(INJUSTICES)}.")))
    # Events end around when the complaint reached us: about one per 330 characters.
    day = page.facts.received - timedelta(days=35 * (size // 330) + page.rng.randint(0, 90))
    events: list[Item] = []
    length = sum(len(item.text) for item in law + findings)
    while len(events) < 3 or length < size:
        text = page.chronology(day)
        if page.ok(text):
            events.append(Item(text))
            length += len(text)
        day += timedelta(days=page.rng.randint(10, 60))
    return [
        Section("What I found", [], back_to_top=False),
        Section(page.rng.choice(("Relevant law and guidance", "Law and guidance")), law, False),
        Section(page.rng.choice(("What happened", "Key facts", "Background")), events, False),
        Section(page.rng.choice(("Analysis", "My findings", "Findings")), findings),
    ]


def assessment_section(page: Page, reason: str, size: int) -> Section:
    def make() -> str:
        return page.rng.choice(
            (
                lambda: page.chronology(
                    date(2000 + page.rng.randint(16, 25), 1 + page.rng.randint(0, 11), 1)
                ),
                lambda: f"We will not investigate this complaint because {reason}.",
                lambda: (
                    f"It is open to {{P}} to raise concerns about {page.noun()} with {page.pick(ELSEWHERE.get(page.facts.category, ELSEWHERE_OTHERWISE))}."
                ),
                lambda: (
                    f"{{Oc}} has explained its position on {page.noun()} in its final complaint response. Investigation by us would not add to that response or lead to a different outcome."
                ),
                lambda: (
                    f"{{P}} says {{O}} {page.pick(FAULT_VERBS)} {page.noun()}. But there is not enough evidence that any fault caused {{pobj}} significant {page.pick(INJUSTICES)}."
                ),
            )
        )()

    # "My assessment" since the Assessment Code (2021); "What I found" before it.
    heading = "My assessment" if page.era >= 2021 else "What I found"
    return Section(heading, page.paragraphs(make, 3, size))


def remedy_items(page: Page) -> tuple[list[Item], int]:
    amount = page.rng.choice(AMOUNTS)
    items = [
        Item(page.w(f"apologise to {{P}} for the {page.pick(INJUSTICES)} caused;"), bullet=True),
        Item(page.w(f"pay {{P}} £{amount:,} {page.pick(PAYMENT_PURPOSES)};"), bullet=True),
    ]
    if page.rng.random() < 0.3:
        extra = page.rng.choice(AMOUNTS[:6])
        items.append(
            Item(page.w(f"pay {{pobj}} a further £{extra} for {{po}} time and trouble;"), True)
        )
        amount += extra
    for template in page.rng.sample(ACTIONS, page.rng.randint(0, 2)):
        items.append(Item(page.w(template, noun=page.noun()) + ".", bullet=True))
    return items, amount


def summary_remedy(page: Page, amount: int) -> str:
    purpose = page.pick(PAYMENT_PURPOSES)
    if page.rng.random() < APOLOGY_IN_SUMMARY:
        remedy = f" {{Oc}} has agreed to apologise to {{P}} and pay {{pobj}} £{amount:,} {purpose}."
    else:
        remedy = f" {{Oc}} has agreed to pay {{P}} £{amount:,} {purpose} and review its procedures."
    if page.rng.random() < INJUSTICE_IN_SUMMARY:
        remedy = remedy[:-1] + ", to remedy the injustice caused."
    return page.w(remedy)


def summary_text(page: Page, reason: str, remedy: str) -> str:
    outcome, subject, rng = page.facts.outcome, page.subject, page.rng
    more = " ".join(page.w(rng.choice(SUMMARY_MORE), noun=page.noun(), verb=page.pick(FAULT_VERBS))
                    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))))  # fmt: skip
    more = f" {more}" if more else ""
    if outcome == "closed":
        if page.era < 2021:
            opener = rng.choice(("The Ombudsman will not investigate this complaint",
                                 "The Ombudsman will not investigate {P}'s complaint"))  # fmt: skip
        else:
            opener = rng.choice(("We will not investigate {P}'s complaint",
                                 "We will not investigate this complaint"))  # fmt: skip
        return page.w(f"{opener} about {subject}. This is because {reason}.") + more
    first = page.w(f"{{P}} complained about {subject}.") + more
    if outcome == "not_upheld":
        if page.era < 2019:
            return first + page.w(" The Ombudsman has not found fault by {O}.")
        return first + page.w(f" We found no fault in the way {{O}} dealt with {page.noun()}.")
    found = page.w(
        f" We found {{O}} {fault_verb(page)} {page.noun()}, which caused {{pobj}} {page.pick(INJUSTICES)}."
    )
    return first + found + remedy


def final_section(page: Page, reason: str) -> Section:
    text = {
        "upheld": "I have completed my investigation. There was fault by {O} which caused injustice to {P}. {Oc} has agreed to the actions set out above to remedy that injustice.",
        "not_upheld": "I have completed my investigation. I have not found fault by {O} in the matters {P} complained about.",
        "closed": f"We will not investigate {{P}}'s complaint because {reason}.",
    }[page.facts.outcome]
    return Section("Final decision", [Item(page.w(text))], back_to_top=False)


def statement(page: Page, reason: str) -> tuple[str, list[Section]]:
    """(the summary, the sections) of a statement."""
    investigated = page.facts.outcome != "closed"
    sections = [complaint_section(page)]
    if investigated and page.rng.random() < SCOPE_SECTION:
        sections.append(scope_section(page))
    sections += [role_section(page), considered_section(page)]
    remedy = ""
    if investigated:
        sections += found_sections(page, int(page.rng.triangular(2300, 9000, 4000)))
    else:
        sections.append(
            assessment_section(page, reason, int(page.rng.triangular(1800, 6000, 2500)))
        )
    if page.facts.outcome == "upheld":
        items, amount = remedy_items(page)
        intro = page.rng.choice(("To remedy the injustice caused, {O} has agreed to:",
                                 "Within one month of the final decision, {O} will:"))  # fmt: skip
        items.insert(0, Item(page.w(intro)))
        items.append(Item(page.w("{Oc} should provide us with evidence it has complied with the above actions.")))  # fmt: skip
        sections.append(Section("Agreed action", items))
        remedy = summary_remedy(page, amount)
    sections.append(final_section(page, reason))
    return summary_text(page, reason, remedy), sections
