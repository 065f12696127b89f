"""The search box's own grammar, read in Python: words, "phrases", OR and -exclusion,
the web-search syntax people already know (and PostgreSQL's websearch_to_tsquery read
before the search index took over). Pure: no Django, no engine.

The typed text is never handed to the engine's own query parser, where `x:`, `^`,
`[a TO b]` and `ref: 19 011 560` would mean something (a field, a boost, a range):
here every character is either a quote, a leading minus, the word OR, or part of a word.
Nothing can fail to parse, so no search ever answers with an error.

    council fault          both words
    "social worker"        the phrase
    bailiff OR enforcement either word (OR binds tighter than the spaces around it)
    care -home             care, and not home
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A quoted phrase (the closing quote optional: a phrase left open runs to the end), or
# a run of anything but white space and quotes.
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+?)(?=\s|"|$)')


@dataclass(frozen=True)
class Term:
    """One word or phrase as typed; `phrase` when it was quoted."""

    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Clause:
    """Terms of which at least one must match (one term unless joined by OR); a negated
    clause excludes what its terms match."""

    terms: tuple[Term, ...]
    negated: bool = False


@dataclass(frozen=True)
class ParsedSearch:
    """Every clause must hold: the positive ones match, the negated ones exclude."""

    clauses: tuple[Clause, ...]

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if not clause.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if clause.negated)

    def terms(self) -> list[Term]:
        """The positive terms, in the order typed: what is highlighted."""
        return [term for clause in self.positive for term in clause.terms]


def parse_search(text: str) -> ParsedSearch:
    """`text` read as the search box's grammar (see the module's docstring)."""
    items: list[tuple[Term, bool] | None] = []  # None stands for an OR between terms
    for match in _TOKEN_RE.finditer(text):
        minus, quoted, word = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            if quoted.strip():
                items.append((Term(" ".join(quoted.split()), phrase=True), bool(minus)))
            continue
        if word == "OR":
            items.append(None)
            continue
        negated = word.startswith("-") and len(word) > 1
        bare = word[1:] if negated else word
        if bare.strip("-"):
            items.append((Term(bare), negated))
    return ParsedSearch(tuple(_joined(items)))


def _joined(items: list[tuple[Term, bool] | None]) -> list[Clause]:
    """Terms joined by OR become one clause; an OR at either end, or two in a row, is
    taken as a word would be by a reader: ignored."""
    clauses: list[Clause] = []
    joining = False
    for item in items:
        if item is None:
            joining = bool(clauses) and not clauses[-1].negated
            continue
        term, negated = item
        if joining and not negated:
            last = clauses.pop()
            clauses.append(Clause((*last.terms, term)))
        else:
            clauses.append(Clause((term,), negated))
        joining = False
    return clauses
