"""`python -m bench load --mix N`'s URLs: many distinct list URLs, as a crowd of readers
would ask them.

`mixed_urls(n, seed)` reads the benchmark database and makes `n` distinct addresses of
the list page, in random order, half browsing and filters, half searches, so that no
address repeats within a run and a cache of whole pages cannot stand in for speed:

- browse: the list paged (pages 1-50), sorted, or filtered by one to three of
  category, subcategory, outcome, organisation (among the 100 with most decisions),
  a date range of whole years, a financial remedy, an amount and a kind of remedy;
- search: one to three words drawn from the words of the first decisions' text (the
  corpus's real vocabulary, each word as often as it is in decisions, as
  the query mix picks its words), a two-word phrase from that text one time in
  six, sometimes with a filter, a sort or a later page.

Each URL comes with its kind ("browse" or "search"), which the report splits by.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any
from urllib.parse import urlencode

VOCABULARY_DECISIONS = 500  # decisions whose words the searches are drawn from
TOP_ORGANISATIONS = 100
SORTS = ("newest", "oldest", "largest")


def values() -> dict[str, Any]:
    """What the URLs are made of, read from the database in a few queries."""
    from django.db.models import Count

    from decisions.filters import REMEDY_KINDS
    from decisions.models import Category, Decision
    from decisions.parsing.outcomes import OUTCOME_FAMILIES

    published = Decision.objects.published()
    subcategories: dict[str, list[str]] = {}
    for slug, parent in Category.objects.exclude(parent=None).values_list("slug", "parent__slug"):
        subcategories.setdefault(parent, []).append(slug)
    organisations = list(
        published.exclude(organisation=None)
        .values("organisation__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__slug")
        .values_list("organisation__slug", flat=True)[:TOP_ORGANISATIONS]
    )
    years = sorted(
        {date.year for date in published.exclude(decision_date=None).dates("decision_date", "year")}
    )
    texts = published.order_by("id").values_list("summary", "body_text")[:VOCABULARY_DECISIONS]
    words: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    for summary, body in texts:
        tokens = [
            token.lower() if token.isalpha() and len(token) >= 4 else None
            for token in f"{summary} {body}".split()
        ]
        words.update(token for token in set(tokens) if token)
        phrases.update({f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False) if a and b})
    return {
        "categories": sorted(subcategories),
        "subcategories": subcategories,
        "outcomes": [key for key, _ in OUTCOME_FAMILIES],
        "organisations": organisations,
        "years": years or [2020],
        "remedies": [key for key, _ in REMEDY_KINDS],
        # Seen in two decisions or more: a word of the corpus, not a one-off.
        "words": sorted(word for word, count in words.items() if count >= 2),
        "phrases": sorted(phrase for phrase, count in phrases.items() if count >= 3),
        "counts": words,
    }


def some_filters(chance: random.Random, v: dict[str, Any], most: int) -> dict[str, str]:
    """One to `most` filters, each with a real value."""
    params: dict[str, str] = {}
    for name in chance.sample(
        ["category", "outcome", "organisation", "dates", "has_remedy", "amount", "remedy"],
        chance.randint(1, most),
    ):
        if name == "category":
            params["category"] = chance.choice(v["categories"])
            if chance.random() < 0.4 and v["subcategories"].get(params["category"]):
                params["subcategory"] = chance.choice(v["subcategories"][params["category"]])
        elif name == "outcome":
            params["outcome"] = chance.choice(v["outcomes"])
        elif name == "organisation" and v["organisations"]:
            params["organisation"] = chance.choice(v["organisations"])
        elif name == "dates":
            start = chance.choice(v["years"])
            end = chance.choice([year for year in v["years"] if year >= start])
            params["date_from"], params["date_to"] = f"{start}-01-01", f"{end}-12-31"
        elif name == "has_remedy":
            params["has_remedy"] = "on"
        elif name == "amount":
            params["amount"] = str(chance.choice((100, 250, 500, 1000, 2000)))
        elif name == "remedy":
            params["remedy"] = chance.choice(v["remedies"])
    return params


def browse(chance: random.Random, v: dict[str, Any]) -> dict[str, str]:
    params = some_filters(chance, v, 3) if chance.random() < 0.8 else {}
    if chance.random() < 0.3:
        params["sort"] = chance.choice(SORTS)
    if chance.random() < 0.4 or not params:
        params["page"] = str(chance.randint(2, 50))
    return params


def search(chance: random.Random, v: dict[str, Any]) -> dict[str, str]:
    if chance.random() < 1 / 6 and v["phrases"]:
        text = f'"{chance.choice(v["phrases"])}"'
    else:
        # As often as each word is in decisions: common words are searched more.
        weights = [v["counts"][word] for word in v["words"]]
        text = " ".join(chance.choices(v["words"], weights, k=chance.randint(1, 3)))
    params = {"q": text}
    if chance.random() < 0.3:
        params |= some_filters(chance, v, 2)
    if chance.random() < 0.15:
        params["sort"] = "newest"
    if chance.random() < 0.15:
        params["page"] = str(chance.randint(2, 5))
    return params


def mixed_urls(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """`n` distinct (kind, list URL) pairs, browse and search alternating, shuffled."""
    v = values()
    if not v["words"]:
        raise RuntimeError("no words to search for: the database has no decisions' text")
    chance = random.Random(seed)
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    attempts = 0
    while len(found) < n:
        attempts += 1
        if attempts > n * 50:
            raise RuntimeError(f"only {len(found):,} distinct URLs from this database, not {n:,}")
        kind = "browse" if len(found) % 2 == 0 else "search"
        params = browse(chance, v) if kind == "browse" else search(chance, v)
        url = "/?" + urlencode(params)
        if url not in seen:
            seen.add(url)
            found.append((kind, url))
    chance.shuffle(found)
    return found
