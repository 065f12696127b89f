"""A seeded synthetic corpus of LGSCO decision pages, for benchmarks (`python -m bench
corpus`).

One JSON object a line, `{"url": ..., "text": ...}`: the scraper records that
`manage.py import_decisions file.jsonl` reads. The pages imitate the real shapes in
tests/fixtures/README.md (labelled header with blank lines and "Back to top", the
same on single lines with "- " bullets, URL-only header, cookie-banner wrapped, the
2016-2017 bare reference) at realistic lengths (4-12 KB), with the boilerplate of each
era and the document frequencies of real statements for the words people search for
(bench/corpus/word_statistics.py measures them).

Streaming: records are made one at a time, so memory stays flat whatever --count.
References are unique without remembering them: record i gets an affine permutation
of i over the (year, serial) space. Same --count and --seed, same bytes.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TextIO

from bench import ROOT
from bench.corpus.page import Facts, Page, Section
from bench.corpus.sections import remedy_items, statement
from bench.corpus.vocabulary import (
    CATEGORIES,
    CLOSED_REASONS,
    COOKIE_BANNER,
    OLDER_WORDINGS,
    OTHER_BODIES_BY_SUBCATEGORY,
    SIGN_OFFS,
    SOCIAL_WORKER,
    SOCIAL_WORKER_OTHERWISE,
    SUBCATEGORIES,
    UPPER_TIER_ONLY,
    USUAL_REASON,
    WORDINGS,
    Body,
    councils,
    subcategory_weight,
)
from bench.corpus.word_statistics import Frequencies, words_in

TAXONOMY = ROOT / "decisions" / "parsing" / "taxonomy.json"
# Real statements, committed with the project: a bank of sentences that gives the
# corpus the long tail of words (names of schemes, places, conditions) real pages have.
SAMPLES = ROOT / "samples"
# Bump when the output for a given (count, seed) changes: cached corpora are named with it.
VERSION = 3
REFERENCE_YEARS = tuple(range(15, 26))  # complaints received 2015-2025, decided 2016-2026
SERIALS_PER_YEAR = 100_000
FIRST_DATE, LAST_DATE = date(2016, 1, 4), date(2026, 5, 29)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
REASONS = tuple(CLOSED_REASONS)
REASON_WEIGHTS = tuple(weight for weight, _ in CLOSED_REASONS.values())
MIN_REAL_SENTENCES = 15  # a category with fewer draws from every category's


def load_categories() -> list[tuple[str, str, str, str]]:
    """(category name, slug, subcategory name, slug) from the taxonomy the parser ships."""
    data = json.loads(TAXONOMY.read_text())
    return [
        (category["name"], category["slug"], sub["name"], sub["slug"])
        for category in data["categories"]
        for sub in category["subcategories"]
    ]


def category_weights(categories: list[tuple[str, str, str, str]]) -> list[float]:
    """Each subcategory's share: its category's share, split by the subcategories' weights."""
    totals: dict[str, float] = {}
    for _, slug, _, sub in categories:
        totals[slug] = totals.get(slug, 0) + subcategory_weight(slug, sub)
    return [CATEGORIES[slug][0] * subcategory_weight(slug, sub) / totals[slug]
            for _, slug, _, sub in categories]  # fmt: skip


# --- rendering --------------------------------------------------------------------------------


def render_blank(header: list[str], summary: str, sections: list[Section], sign_off: str) -> str:
    """The older site's shape: blank lines, numbered paragraphs, "Back to top"."""
    out = ["\n\n".join(header), f"The Ombudsman's final decision:\n\nSummary: {summary}"]
    for section in sections:
        lines, number = [], 0
        for item in section.items:
            if item.bullet:
                lines.append(f"  • {item.text}")
            else:
                number += 1
                lines.append(f"  {number}. {item.text}")
        block = section.heading + ("\n\n" + "\n".join(lines) if lines else "")
        out.append(block + ("\n\nBack to top" if section.back_to_top else ""))
    out.append(sign_off + "\n\nPrint this page")
    return "\n\n".join(out)


def render_compact(header: list[str], summary: str, sections: list[Section], sign_off: str) -> str:
    """The newer shape: one line each, "- " before every paragraph and bullet."""
    out = [*header, "The Ombudsman's final decision:", f"Summary: {summary}"]
    for section in sections:
        out.append(section.heading)
        out.extend(f"- {item.text}" for item in section.items)
    out.append(sign_off)
    return "\n".join(out)


def render_2016(header: list[str], page: Page, outcome: str, received: date) -> str:
    """The 2016-2017 shape: a bare reference, an anonymous summary, plain paragraphs."""
    person = page.rng.choice((("woman", "she", "her"), ("man", "he", "his")))
    subject = page.subject
    lines = [*header, "", f"A {person[0]} complains about {subject}.", "The complaint"]
    lines.append(f"The {person[0]} complains about {subject}.")
    day = received - timedelta(days=page.rng.randint(60, 300))
    for _ in range(page.rng.randint(6, 14)):
        lines.append(page.chronology(day))
        day += timedelta(days=page.rng.randint(10, 60))
    verdict = {
        "upheld": "The Ombudsman upheld the complaint and found fault causing injustice.",
        "not_upheld": "The Ombudsman did not uphold the complaint and found no fault.",
        "closed": "The Ombudsman decided not to investigate the complaint.",
    }[outcome]
    lines += ["", verdict]
    if outcome == "upheld":
        items, _ = remedy_items(page)
        lines += ["", "To remedy the injustice caused, the council has agreed to:"]
        lines += [f"  • {item.text}" for item in items]
    lines += [
        "Final decision",
        page.w(f"The Ombudsman's decision is final. {verdict}"),
        "Print this page",
    ]
    return "\n\n".join(lines)


# --- the corpus -------------------------------------------------------------------------------


class Corpus:
    """Record i of a corpus depends only on (seed, i): --count 200 is a prefix of --count 1000."""

    def __init__(self, seed: int, count: int) -> None:
        self.seed = seed
        self.serials = (
            SERIALS_PER_YEAR if count <= len(REFERENCE_YEARS) * SERIALS_PER_YEAR else 1_000_000
        )
        self.space = len(REFERENCE_YEARS) * self.serials
        if count > self.space:
            raise ValueError(f"at most {self.space:,} unique references")
        rng = random.Random(f"{seed}:references")
        self.step = rng.randrange(self.space // 3, self.space)
        while math.gcd(self.step, self.space) != 1:
            self.step += 1
        self.offset = rng.randrange(self.space)
        self.all_councils, self.upper_tier = councils()
        self.real = real_sentences()
        self.categories = load_categories()
        self.category_weights = category_weights(self.categories)

    def reference(self, index: int) -> tuple[int, str]:
        position = (self.step * index + self.offset) % self.space  # a bijection: no repeats
        year = REFERENCE_YEARS[position // self.serials]
        serial = position % self.serials + 1
        return year, f"{year:02d} {serial // 1000:03d} {serial % 1000:03d}"

    def body(self, rng: random.Random, category: str, subcategory: str) -> Body:
        chance, others = OTHER_BODIES_BY_SUBCATEGORY.get(f"{category}/{subcategory}", (0, ()))
        if others and rng.random() < chance:
            return rng.choice(others)
        return rng.choice(self.upper_tier if category in UPPER_TIER_ONLY else self.all_councils)

    def record(self, index: int) -> dict[str, str]:
        rng = random.Random(f"{self.seed}:{index}")
        year, reference = self.reference(index)
        category, cat_slug, sub, sub_slug = rng.choices(self.categories, self.category_weights)[0]
        while sub_slug == "covid-19" and year < 20:  # no pandemic decisions before 2020
            category, cat_slug, sub, sub_slug = rng.choices(self.categories, self.category_weights)[
                0
            ]
        body = self.body(rng, cat_slug, sub_slug)
        received = date(2000 + year, 1, 1) + timedelta(days=rng.randint(0, 364))
        decided = decision_date(rng, received)
        outcome = rng.choices(("closed", "upheld", "not_upheld"), (45, 35, 20))[0]
        wording = WORDINGS[outcome]
        if rng.random() < (0.08 if decided.year <= 2018 else 0.01):
            wording = rng.choice(OLDER_WORDINGS[outcome])
        social_worker = rng.random() < SOCIAL_WORKER.get(cat_slug, SOCIAL_WORKER_OTHERWISE)
        facts = Facts(cat_slug, sub_slug, body, outcome, closed_reason(rng, cat_slug, sub_slug, body),
                      received, decided, social_worker)  # fmt: skip
        topic = CATEGORIES[cat_slug][1]
        _, subjects, nouns = SUBCATEGORIES.get(f"{cat_slug}/{sub_slug}", (1, (), ()))
        page = Page(rng, facts, topic, subjects or topic.subjects, topic.nouns + nouns,
                    complainant(rng, body), self.real.get(cat_slug) or self.real[""])  # fmt: skip
        labels = [
            f"Category : {category} > {sub}",
            f"Decision : {wording}",
            f"Decision date : {decided.day:02d} {MONTHS[decided.month - 1]} {decided.year}",
        ]
        shape = rng.random()
        if year <= 16 and shape < 0.2 and body.council:
            text = render_2016([reference, *labels], page, outcome, received)
        else:
            summary, sections = statement(page, page.w(CLOSED_REASONS[facts.reason][1]))
            header = [f"{body.name} ({reference})"]
            text = render(shape, header, labels, summary, sections, rng.choice(SIGN_OFFS))
        return {"url": url(rng, cat_slug, sub_slug, reference), "text": text}


def closed_reason(rng: random.Random, category: str, subcategory: str, body: Body) -> str:
    """Why a complaint would be closed without investigation: a key of CLOSED_REASONS."""
    usual, chance = USUAL_REASON.get(f"{category}/{subcategory}", ("", 0.0))
    reason = usual if rng.random() < chance else rng.choices(REASONS, REASON_WEIGHTS)[0]
    if reason == "landlord" and (category != "housing" or not body.council):
        return "evidence"  # only councils are social landlords
    return reason


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_MARKER = re.compile(r"^(?:\d{1,3}[.)]|[a-z]\)|[•\-–])\s+")
_CATEGORY_LINE = re.compile(r"^Category\s*:\s*(.+?)\s*>", re.M)
_URL_CATEGORY = re.compile(r"/decisions/([a-z0-9-]+)/")
# The sentences of the role and powers and of how the complaint was considered: each
# page has those in its own era's words (bench/corpus/boilerplate.json), not at random.
_BOILERPLATE = re.compile(
    r"Local Government Act|Assessment Code|maladministration|draft decision|public money"
    r"|I (?:have )?considered|we may suggest a remedy|As part of my|used the word|adverse impact",
    re.IGNORECASE,
)


def real_sentences() -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    """Body sentences of the bundled real statements, 40-300 characters and ending in
    '.', by category slug ("" for all of them), each with the counted words it holds."""
    texts: list[tuple[str, str]] = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = _CATEGORY_LINE.search(text)
        name = found.group(1) if found else ""
        texts.append((re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), text))
    jsonl = SAMPLES / "lgo_decisions.jsonl"
    if jsonl.exists():
        for line in jsonl.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                found = _URL_CATEGORY.search(record.get("url", ""))
                texts.append((found.group(1) if found else "", record["text"]))
    banks: dict[str, dict[str, None]] = {"": {}}
    for category, text in texts:
        for sentence in sentences(text):
            banks.setdefault(category, {}).setdefault(sentence)
            banks[""].setdefault(sentence)
    return {
        category: tuple((s, frozenset(words_in(s)[1])) for s in found)
        for category, found in banks.items()
        if category == "" or len(found) >= MIN_REAL_SENTENCES
    }


def sentences(text: str) -> Iterator[str]:
    for line in text.splitlines():
        line = _MARKER.sub("", line.strip()).removeprefix("Summary:").strip()
        if line.lower().startswith(("category", "decision", "privacy", "in using")):
            continue
        for sentence in _SENTENCE_SPLIT.split(line):
            ok = 40 <= len(sentence) <= 300 and sentence.endswith(".")
            if ok and not _BOILERPLATE.search(sentence):
                yield sentence


def decision_date(rng: random.Random, received: date) -> date:
    decided = received + timedelta(days=rng.randint(20, 420))
    if decided < FIRST_DATE:
        decided = FIRST_DATE + timedelta(days=rng.randint(0, 120))
    if decided > LAST_DATE:
        decided = LAST_DATE - timedelta(days=rng.randint(0, 150))
    return decided


def complainant(rng: random.Random, body: Body) -> dict[str, str]:
    title = rng.choices(("Mrs", "Ms", "Miss", "Mr"), (30, 20, 8, 42))[0]
    letter = rng.choices("XBCDYZJKNP", (60, 8, 6, 6, 5, 4, 3, 3, 3, 2))[0]
    he = title == "Mr"
    pr, po, pobj = ("he", "his", "him") if he else ("she", "her", "her")
    return {"P": f"{title} {letter}", "pr": pr, "Pr": pr.capitalize(), "po": po,
            "pobj": pobj, "O": body.short, "Oc": body.short[0].upper() + body.short[1:]}  # fmt: skip


def render(shape: float, header: list[str], labels: list[str], summary: str,
           sections: list[Section], sign_off: str) -> str:  # fmt: skip
    if shape < 0.04:  # wrapped in the cookie banner
        return COOKIE_BANNER + render_blank(header + labels, summary, sections, sign_off)
    if shape < 0.21:  # no Category/Decision/Decision date lines: the URL says the rest
        return render_compact(header, summary, sections, sign_off)
    if shape < 0.60:
        return render_blank(header + labels, summary, sections, sign_off)
    return render_compact(header + labels, summary, sections, sign_off)


def url(rng: random.Random, category: str, subcategory: str, reference: str) -> str:
    host = rng.choices(
        ("https://www.lgo.org.uk", "https://lgo.org.uk", "http://lgo.org.uk"), (92, 6, 2)
    )[0]
    query = f"?displaypref={rng.randint(0, 3)}" if rng.random() < 0.03 else ""
    return f"{host}/decisions/{category}/{subcategory}/{reference.replace(' ', '-')}{query}"


def generate(
    count: int, seed: int, start: int = 0, total: int | None = None
) -> Iterator[dict[str, str]]:
    """`count` records from record `start` on, one at a time.

    They are records start..start+count-1 of the corpus of `total` records (by default
    start+count), so a large corpus can be written as parts (`python -m bench million`) in
    any order. (The total matters past 1.1 million: it sets the reference space.)
    """
    corpus = Corpus(seed, total or start + count)
    for index in range(start, start + count):
        yield corpus.record(index)


def write(
    count: int,
    seed: int,
    out: TextIO,
    stats: Frequencies | None = None,
    start: int = 0,
    total: int | None = None,
) -> None:
    """Write the corpus as JSON lines; count the words of each page into `stats` if given."""
    for record in generate(count, seed, start, total):
        if stats is not None:
            stats.add(record["text"])
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
