"""Keeping the search index in step with PostgreSQL, losing nothing.

PostgreSQL is the record; the index is derived from it and can be rebuilt from it at any
time. Every change to a decision, however it is made (an import, the admin, a
withdrawal, a re-parse, the harvester, SQL by hand, a deletion), is logged by triggers
in the change's own transaction (migration 0019: `decisions_searchchange`, one row per
decision changed, with the transaction's id). A log row outlives its decision, so a
deletion reaches the index too.

The index records the point of the log it reflects as a PostgreSQL snapshot
(`pg_current_snapshot()`), in a document committed with the documents themselves. The
changes still to apply are those whose transaction that snapshot did not see, and the
newest snapshot does (`pg_visible_in_snapshot`). Sequence numbers are not commit order
(a transaction that took id 10 may commit after one that took id 11); a snapshot says
exactly which transactions had committed, so a late commit is never skipped.
https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-PG-SNAPSHOT

One writer per machine: `manage.py search_index run` (decisions/management/commands/
search_index.py) holds `writer.lock` while it applies a batch. A rebuild builds a fresh
index beside the live one from one snapshot, then takes the lock, catches up on what
changed meanwhile and swaps `current` to it in one rename, while searches go on.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fasteners
import tantivy
from django.conf import settings
from django.db import connection, transaction

from decisions.search import engine
from decisions.search.documents import (
    POSITION,
    DecisionRow,
    document_for,
    position_document,
    row_hash,
)

logger = logging.getLogger("decisions.search")

ROWS_SQL = """
SELECT d.id, d.reference, d.organisation_id, coalesce(o.name, ''), d.category_id,
       coalesce(c.name, ''), c.parent_id, coalesce(p.name, ''), d.outcome, d.decision_date,
       d.summary, d.body_text, d.remedies, d.remedy_total, d.legislation, d.truncated,
       d.created_at, s.gone_since IS NOT NULL
FROM decisions_decision d
LEFT JOIN decisions_organisation o ON o.id = d.organisation_id
LEFT JOIN decisions_category c ON c.id = d.category_id
LEFT JOIN decisions_category p ON p.id = c.parent_id
LEFT JOIN decisions_sourcepage s ON s.decision_id = d.id
WHERE d.withdrawn_at IS NULL
"""
# The decisions changed in transactions the index's snapshot did not see and the current
# one does (or this very transaction: a test's own changes, uncommitted).
CHANGED_SQL = """
SELECT DISTINCT decision_id FROM decisions_searchchange
WHERE txid >= pg_snapshot_xmin(%(seen)s::pg_snapshot)
  AND NOT pg_visible_in_snapshot(txid, %(seen)s::pg_snapshot)
  AND (pg_visible_in_snapshot(txid, %(now)s::pg_snapshot)
       OR (txid = pg_current_xact_id_if_assigned() AND id > %(own_after)s))
"""
# The caller's own transaction, if it has written: its id and its last change's.
OWN_SQL = """
SELECT pg_current_xact_id_if_assigned()::text, coalesce(max(id), 0)
FROM decisions_searchchange WHERE txid = pg_current_xact_id_if_assigned()
"""
PENDING_SQL = """
SELECT count(DISTINCT decision_id), min(changed_at) FROM decisions_searchchange
WHERE txid >= pg_snapshot_xmin(%(seen)s::pg_snapshot)
  AND NOT pg_visible_in_snapshot(txid, %(seen)s::pg_snapshot)
"""
BATCH = 1000
WRITER_HEAP = 64_000_000


def as_row(values: tuple[Any, ...]) -> DecisionRow:
    """A row of ROWS_SQL; JSON columns arrive as text through Django's connection."""
    fields = list(values)
    for index in (12, 14):  # remedies, legislation
        if isinstance(fields[index], str):
            fields[index] = json.loads(fields[index])
    return DecisionRow(*fields)


# --- where things are ---------------------------------------------------------------


@contextmanager
def writer_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """The one writer per machine: held while a batch is applied or a rebuild swapped."""
    root.mkdir(parents=True, exist_ok=True)
    lock = fasteners.InterProcessLock(str(root / "writer.lock"))
    if not lock.acquire(timeout=timeout):
        raise TimeoutError(f"another process holds {root / 'writer.lock'}")
    try:
        yield
    finally:
        lock.release()


def current_path(root: Path) -> Path | None:
    link = engine.current_link(root)
    try:
        return root / os.readlink(link)
    except OSError:
        return None


def swap_in(root: Path, folder: Path) -> None:
    """Point `current` at `folder` in one rename (atomic on POSIX), then remove the
    folders no longer current: readers holding one keep their open files."""
    temporary = root / f".current-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(folder.name)
    os.replace(temporary, engine.current_link(root))
    for other in root.glob("index-*"):
        if other.name != folder.name:
            shutil.rmtree(other, ignore_errors=True)


def new_folder(root: Path) -> Path:
    return root / f"index-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"


# --- PostgreSQL's side ---------------------------------------------------------------


def snapshot() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return str(cursor.fetchone()[0])


def rows(ids: list[int] | None) -> Iterator[DecisionRow]:
    """The published decisions `ids` (every one when None), streamed."""
    sql, params = ROWS_SQL, []
    if ids is not None:
        sql += " AND d.id = ANY(%s)"
        params = [ids]
    # A server-side cursor: a million rows are read a chunk at a time.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(BATCH):
            yield from (as_row(values) for values in chunk)


def changed_since(seen: str, now: str, own_after: int = 0) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(CHANGED_SQL, {"seen": seen, "now": now, "own_after": own_after})
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class OwnChanges:
    """The changes of the caller's own transaction, when a catch-up runs inside one (a
    test's). No snapshot ever counts them as seen, since the transaction has not
    committed, so a catch-up applies them itself; this says which were applied to an
    index already, so that the next catch-up in the same transaction applies only the
    newer ones (change ids grow within a transaction), not all of them again."""

    txid: str | None
    last: int


# The own changes applied so far, by index folder: one transaction's at a time.
_own_applied: dict[str, OwnChanges] = {}


def own_changes() -> OwnChanges:
    with connection.cursor() as cursor:
        cursor.execute(OWN_SQL)
        txid, last = cursor.fetchone()
    return OwnChanges(txid, last)


def own_applied(folder: Path, own: OwnChanges) -> int:
    """The last of the transaction's own changes already in the index at `folder`."""
    known = _own_applied.get(str(folder))
    return known.last if own.txid is not None and known and known.txid == own.txid else 0


def remember_own(folder: Path, own: OwnChanges) -> None:
    if own.txid is None:
        _own_applied.pop(str(folder), None)
    else:
        _own_applied[str(folder)] = own


# --- the index's side ----------------------------------------------------------------


def indexed_position(index: tantivy.Index) -> str | None:
    index.reload()
    return engine.position(index.searcher())


@dataclass(frozen=True)
class Applied:
    changed: int  # decisions whose documents were replaced or removed
    position: str


def apply(index: tantivy.Index, seen: str, own_after: int = 0) -> Applied:
    """The changes PostgreSQL committed since `seen` (and the caller's own transaction's
    after change `own_after`), into `index`, with the new position, in one commit. Run
    under the writer lock."""
    now = snapshot()
    changed = changed_since(seen, now, own_after)
    if not changed and now == seen:
        return Applied(0, seen)
    writer = index.writer(WRITER_HEAP, 1)
    for start in range(0, len(changed), BATCH):
        ids = changed[start : start + BATCH]
        # By query: Tantivy's delete by term takes a Python int as a signed term, which
        # never equals an unsigned field's.
        writer.delete_documents_by_query(engine.any_of("id", ids))
        for row in rows(ids):
            writer.add_document(document_for(row))
    writer.delete_documents_by_query(engine.term("kind", POSITION))
    writer.add_document(position_document(now))
    writer.commit()
    writer.wait_merging_threads()
    return Applied(len(changed), now)


def load_all(index: tantivy.Index, threads: int = 0) -> Applied:
    """Every published decision into an empty `index`, from one snapshot of PostgreSQL,
    with that snapshot as its position."""
    writer = index.writer(WRITER_HEAP * 2, threads)
    with consistent_read():
        now = snapshot()
        loaded = 0
        for row in rows(None):
            writer.add_document(document_for(row))
            loaded += 1
    writer.add_document(position_document(now))
    writer.commit()
    writer.wait_merging_threads()
    return Applied(loaded, now)


@contextmanager
def consistent_read() -> Iterator[None]:
    """One snapshot for the position and every row read after it (REPEATABLE READ),
    in a transaction of its own; inside a caller's transaction (a test's), that one."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


# --- what the commands and the tests call ---------------------------------------------


def catch_up(root: Path | None = None, timeout: float | None = None) -> Applied:
    """Bring this machine's index up to date with PostgreSQL: build it if there is none,
    else apply what changed. What `search_index run` does every poll, and what a test
    calls to see its own writes (tests run in transactions no other process sees)."""
    root = root or engine.index_root()
    with writer_lock(root, timeout):
        folder = current_path(root)
        own = own_changes()  # none outside a transaction: the writer's case
        if folder is None or not (folder / "meta.json").exists():
            folder = new_folder(root)
            applied = load_all(engine.open_index(folder))
            swap_in(root, folder)
            remember_own(folder, own)
            return applied
        index = engine.open_index(folder)
        seen = indexed_position(index)
        if seen is None:  # an index without a position cannot be trusted: rebuild it
            raise engine.IndexUnavailable(f"The search index at {folder} has no position.")
        applied = apply(index, seen, own_applied(folder, own))
        remember_own(folder, own)
        return applied


def rebuild(root: Path | None = None, threads: int = 0) -> Applied:
    """A fresh index beside the live one, swapped in atomically once it has caught up."""
    root = root or engine.index_root()
    folder = new_folder(root)
    started = time.monotonic()
    loaded = load_all(engine.open_index(folder), threads)
    logger.info(
        "search index built",
        extra={"decisions": loaded.changed, "seconds": round(time.monotonic() - started, 1)},
    )
    with writer_lock(root):
        index = engine.open_index(folder)
        caught = apply(index, loaded.position)
        swap_in(root, folder)
    return Applied(loaded.changed + caught.changed, caught.position)


def prune(days: int | None = None) -> int:
    """Forget log rows older than SEARCH_CHANGES_KEEP_DAYS: an index further behind than
    that must be rebuilt (`lag` says so)."""
    keep = days if days is not None else settings.SEARCH_CHANGES_KEEP_DAYS
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM decisions_searchchange WHERE changed_at < now() - make_interval(days => %s)",
            [keep],
        )
        return cursor.rowcount


@dataclass(frozen=True)
class Lag:
    """How far the index trails PostgreSQL."""

    pending: int  # decisions changed in PostgreSQL and not yet in the index
    seconds: float  # since the oldest of those changes (0 when none)


def lag() -> Lag:
    """The index's lag behind PostgreSQL; IndexUnavailable when there is no index."""
    seen = engine.position(engine.searcher())
    if seen is None:
        raise engine.IndexUnavailable("The search index has no position.")
    with connection.cursor() as cursor:
        cursor.execute(PENDING_SQL, {"seen": seen})
        pending, oldest = cursor.fetchone()
        cursor.execute("SELECT now()")
        now = cursor.fetchone()[0]
    seconds = (now - oldest).total_seconds() if pending and oldest else 0.0
    return Lag(int(pending), max(0.0, seconds))


@dataclass(frozen=True)
class Difference:
    missing: list[int]  # published in PostgreSQL, not in the index
    extra: list[int]  # in the index, not published in PostgreSQL
    stale: list[int]  # in both, with different content

    @property
    def none(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def compare() -> Difference:
    """The index against PostgreSQL: ids and content hashes of every decision."""
    found = engine.searcher()
    total = max(found.num_docs, 1)
    result = found.search(engine.documents(), total, count=False, order_by_field="newest_key")
    indexed: dict[int, str] = {}
    for _, address in result.hits:
        doc = found.doc(address)
        indexed[int(doc.get_first("id") or 0)] = str(doc.get_first("content_hash"))
    published = {row.id: row_hash(row) for row in rows(None)}
    return Difference(
        missing=sorted(set(published) - set(indexed)),
        extra=sorted(set(indexed) - set(published)),
        stale=sorted(pk for pk in set(published) & set(indexed) if published[pk] != indexed[pk]),
    )


def in_step_for_tests(root: Path | None = None) -> None:
    """catch_up(), when settings.SEARCH_INDEX_CATCH_UP_ON_READ (the test settings): a
    search then sees the writes of the test's own transaction."""
    if settings.SEARCH_INDEX_CATCH_UP_ON_READ:
        catch_up(root)
