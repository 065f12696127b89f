"""The field's acronyms and what they stand for, searched both ways: `EHCP` finds the
decisions that write "education health and care plan" (or "EHC plan"), and the quoted
phrase finds those that write EHCP. The statements use either, often the long form once
and the acronym after, and the summaries often only one of them.

Applied to the search box's parsed words (decisions.search_grammar) before the engine's
query is built: a term that is an acronym gains its expansions as phrases, and a phrase
that is an expansion gains its acronym, as alternatives of the same clause (OR). The
page says so ("Also searching for ..."). Words are compared as the index stems them, so
"EHCPs" and "DFGs" are the acronyms too.

An acronym that is also a common word ("send") is only taken as the acronym when it is
typed in capitals (SEND).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from decisions.search.engine import tokens
from decisions.search_grammar import Clause, ParsedSearch, Term


@dataclass(frozen=True)
class Acronym:
    acronym: str  # as written: its capitals are what `only_in_capitals` checks
    expansions: tuple[str, ...]
    only_in_capitals: bool = False  # also an English word in lower case


ACRONYMS: tuple[Acronym, ...] = (
    # Education, health and care plan: a child's special educational provision.
    Acronym("EHCP", ("education health and care plan", "EHC plan")),
    # "EHC needs assessment", "EHC plan": the same words, shortened on their own.
    Acronym("EHC", ("education health and care",)),
    Acronym("SEN", ("special educational needs",)),
    Acronym("SEND", ("special educational needs and disabilities",), only_in_capitals=True),
    # Adaptations to a disabled person's home.
    Acronym("DFG", ("disabled facilities grant",)),
    # NHS continuing healthcare: care arranged and paid for by the NHS.
    Acronym("CHC", ("continuing healthcare", "continuing health care")),
    Acronym("DoLS", ("deprivation of liberty safeguards",)),
    # Parking and bus lane fines.
    Acronym("PCN", ("penalty charge notice",)),
    Acronym("HB", ("housing benefit",)),
    Acronym("CTR", ("council tax reduction",)),
    Acronym("DHP", ("discretionary housing payment",)),
    Acronym("ASB", ("anti-social behaviour", "antisocial behaviour")),
    # Who a council tells of an allegation against someone working with children.
    Acronym("LADO", ("local authority designated officer",)),
)


def stemmed(text: str) -> tuple[str, ...]:
    return tuple(word for _, word in tokens(text))


@cache
def by_stem() -> dict[str, Acronym]:
    return {stemmed(entry.acronym)[0]: entry for entry in ACRONYMS}


@cache
def by_expansion() -> dict[tuple[str, ...], Acronym]:
    return {stemmed(text): entry for entry in ACRONYMS for text in entry.expansions}


def acronym_of(term: Term) -> Acronym | None:
    """The acronym a typed word is, if any."""
    words = stemmed(term.text)
    if term.phrase or len(words) != 1:
        return None
    entry = by_stem().get(words[0])
    if entry is None or (entry.only_in_capitals and not term.text.isupper()):
        return None
    return entry


def alternatives(term: Term) -> list[Term]:
    """What `term` is also searched as: an acronym's expansions, an expansion's acronym."""
    entry = acronym_of(term)
    if entry is not None:
        return [Term(text, phrase=True) for text in entry.expansions]
    words = stemmed(term.text)
    entry = by_expansion().get(words) if len(words) > 1 else None
    if entry is None:
        return []
    others = [text for text in entry.expansions if stemmed(text) != words]
    return [Term(entry.acronym), *(Term(text, phrase=True) for text in others)]


def expanded(parsed: ParsedSearch) -> ParsedSearch:
    """`parsed` with each term's alternatives added to its clause (excluded clauses
    too: -EHCP excludes the long form as well)."""
    clauses = []
    for clause in parsed.clauses:
        terms = list(clause.terms)
        for term in clause.terms:
            terms += [extra for extra in alternatives(term) if extra not in terms]
        clauses.append(Clause(tuple(terms), clause.negated))
    return ParsedSearch(tuple(clauses))


def also_searching(parsed: ParsedSearch) -> list[str]:
    """What the page says: each added alternative, as typed in a search box."""
    said = []
    for term in parsed.terms():
        for extra in alternatives(term):
            said.append(f"“{extra.text}”" if extra.phrase else extra.text)
    return said
