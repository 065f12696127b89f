""" "Did you mean homelessness?": the archive's own word for a misspelt search word.

Only for a word the index has never seen (its stem is in no decision's summary or
body). The index's terms are stems ("homeless" for "homelessness"), which are no words
to offer a reader, so the stems close to the typed one (a fuzzy term query, one edit,
then two) only find the decisions that hold them; the word offered is read from those
decisions' own stored text: the word whose stem is that close stem, the nearest in
spelling to what was typed, then the most frequent. Offered only when the corrected
search would find decisions (DecisionSearch.suggested_words checks that).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import tantivy
from tantivy import Occur, Query

from decisions.search.documents import SCHEMA
from decisions.search.engine import tokens
from decisions.search_grammar import ParsedSearch

# The fields whose words are offered: the organisations' names (the title) are
# DecisionSearch.did_you_mean's.
FIELDS = ("summary", "body")
EDITS = (1, 2)
# The decisions whose text the readable word is taken from.
CANDIDATE_DOCUMENTS = 20
_WORD_RE = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Suggestion:
    """The search text with each misspelt word replaced, and the replacements."""

    text: str
    replaced: tuple[tuple[str, str], ...]


def edit_distance(first: str, second: str) -> int:
    """Levenshtein's distance: the insertions, deletions and substitutions between."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


@lru_cache(maxsize=65536)
def stem_of(word: str) -> str:
    found = tokens(word)
    return found[0][1] if len(found) == 1 else ""


def known(searcher: tantivy.Searcher, stem: str) -> bool:
    return any(searcher.doc_freq(field, stem) for field in FIELDS)


def closest_word(searcher: tantivy.Searcher, typed: str) -> str | None:
    """The archive's readable word closest to `typed`, a word it has never seen; None
    for a word it knows, a stop word, or nothing close enough."""
    stem = stem_of(typed)
    if not stem or known(searcher, stem):
        return None
    lowered = typed.lower()
    for edits in EDITS:
        query = Query.boolean_query(
            [(Occur.Should, Query.fuzzy_term_query(SCHEMA, f, stem, edits)) for f in FIELDS]
        )
        counted: Counter[str] = Counter()
        for _, address in searcher.search(query, CANDIDATE_DOCUMENTS).hits:
            document = searcher.doc(address)
            for field in FIELDS:
                for text in document.get_all(field):
                    counted.update(_WORD_RE.findall(str(text).lower()))
        ranked = []
        for word, frequency in counted.items():
            if abs(len(word) - len(lowered)) > 2 * edits + 2:
                continue  # too far to be the word; spares stemming most of a body's words
            word_stem = stem_of(word)
            if word_stem and word_stem != stem and edit_distance(word_stem, stem) <= edits:
                ranked.append((edit_distance(word, lowered), -frequency, word))
        if ranked:
            return min(ranked)[2]
    return None


def corrected(searcher: tantivy.Searcher, text: str, parsed: ParsedSearch) -> Suggestion | None:
    """`text` with each unseen single word of its positive terms replaced by the closest
    word of the archive; None when no word was replaced."""
    replaced = []
    for term in parsed.terms():
        if term.phrase or not _WORD_RE.fullmatch(term.text.lower()):
            continue
        word = closest_word(searcher, term.text)
        if word is not None:
            replaced.append((term.text, word))
    if not replaced:
        return None
    for typed, word in replaced:
        text = re.sub(rf"(?<!\S){re.escape(typed)}(?!\S)", word, text)
    return Suggestion(text, tuple(replaced))
