"""The search index, as the read side sees it: one small interface (`SearchIndex`) over
Tantivy, in process. Past what one machine's index holds, an OpenSearch cluster would be
a second implementation of this interface, not a rewrite (docs/architecture.md).

Where the index lives: settings.SEARCH_INDEX_DIR holds `current`, a symbolic link to
the index folder in use, swapped atomically by a rebuild (decisions.search.syncing).
Each process opens the index after it starts (gunicorn preloads the app and forks:
an index opened before the fork is reopened in the child, by pid), and reloads it when
the writer has committed (the index's meta.json changed) or a rebuild was swapped in
(`current` points elsewhere). Both are a stat() per search, not a timer.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings

from decisions.search.documents import (
    ANALYSER,
    DOCUMENT,
    FIELD_BOOSTS,
    POSITION,
    SCHEMA,
    analyser,
)
from decisions.search_grammar import ParsedSearch, Term

logger = logging.getLogger("decisions.search")

Occur = tantivy.Occur
Query = tantivy.Query
ANALYSE = analyser()
REBUILD_HINT = "Build it with: python manage.py search_index rebuild"


class IndexUnavailable(Exception):
    """The search index is missing or cannot be read: the message says why."""


@dataclass(frozen=True)
class Hit:
    """One match: the decision's id, and where the engine keeps its document."""

    pk: int
    address: tantivy.DocAddress


def index_root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def current_link(root: Path | None = None) -> Path:
    return (root or index_root()) / "current"


def open_index(path: Path) -> tantivy.Index:
    """The index in `path` (made if absent), with our analyser registered: Tantivy
    keeps a custom analyser's name in the schema, not the analyser itself."""
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    index.register_tokenizer(ANALYSER, analyser())
    return index


class _Opened:
    """This process's reader of the current index."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pid = 0
        self.target = ""
        self.meta_version: tuple[int, int, int] = (0, 0, 0)
        self.index: tantivy.Index | None = None

    def searcher(self) -> tantivy.Searcher:
        link = current_link()
        try:
            target = os.readlink(link)
            # Tantivy writes meta.json anew (a rename) at every commit: a new inode, even
            # when two commits fall within one tick of the file system's clock.
            found = (link.parent / target / "meta.json").stat()
            meta = (found.st_ino, found.st_mtime_ns, found.st_size)
        except OSError as problem:
            raise IndexUnavailable(
                f"There is no search index at {link}. {REBUILD_HINT}"
            ) from problem
        with self.lock:
            try:
                if self.index is None or self.pid != os.getpid() or self.target != target:
                    self.index = open_index(link.parent / target)
                    self.pid, self.target, self.meta_version = os.getpid(), target, meta
                    logger.info("search index opened", extra={"index": target})
                elif meta != self.meta_version:
                    self.index.reload()
                    self.meta_version = meta
                return self.index.searcher()
            except ValueError as problem:  # Tantivy's errors: a corrupt or foreign index
                self.index = None
                raise IndexUnavailable(
                    f"The search index at {link} cannot be read ({problem}). {REBUILD_HINT}"
                ) from problem

    def forget(self) -> None:
        with self.lock:
            self.index, self.target = None, ""


OPENED = _Opened()


def searcher() -> tantivy.Searcher:
    """A searcher over the newest commit of the current index; IndexUnavailable if none."""
    return OPENED.searcher()


# --- queries --------------------------------------------------------------------------


def tokens(text: str) -> list[tuple[int, str]]:
    """`text` analysed as the index analyses it: (position, stemmed word) for each word
    that is not a stop word."""
    return [(token.position, token.text) for token in ANALYSE.pre_tokenize(text).tokens]


def stems(parsed: ParsedSearch) -> set[str]:
    """The stemmed words the search's positive terms match: what is highlighted."""
    return {word for term in parsed.terms() for _, word in tokens(term.text)}


def term_query(term: Term) -> Query | None:
    """One typed word or phrase in every text field, each field weighted (FIELD_BOOSTS);
    None when it is only stop words or punctuation. A word the analyser splits
    ("care-home", "s.42") is searched as the phrase of its parts, as PostgreSQL did."""
    words = tokens(term.text)
    if not words:
        return None
    first = words[0][0]
    per_field = []
    for field, boost in FIELD_BOOSTS.items():
        if len(words) == 1:
            query = Query.term_query(SCHEMA, field, words[0][1])
        else:
            query = Query.phrase_query(
                SCHEMA, field, [(position - first, word) for position, word in words]
            )
        per_field.append((Occur.Should, Query.boost_query(query, boost)))
    return Query.boolean_query(per_field)


def text_query(parsed: ParsedSearch) -> Query | None:
    """The search box's grammar as the engine's query: every clause must hold (a clause
    of terms joined by OR, any of them), negated clauses must not. None when nothing in
    it can match (only stop words, or only exclusions)."""
    must: list[tuple[Occur, Query]] = []
    must_not: list[tuple[Occur, Query]] = []
    for clause in parsed.clauses:
        alternatives = [q for q in (term_query(term) for term in clause.terms) if q is not None]
        if not alternatives:
            continue
        either = (
            alternatives[0]
            if len(alternatives) == 1
            else Query.boolean_query([(Occur.Should, q) for q in alternatives])
        )
        (must_not if clause.negated else must).append(
            (Occur.MustNot if clause.negated else Occur.Must, either)
        )
    if not must:
        return None
    return Query.boolean_query(must + must_not)


def documents() -> Query:
    """Every decision's document (not the position's)."""
    return Query.term_query(SCHEMA, "kind", DOCUMENT)


def term(field: str, value: int | str) -> Query:
    return Query.term_query(SCHEMA, field, value)


def any_of(field: str, values: Sequence[int | str]) -> Query:
    return Query.term_set_query(SCHEMA, field, list(values))


def between(field: str, least: int | None = None, most: int | None = None) -> Query:
    """`field` from `least` to `most`, both included (either open)."""
    kind = (
        tantivy.FieldType.Integer if field in ("day", "entered_at") else tantivy.FieldType.Unsigned
    )
    return Query.range_query(SCHEMA, field, kind, least, most, use_inverted_index=False)


def combined(text: Query | None, filters: Iterable[Query]) -> Query:
    """The text query (scored) and the filters (not scored) together."""
    parts: list[tuple[Occur, Query]] = [(Occur.Must, Query.const_score_query(documents(), 0.0))]
    if text is not None:
        parts.append((Occur.Must, text))
    parts += [(Occur.Must, Query.const_score_query(f, 0.0)) for f in filters]
    return Query.boolean_query(parts)


# --- reading --------------------------------------------------------------------------


def count(found: tantivy.Searcher, query: Query) -> int:
    # A limit of 1: Tantivy's top-docs collector refuses 0; the count is exact either way.
    result: int = found.search(query, 1, count=True).count  # type: ignore[attr-defined]
    return result


def ids_of(found: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[int]:
    return [int(pk) for pk in found.fast_field_values("id", addresses)]  # type: ignore[arg-type]


def hits(found: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[Hit]:
    return [
        Hit(pk, address) for pk, address in zip(ids_of(found, addresses), addresses, strict=True)
    ]


def by_key(
    found: tantivy.Searcher, query: Query, key: str, descending: bool, offset: int, limit: int
) -> list[Hit]:
    """Positions offset..offset+limit of the matches in the order of one fast field
    whose values are unique (the packed date-and-id keys), so the order is exact."""
    if limit <= 0:
        return []
    order = tantivy.Order.Desc if descending else tantivy.Order.Asc
    result = found.search(query, limit, count=False, order_by_field=key, offset=offset, order=order)
    return hits(found, [address for _, address in result.hits])


def ranked(found: tantivy.Searcher, query: Query, offset: int, limit: int) -> list[Hit]:
    """Positions offset..offset+limit of the matches best first (BM25), equal scores in
    the list's order (newest first, then id), the same on every door and after any
    merge of segments: Tantivy alone breaks ties by where a document happens to lie.
    The top is fetched until the score at its end is passed, so a tie that spans the
    page's edge is ordered whole."""
    need = offset + limit
    if limit <= 0:
        return []
    wanted = need + 1
    while True:
        scored = found.search(query, wanted, count=False).hits
        complete = len(scored) < wanted
        if complete or scored[-1][0] != scored[need - 1][0]:
            break
        wanted *= 4
    addresses = [address for _, address in scored]
    keys = found.fast_field_values("newest_key", addresses)
    order = sorted(
        zip(scored, keys, strict=True), key=lambda pair: (-pair[0][0], -int(pair[1] or 0))
    )
    return hits(found, [address for (_, address), _ in order[offset:need]])


def largest_first(found: tantivy.Searcher, query: Query, offset: int, limit: int) -> list[Hit]:
    """Positions offset..offset+limit by payment, largest first, then the list order.
    The matches paid more than the page's last one are all in the top `need` and are
    ordered in full; those paid the same as it are read in the list order apart."""
    need = offset + limit
    if limit <= 0:
        return []
    top = found.search(query, need, count=False, order_by_field="payment_pence").hits
    if not top:
        return []
    last = int(top[-1][0])
    above = [address for value, address in top if int(value) > last]
    keys = found.fast_field_values("newest_key", above)
    values = found.fast_field_values("payment_pence", above)
    above = [
        address
        for _, _, address in sorted(
            zip(values, keys, above, strict=True), key=lambda t: (-int(t[0] or 0), -int(t[1] or 0))
        )
    ]
    page = above[offset:need]
    tied_query = Query.boolean_query(
        [(Occur.Must, query), (Occur.Must, between("payment_pence", last, last))]
    )
    skip = max(0, offset - len(above))
    tied = by_key(found, tied_query, "newest_key", True, skip, need - len(above) - skip)
    return hits(found, page) + tied


def position(found: tantivy.Searcher) -> str | None:
    """The change-log position the index reflects (decisions.search.syncing)."""
    result = found.search(term("kind", POSITION), 1, count=False).hits
    if not result:
        return None
    value = found.doc(result[0][1]).get_first("position")
    return str(value) if value is not None else None


def aggregate(found: tantivy.Searcher, query: Query, spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = found.aggregate(query, spec)
    return result
