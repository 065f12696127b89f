"""The search words marked in a decision's text: one path for the list's snippets and
the decision page's whole text.

PostgreSQL's ts_headline marks the words with private-use characters, removed from the
text first; after escaping, only those become <mark> tags, so nothing in a statement
can pass for markup. https://www.postgresql.org/docs/current/textsearch-controls.html
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypedDict

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.replicas import reading_connection
from decisions.models import Decision
from decisions.querysets import SEARCH_CONFIG, websearch_query

START, STOP = "\ue000", "\ue001"
# Words of one phrase ("blue badge") are marked one by one: join marks with only spaces
# between them into one match.
_ADJACENT_MARKS_RE = re.compile(f"{STOP}(\\s+){START}")
_MARK_RE = re.compile(f"{START}(.*?){STOP}", re.S)


class HeadlineOptions(TypedDict, total=False):
    """SearchHeadline's options, as this module uses them."""

    highlight_all: bool
    max_words: int
    min_words: int
    max_fragments: int
    fragment_delimiter: str


# A summary is short, so all of it is shown with every match marked (HighlightAll also
# keeps its text whole: fragments drop anything tag-like). A body is long, so two
# fragments around the matches, about two lines.
SUMMARY_HEADLINE: HeadlineOptions = {"highlight_all": True}
BODY_HEADLINE: HeadlineOptions = {
    "max_words": 35,
    "min_words": 15,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}
_WHOLE_TEXT_OPTIONS = f'HighlightAll=true, StartSel="{START}", StopSel="{STOP}"'


def unmarked(field: str) -> Replace:
    """The column's text without the marker characters (SQL)."""
    return Replace(Replace(F(field), Value(START), Value("")), Value(STOP), Value(""))


def headline(field: str, query: SearchQuery, options: HeadlineOptions) -> SearchHeadline:
    return SearchHeadline(
        unmarked(field), query, config=SEARCH_CONFIG, start_sel=START, stop_sel=STOP, **options
    )


def snippets(ids: list[int], text: str) -> dict[int, SafeString]:
    """{id: HTML snippet with <mark>ed matches} for the decisions `ids`, in one query.

    ts_headline re-parses the whole text, which is slow on long bodies, so it runs only
    for the rows on screen, and on the body only when the summary has no match
    (PostgreSQL evaluates only the CASE branch it takes).
    """
    if not ids:
        return {}
    query = websearch_query(text)
    rows = (
        Decision._base_manager.filter(pk__in=ids)
        .alias(summary_vector=SearchVector("summary", config=SEARCH_CONFIG))
        .annotate(
            snippet=Case(
                When(Q(summary_vector=query), then=headline("summary", query, SUMMARY_HEADLINE)),
                default=headline("body_text", query, BODY_HEADLINE),
            )
        )
        .values_list("pk", "snippet")
    )
    return {pk: as_html(snippet or "") for pk, snippet in rows}


def marked_texts(texts: list[str], text: str) -> list[str]:
    """Each of `texts` whole, with the words of the search `text` between START and STOP.
    One query, however many texts."""
    clean = [part.replace(START, "").replace(STOP, "") for part in texts]
    with reading_connection().cursor() as cursor:
        cursor.execute(
            "SELECT ts_headline(%s::regconfig, text, websearch_to_tsquery(%s::regconfig, %s), %s)"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t(text, n) ORDER BY n",
            [SEARCH_CONFIG, SEARCH_CONFIG, text, _WHOLE_TEXT_OPTIONS, clean],
        )
        return [row[0] for row in cursor.fetchall()]


def as_html(marked: str, mark: Callable[[str], str] | None = None) -> SafeString:
    """`marked` escaped, each marked word as <mark> tags, or as `mark(match_html)`
    when given: the decision page numbers its matches to step through them, and there
    the words of one phrase ("blue badge") are one match, not two."""
    joined = marked if mark is None else _ADJACENT_MARKS_RE.sub(r"\1", marked)
    wrap = mark or (lambda match: f"<mark>{match}</mark>")
    # Safe: the text is escaped first; only the markers, which escaping leaves alone and
    # the text cannot contain, become tags.
    return mark_safe(_MARK_RE.sub(lambda found: wrap(found.group(1)), str(escape(joined))))  # noqa: S308


class Numbered:
    """Marks as <mark id="match-N">, numbered in reading order across calls."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, match: str) -> str:
        self.count += 1
        return f'<mark id="match-{self.count}" tabindex="-1">{match}</mark>'
