"""Writing parsed decisions: one transaction a batch, as decided for each record
(decisions.importing.classifying, which the dry run shares).

The rules a write keeps (README, "Importing"):
- idempotence: an unchanged page (same content hash) writes nothing;
- curation: a staff correction survives a re-import of the same page;
- the loss rule (decisions.importing.losses): an update that would lose information is held;
- provenance: every source is kept as a capture of its decision (decisions.importing.captures);
- no poisoning: ids of organisations and categories created in a batch are kept only
  once the batch commits, so a rolled-back batch leaves nothing stale behind;
- honest counts under concurrency: a batch takes a transaction-scoped advisory lock
  on each of its references (in sorted order, so two runs never deadlock) before it
  reads what is stored, so two runs importing the same files report each change once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.utils import timezone
from django.utils.text import slugify

from config.postgresql import bounded_transaction
from decisions.importing.bulk_insert import bulk_insert
from decisions.importing.captures import captures_for
from decisions.importing.classifying import InDatabase, classify
from decisions.importing.results import FAILED, VALID, RecordResult
from decisions.models import Category, Decision, ImportRun, Organisation
from decisions.parsing import ParsedDecision
from decisions.records import PUBLISHED, stored_fields

# The look-up rows an import creates on the way to a decision.
RowModel = TypeVar("RowModel", Organisation, Category)

# The first key of pg_advisory_xact_lock(int, int): the import's own lock space.
REFERENCE_LOCK_SPACE = 7_001


class DatabaseUnavailable(Exception):
    """The database could not take a batch at all (the connection was lost, the server
    restarted or froze, a lock or statement timed out): the batch is rolled back and
    the run stops, saying so; running it again completes it. Not a fault of any record,
    so nothing is retried record by record."""


class DecisionWriter:
    """Upserts parsed decisions in batches, caching organisation and category ids."""

    def __init__(
        self,
        run: ImportRun,
        source_of: Callable[[RecordResult], str] | None = None,
    ) -> None:
        self.run = run
        self.organisation_ids: dict[str, int] = {}
        self.category_ids: dict[tuple[str, str], int] = {}
        # Ids created inside the batch being written: kept only if it commits.
        self._new_organisations: dict[str, int] = {}
        self._new_categories: dict[tuple[str, str], int] = {}
        self.source_of = source_of or (lambda result: result.source)

    def write(self, results: list[RecordResult]) -> None:
        """Write the valid results of one batch; set each one's status.

        Raises DatabaseUnavailable when the connection is lost: every later batch would
        fail too, and the run must stop, saying so, rather than fail each record.
        """
        valid = [r for r in results if r.status == VALID]
        if not valid:
            return
        try:
            self._write_atomically(valid)
        except Exception as error:
            self._check_connection(error)
            # Something in the batch is unwritable: retry one by one, so only it fails.
            for result in valid:
                result.status, result.held, result.note = VALID, False, ""
                try:
                    self._write_atomically([result])
                except Exception as error:
                    self._check_connection(error)
                    result.status = FAILED
                    result.error = f"could not be saved: {error}".strip()

    def _write_atomically(self, results: list[RecordResult]) -> None:
        self._new_organisations, self._new_categories = {}, {}
        try:
            # A lock held elsewhere, or a frozen server, fails the batch in bounded time.
            with bounded_transaction(
                statement_timeout_ms=settings.DB_BATCH_STATEMENT_TIMEOUT_MS,
                lock_timeout_ms=settings.DB_BATCH_LOCK_TIMEOUT_MS,
            ):
                self._write_batch(results)
        except BaseException:
            self._new_organisations, self._new_categories = {}, {}
            raise
        self.organisation_ids.update(self._new_organisations)
        self.category_ids.update(self._new_categories)
        self._new_organisations, self._new_categories = {}, {}

    @staticmethod
    def _check_connection(error: Exception) -> None:
        """Raise DatabaseUnavailable for a failure of the database, not of the data.

        OperationalError is PostgreSQL's class for those (a lost connection, a server
        shutting down, a lock or statement timeout); data errors (DataError,
        IntegrityError) are a record's own and are retried one record at a time.
        """
        if isinstance(error, OperationalError | InterfaceError) or (
            isinstance(error, DatabaseError) and not connection.is_usable()
        ):
            if not connection.is_usable():
                connection.close()  # the next use reconnects (a re-run, the next request)
            reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            raise DatabaseUnavailable(f"the database did not take the batch: {reason}") from error

    def _write_batch(self, results: list[RecordResult]) -> None:
        lock_references(sorted({r.parsed.reference for r in results if r.parsed}))
        plan = classify(results, InDatabase())
        plan.record()
        refresh_source = [
            Decision(pk=state.pk, source_hash=digest)
            for _, state, digest in plan.source_refreshes()
        ]
        if refresh_source:
            Decision.objects.bulk_update(refresh_source, ["source_hash"])
        if held := [state.pk for state in plan.holds()]:
            Decision.objects.filter(pk__in=held).update(needs_review=True)
        to_write = [
            self._build(result, replaced_curation=state is not None and state.curated)
            for result, state in plan.writes()
        ]
        if to_write:
            # ON CONFLICT DO UPDATE: two imports of the same files at once end with
            # one row per reference, whichever commits last.
            # (decisions.importing.bulk_insert: bulk_create's statement, bound server-side.)
            bulk_insert(to_write, unique_fields=["reference"], update_fields=UPSERT_FIELDS)
        captures_for(results, self.run)

    def _build(self, result: RecordResult, *, replaced_curation: bool = False) -> Decision:
        parsed = result.parsed
        assert parsed is not None
        now = timezone.now()
        decision = Decision(
            **stored_fields(parsed),
            organisation_id=self.organisation_id(parsed.organisation),
            category_id=self.category_id(parsed),
            # A replaced correction may still have been right: a person should compare.
            needs_review=needs_review(parsed) or replaced_curation,
            source=self.source_of(result)[:1000],
            content_hash=result.content_hash,
            source_hash=result.source_hash,
            curated_at=None,
            curated_fields=[],
            created_at=now,
            updated_at=now,
        )
        if result.restored is not None:
            # A record of the archive's own dump: its corrections, flags and withdrawal.
            # A withdrawal is set only on a decision this creates (it is not in
            # UPSERT_FIELDS), so a dump never brings a withdrawn decision back.
            for name, value in result.restored.fields.items():
                setattr(decision, name, value)
        return decision

    def organisation_id(self, name: str | None) -> int | None:
        if not name:
            return None
        known = self.organisation_ids.get(name) or self._new_organisations.get(name)
        if known is None:
            organisation = get_or_create_race_safe(
                Organisation, {"name": name}, {"slug": unique_slug(name)}
            )
            known = self._new_organisations[name] = organisation.pk
        return known

    def category_id(self, parsed: ParsedDecision) -> int | None:
        if not (parsed.category_slug and parsed.subcategory_slug):
            return None
        key = (parsed.category_slug, parsed.subcategory_slug)
        known = self.category_ids.get(key) or self._new_categories.get(key)
        if known is None:
            parent = get_or_create_race_safe(
                Category,
                {"parent": None, "slug": parsed.category_slug},
                {
                    "name": parsed.category or parsed.category_slug,
                    "in_taxonomy": parsed.category_known,
                },
            )
            child = get_or_create_race_safe(
                Category,
                {"parent": parent, "slug": parsed.subcategory_slug},
                {
                    "name": parsed.subcategory or parsed.subcategory_slug,
                    "in_taxonomy": parsed.category_known,
                },
            )
            known = self._new_categories[key] = child.pk
        return known


def lock_references(references: list[str]) -> None:
    """Lock each reference for the rest of the transaction, in the order given."""
    if not references:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, hashtext(reference))) "
            "FROM unnest(%s::text[]) AS reference",
            [REFERENCE_LOCK_SPACE, references],
        )


# Everything a decision publishes but its identity, its creation time and the
# subcategory (which the category's row holds): a re-import replaces the content. The
# source hash and the curation change only when the page changed (classifying's rule).
UPSERT_FIELDS = [
    name for name in PUBLISHED if name not in {"reference", "subcategory", "created_at"}
]
# Never in UPSERT_FIELDS: withdrawn_at and withdrawal_reason. A re-import must not
# bring a withdrawn decision back.


def needs_review(parsed: ParsedDecision) -> bool:
    """Whether a person should check this decision before relying on it."""
    return bool(
        parsed.warnings
        or parsed.decision_date is None
        or parsed.outcome_inferred
        or not parsed.outcome
        or parsed.organisation is None
        or not parsed.category_known
    )


def get_or_create_race_safe(
    model: type[RowModel], lookup: dict[str, object], defaults: dict[str, object]
) -> RowModel:
    """get_or_create that survives a concurrent import creating the same row."""
    try:
        with transaction.atomic():
            return model._default_manager.get_or_create(**lookup, defaults=defaults)[0]
    except IntegrityError:
        return model._default_manager.get(**lookup)


def unique_slug(name: str) -> str:
    base = slugify(name)[:240] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exclude(name=name).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
