"""Writing parsed decisions: one transaction a batch, and what each record did.

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

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.text import slugify

from config.postgresql import bounded_transaction
from decisions.importing.captures import captures_for
from decisions.importing.losses import StoredFields, Verdict, judge, needs_stored_body
from decisions.importing.results import (
    CREATED,
    FAILED,
    HELD,
    UNCHANGED,
    UPDATED,
    VALID,
    RecordResult,
)
from decisions.models import Category, Decision, ImportRun, Organisation
from decisions.parsing import ParsedDecision

# The first key of pg_advisory_xact_lock(int, int): the import's own lock space.
REFERENCE_LOCK_SPACE = 7_001


class DatabaseUnavailable(Exception):
    """The database could not take a batch at all (the connection was lost, the server
    restarted or froze, a lock or statement timed out): the batch is rolled back and
    the run stops, saying so; running it again completes it. Not a fault of any record,
    so nothing is retried record by record."""


@dataclass(frozen=True)
class StoredState:
    """What a re-import needs to know about a decision already in the database."""

    pk: int
    content_hash: str
    source_hash: str
    curated: bool
    fields: StoredFields

    @classmethod
    def of(cls, references: Iterable[str]) -> dict[str, StoredState]:
        rows = (
            Decision.objects.filter(reference__in=list(references))
            .annotate(body_length=Length("body_text"))
            .values_list(
                "reference",
                "pk",
                "content_hash",
                "source_hash",
                "curated_at",
                "organisation_id",
                "category_id",
                "outcome",
                "decision_date",
                "summary",
                "body_length",
            )
        )
        return {
            reference: cls(
                pk,
                content,
                source or "",
                curated_at is not None,
                StoredFields(
                    has_organisation=organisation is not None,
                    has_category=category is not None,
                    outcome=outcome,
                    has_date=date is not None,
                    summary=summary,
                    body_length=body_length or 0,
                ),
            )
            for (
                reference,
                pk,
                content,
                source,
                curated_at,
                organisation,
                category,
                outcome,
                date,
                summary,
                body_length,
            ) in rows
        }

    def status_for(self, digest: str, raw_digest: str) -> str:
        """UPDATED or UNCHANGED: the curation rule and the idempotence rule in one place."""
        if self.curated:
            # Keep the correction unless the page changed: both its raw text and what is
            # parsed from it. (A new parser alone, or the same page in another format,
            # leaves it.) Rows imported before source hashes existed have "".
            same_source = self.source_hash == raw_digest and bool(raw_digest)
            return UNCHANGED if same_source or self.content_hash == digest else UPDATED
        return UNCHANGED if self.content_hash == digest else UPDATED


def decide(
    results: list[RecordResult], *, dry_run: bool = False
) -> tuple[dict[str, RecordResult], dict[str, StoredState]]:
    """Set each valid result's status against what is stored; return the last result of
    each reference (a page twice in one batch: the later one wins) and the stored state.

    Reads only: the dry run's report and the real run's write share it.
    """
    latest: dict[str, RecordResult] = {}
    for result in results:
        assert result.parsed is not None
        earlier = latest.get(result.parsed.reference)
        if earlier is not None:
            same = earlier.content_hash == result.content_hash
            earlier.status = UNCHANGED if same else UPDATED
        latest[result.parsed.reference] = result

    stored = StoredState.of(latest)
    shorter = [
        reference
        for reference, result in latest.items()
        if (state := stored.get(reference)) is not None
        and result.parsed is not None
        and needs_stored_body(state.fields, result.parsed)
    ]
    bodies = dict(
        Decision.objects.filter(reference__in=shorter).values_list("reference", "body_text")
    )
    for reference, result in latest.items():
        assert result.parsed is not None
        state = stored.get(reference)
        if state is None:
            result.status = CREATED
            continue
        result.status = state.status_for(result.content_hash, result.source_hash)
        if result.status != UPDATED:
            continue
        verdict = judge(state.fields, result.parsed, bodies.get(reference))
        apply_verdict(result, verdict)
        if result.status == UPDATED and state.curated:
            result.note = (
                "the source page changed: would replace a staff correction"
                if dry_run
                else "the source page changed: replaced a staff correction"
            )
    return latest, stored


def apply_verdict(result: RecordResult, verdict: Verdict) -> None:
    if verdict.lossy:
        result.status, result.held = HELD, True
    elif verdict.truncated_copy:
        result.status, result.held = UNCHANGED, True
    result.note = verdict.note() or result.note


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
        latest, stored = decide(results)
        to_write: list[Decision] = []
        refresh_source: list[Decision] = []
        held: list[int] = []
        for reference, result in latest.items():
            state = stored.get(reference)
            if result.status == HELD:
                assert state is not None
                held.append(state.pk)
                continue
            if result.status == UNCHANGED:
                assert state is not None
                stale = result.source_hash and state.source_hash != result.source_hash
                if stale and not state.curated and not result.held:
                    # Same content from a different rendering of the page: remember the
                    # latest source, so a later curation compares against it.
                    refresh_source.append(Decision(pk=state.pk, source_hash=result.source_hash))
                continue
            replaced_curation = state is not None and state.curated
            to_write.append(self._build(result, replaced_curation=replaced_curation))
        if refresh_source:
            Decision.objects.bulk_update(refresh_source, ["source_hash"])
        if held:
            Decision.objects.filter(pk__in=held).update(needs_review=True)
        if to_write:
            # ON CONFLICT DO UPDATE: two imports of the same files at once end with
            # one row per reference, whichever commits last.
            Decision.objects.bulk_create(
                to_write,
                update_conflicts=True,
                unique_fields=["reference"],
                update_fields=UPSERT_FIELDS,
            )
        captures_for(results, self.run)

    def _build(self, result: RecordResult, *, replaced_curation: bool = False) -> Decision:
        parsed = result.parsed
        assert parsed is not None
        now = timezone.now()
        return Decision(
            reference=parsed.reference,
            organisation_id=self.organisation_id(parsed.organisation),
            category_id=self.category_id(parsed),
            outcome=parsed.outcome,
            outcome_wording=parsed.outcome_wording,
            outcome_inferred=parsed.outcome_inferred,
            decision_date=parsed.decision_date,
            summary=parsed.summary,
            sections=[section.as_dict() for section in parsed.sections],
            body_text=parsed.body_text,
            remedies=parsed.remedies.as_dict(),
            remedy_total=parsed.remedies.total,
            other_bodies=list(parsed.other_bodies),
            legislation=list(parsed.legislation),
            parse_warnings=list(parsed.warnings),
            # A replaced correction may still have been right: a person should compare.
            needs_review=needs_review(parsed) or replaced_curation,
            source=self.source_of(result)[:1000],
            url=(parsed.url or "")[:1000],
            content_hash=result.content_hash,
            source_hash=result.source_hash,
            curated_at=None,
            curated_fields=[],
            created_at=now,
            updated_at=now,
        )

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


# Everything but the identity and the creation time: a re-import replaces the content.
UPSERT_FIELDS = [
    "organisation",
    "category",
    "outcome",
    "outcome_wording",
    "outcome_inferred",
    "decision_date",
    "summary",
    "sections",
    "body_text",
    "remedies",
    "remedy_total",
    "other_bodies",
    "legislation",
    "parse_warnings",
    "needs_review",
    "source",
    "url",
    "content_hash",
    "updated_at",
    # Only written when the page changed: a changed page replaces a correction.
    "source_hash",
    "curated_at",
    "curated_fields",
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


def get_or_create_race_safe(model, lookup: dict, defaults: dict):
    """get_or_create that survives a concurrent import creating the same row."""
    try:
        with transaction.atomic():
            return model.objects.get_or_create(**lookup, defaults=defaults)[0]
    except IntegrityError:
        return model.objects.get(**lookup)


def unique_slug(name: str) -> str:
    base = slugify(name)[:240] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exclude(name=name).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
