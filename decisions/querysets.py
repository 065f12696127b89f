"""The query vocabulary of the models: chainable querysets every read starts from.

`models.py` attaches these as managers; nothing here imports the models, so the search
code (decisions.search) builds on them and the models never import it.

Search words are the search index's (decisions.search), not PostgreSQL's.
Organisation names use pg_trgm (https://www.postgresql.org/docs/current/pgtrgm.html):
ILIKE for any part of a name and word similarity for small misspellings, both served
by the trigram GIN index `organisation_name_trgm`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections, models
from django.db.models import F, OrderBy

from decisions.parsing.references import find_references, without_references

if TYPE_CHECKING:
    from decisions.models import Organisation

# The list order, defined once: newest first, undated decisions last (their date is
# unknown, not old), then the latest imported. The default list, the model's ordering,
# the indexes that serve it and every tie-break of a ranked search use it.
NEWEST_FIRST: tuple[OrderBy, ...] = (
    F("decision_date").desc(nulls_last=True),
    F("id").desc(),
)
# Oldest first; undated decisions still last.
OLDEST_FIRST: tuple[OrderBy, ...] = (
    F("decision_date").asc(nulls_last=True),
    F("id").asc(),
)

# What a remedy search sorts by: the largest payment first, then the list order.
LARGEST_PAYMENT_FIRST: tuple[OrderBy, ...] = (F("remedy_total").desc(), *NEWEST_FIRST)

# pg_trgm's word_similarity ranges 0..1. 0.6 (pg_trgm's own default for the %> operator)
# lets "Norfok" find "Norfolk County Council" (0.71), while "no-such-council" (0.5, for
# the word "council" alone) finds nothing.
NAME_SIMILARITY = 0.6


def words_of(text: str) -> str:
    """The search text without its case references: what is matched as words."""
    return without_references(text)


class DecisionQuerySet(models.QuerySet):
    def published(self) -> DecisionQuerySet:
        """What the public may see: every decision not withdrawn in the admin. Every public
        list, search, count, facet and page starts here."""
        return self.filter(withdrawn_at__isnull=True)

    def for_listing(self) -> DecisionQuerySet:
        """Only what a list row shows, with its related names in the same query."""
        return self.select_related("organisation", "category__parent").defer(
            "sections", "body_text", "remedies", "other_bodies", "legislation"
        )

    def newest_first(self) -> DecisionQuerySet:
        return self.order_by(*NEWEST_FIRST)

    def oldest_first(self) -> DecisionQuerySet:
        return self.order_by(*OLDEST_FIRST)

    def sorted_by(self, sort: str) -> DecisionQuerySet:
        """In the order named `sort`: "newest", "oldest", "largest" (payment), or
        "relevance", which keeps search()'s own order."""
        if sort == "newest":
            return self.newest_first()
        if sort == "oldest":
            return self.oldest_first()
        if sort == "largest":
            return self.order_by(*LARGEST_PAYMENT_FIRST)
        return self

    def with_references_of(self, text: str) -> DecisionQuerySet:
        """For a text of case references alone ("19 011 560"), their decisions; any other
        text is words, which only the search index matches (decisions.search)."""
        references = find_references(text)
        if references and not words_of(text):
            return self.filter(reference__in=references)
        return self


class OrganisationQuerySet(models.QuerySet):
    def named(self, text: str) -> OrganisationQuerySet:
        """The organisation whose name or slug is exactly `text` (any case)."""
        return self.filter(models.Q(slug=text) | models.Q(name__iexact=text))

    def containing(self, text: str) -> OrganisationQuerySet:
        """Organisations whose name contains `text`, by name."""
        return self.filter(name__icontains=text).order_by("name")

    def similar_to(self, text: str) -> OrganisationQuerySet:
        """Organisations with a name word close to `text`, most similar first: the
        did-you-mean for a misspelt name ("Norfok")."""
        # The %> operator can use the trigram index; the annotation orders the few it finds.
        return (
            self.annotate(similarity=TrigramWordSimilarity(text, "name"))
            .filter(name__trigram_word_similar=text, similarity__gte=NAME_SIMILARITY)
            .order_by("-similarity", "name")
        )

    def like(self, text: str, limit: int = 10) -> list[Organisation]:
        """Organisations whose name contains `text`, else whose name is close to it;
        best first, at most `limit`."""
        text = normalised(text)
        if not text:
            return []
        return list(self.containing(text)[:limit]) or self.close_to(text, limit)

    def close_to(self, text: str, limit: int = 5) -> list[Organisation]:
        """Organisations whose name is close to `text`: a near spelling of the whole
        name (trigrams), or of one of its own words ("Leicster", "Lester")."""
        text = normalised(text)
        if len(text) < 3:
            return []
        found = {org.pk: org for org in self.similar_to(text)[:limit]}
        for match in self.with_words_of(text)[:limit]:
            found.setdefault(match.organisation.pk, match.organisation)
        return list(found.values())[:limit]

    def with_words_of(self, text: str) -> list[NameMatch]:
        """Organisations a word of `text` names: the same word as one of the name's own
        (not "council", "county"...), its start ("leic"), or a near spelling of it.
        Best first: more words matched, then closer. For the search box, where a name
        comes among other words ("norfolk school transport")."""
        typed = distinctive_words(text)[:MAX_NAME_WORDS]
        if not typed:
            return []
        # The database the router chose for this queryset: a replica, or the primary.
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                _NAME_WORDS_SQL,
                {"typed": typed, "generic": sorted(GENERIC_NAME_WORDS)},
            )
            rows = cursor.fetchall()
        matched: dict[int, dict[str, int]] = {}
        for pk, word, closeness in rows:
            matched.setdefault(pk, {})[word] = closeness
        organisations = self.in_bulk(list(matched))
        found = [
            NameMatch(organisations[pk], tuple(sorted(words)), sum(words.values()))
            for pk, words in matched.items()
            if pk in organisations
        ]
        # "north norfolk" puts North Norfolk before Norfolk: the typed words the name
        # also has, "north" included, count after the distinctive ones.
        all_typed = set(re.findall(r"[a-z]+", text.lower()))

        def shared(match: NameMatch) -> int:
            return len(all_typed & set(re.findall(r"[a-z]+", match.organisation.name.lower())))

        return sorted(
            found,
            key=lambda m: (-len(m.words), m.closeness, -shared(m), m.organisation.name),
        )


@dataclass(frozen=True)
class NameMatch:
    """An organisation some typed words name: which words, and how closely (0 for the
    same word, 1 for its start, 2 for a near spelling, summed over the words)."""

    organisation: Organisation
    words: tuple[str, ...]
    closeness: int


def distinctive_words(text: str) -> list[str]:
    """The words of `text` that could name an organisation: letters only, lower case,
    three or more of them, not a word every council has."""
    words = (word for word in re.findall(r"[a-z]+", text.lower()) if len(word) >= 3)
    return list(dict.fromkeys(word for word in words if word not in GENERIC_NAME_WORDS))


# Words that name no organisation in particular: a typed "council" must not offer every
# council, and the name words compared are the rest ("norfolk", "redbridge").
GENERIC_NAME_WORDS = frozenset(
    [
        "and",
        "authority",
        "borough",
        "care",
        "central",
        "city",
        "combined",
        "council",
        "county",
        "district",
        "east",
        "for",
        "great",
        "high",
        "limited",
        "london",
        "ltd",
        "metropolitan",
        "mid",
        "new",
        "north",
        "royal",
        "services",
        "south",
        "the",
        "upon",
        "west",
    ]
)
MAX_NAME_WORDS = 6

# One pass over the organisations' name words (about three each: a few thousand at most,
# each compared with a handful of typed words). A typed word names a name word when it is
# the same; its start (five letters or more: "leice"); within an edit distance that
# grows with its length (1 for 5-7 letters, 2 for more: "norfok", "glouster"); or its
# letters in order, for a spelling by ear ("lester" in "leicester"), at least two thirds
# as long. A misspelling keeps the first letter, so a fuzzy match must too: "mother" is
# not "Rother", "parking" not "Barking". Shorter words must be exact ("hart", "bath").
# https://www.postgresql.org/docs/current/fuzzystrmatch.html
_NAME_WORDS_SQL = """
SELECT o.id, t.word,
       MIN(CASE WHEN n.word = t.word THEN 0 WHEN n.word LIKE t.word || '%%' THEN 1 ELSE 2 END)
FROM decisions_organisation o
CROSS JOIN LATERAL regexp_split_to_table(lower(o.name), '[^a-z]+') AS n(word)
JOIN unnest(%(typed)s::text[]) AS t(word) ON
       n.word = t.word
    OR (length(t.word) >= 5 AND n.word LIKE t.word || '%%')
    OR (length(t.word) >= 5 AND left(n.word, 1) = left(t.word, 1)
        AND levenshtein_less_equal(n.word, t.word, 2)
            <= CASE WHEN length(t.word) >= 8 THEN 2 ELSE 1 END)
    OR (length(t.word) >= 5 AND length(t.word) * 3 >= length(n.word) * 2
        AND n.word LIKE rtrim(regexp_replace(t.word, '(.)', '\\1%%', 'g'), '%%'))
WHERE n.word <> '' AND n.word <> ALL(%(generic)s::text[])
GROUP BY o.id, t.word
"""


def normalised(text: str) -> str:
    """`text` with its runs of white space made single spaces, trimmed."""
    return " ".join(text.split())
