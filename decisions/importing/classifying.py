"""What each record of a batch does: the one classifier of the real run and the dry run.

`classify()` reads what is stored and returns a `Plan`, a value: each valid result's
`Outcome` (created, updated, unchanged or held, with the report's note) and what the
write leaves behind. It changes nothing it is given; the caller records the outcomes
on its results (`Plan.record`). The real run reads what is stored from the database,
inside the batch's transaction once its references are locked, and carries out the
plan (decisions.importing.writing). A dry run writes nothing, so it reads the database
through a `Foresight`: the database as the run's earlier batches would have left it,
had they been written. So the dry run's counts are the real run's (tests/test_dry_run.py);
only a batch the database itself refuses cannot be foreseen.
"""

from __future__ import annotations

import json
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Protocol

from django.db.models.functions import Length

from decisions.importing.losses import StoredFields, judge, needs_stored_body
from decisions.importing.results import CREATED, HELD, UNCHANGED, UPDATED, RecordResult
from decisions.models import Decision


@dataclass(frozen=True)
class StoredState:
    """What a re-import needs to know about a decision already stored."""

    pk: int | None  # None for a decision only a dry run's earlier batch would have made
    content_hash: str
    source_hash: str
    curated: bool
    fields: StoredFields

    def status_for(self, digest: str, raw_digest: str) -> str:
        """UPDATED or UNCHANGED: the curation rule and the idempotence rule in one place."""
        if self.curated:
            # Keep the correction unless the page changed: both its raw text and what is
            # parsed from it. (A new parser alone, or the same page in another format,
            # leaves it.) Rows imported before source hashes existed have "".
            same_source = self.source_hash == raw_digest and bool(raw_digest)
            return UNCHANGED if same_source or self.content_hash == digest else UPDATED
        return UNCHANGED if self.content_hash == digest else UPDATED

    @classmethod
    def written(cls, result: RecordResult, before: StoredState | None) -> StoredState:
        """The state a created or updated result leaves: what DecisionWriter stores."""
        parsed = result.parsed
        assert parsed is not None
        restored = result.restored.fields if result.restored is not None else {}
        return cls(
            pk=before.pk if before is not None else None,
            content_hash=result.content_hash,
            source_hash=result.source_hash,
            # A write clears a correction, unless it restores one from the archive's dump.
            curated=restored.get("curated_at") is not None,
            fields=StoredFields(
                has_organisation=bool(parsed.organisation),
                has_category=bool(parsed.category_slug and parsed.subcategory_slug),
                outcome=parsed.outcome,
                has_date=parsed.decision_date is not None,
                summary=parsed.summary,
                body_length=len(written_body(result)),
            ),
        )


def written_body(result: RecordResult) -> str:
    """The text a created or updated result stores (a dump's record restores its own)."""
    assert result.parsed is not None
    if result.restored is not None and "body_text" in result.restored.fields:
        return result.restored.fields["body_text"]
    return result.parsed.body_text


class Stored(Protocol):
    """Where `decide` reads what is stored."""

    def states(self, references: Iterable[str]) -> dict[str, StoredState]: ...

    def bodies(self, references: Iterable[str]) -> dict[str, str]: ...


class InDatabase:
    """What is stored, read from the database."""

    def states(self, references: Iterable[str]) -> dict[str, StoredState]:
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
            reference: StoredState(
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

    def bodies(self, references: Iterable[str]) -> dict[str, str]:
        references = list(references)
        if not references:
            return {}
        return dict(
            Decision.objects.filter(reference__in=references).values_list("reference", "body_text")
        )


@dataclass(frozen=True)
class Outcome:
    """What one record does: its status, whether the stored decision is held (kept, or
    only the new version captured), and the note the report shows."""

    status: str
    held: bool = False
    note: str = ""


@dataclass(frozen=True)
class Plan:
    """One batch's classification: an outcome for each result given, in order, each
    reference's last result (a page twice in one batch: the later one is written), and
    the stored state each was judged against."""

    results: tuple[RecordResult, ...]
    outcomes: tuple[Outcome, ...]
    latest: dict[str, int]  # reference -> the index of its last result
    stored: dict[str, StoredState]

    def record(self) -> None:
        """Set each result's status, held flag and note: what the run reports."""
        for result, outcome in zip(self.results, self.outcomes, strict=True):
            result.status, result.held, result.note = outcome.status, outcome.held, outcome.note

    def _last(self) -> list[tuple[str, RecordResult, Outcome]]:
        return [(ref, self.results[i], self.outcomes[i]) for ref, i in self.latest.items()]

    def writes(self) -> list[tuple[RecordResult, StoredState | None]]:
        """The created and updated results, each with the state it replaces."""
        return [
            (result, self.stored.get(reference))
            for reference, result, outcome in self._last()
            if outcome.status in {CREATED, UPDATED}
        ]

    def holds(self) -> list[StoredState]:
        """The stored decisions kept, and flagged for review, against a lossy update."""
        return [self.stored[reference] for reference, _, o in self._last() if o.status == HELD]

    def source_refreshes(self) -> list[tuple[str, StoredState, str]]:
        """Unchanged decisions from a different rendering of the page (reference, state,
        new source hash): the latest source hash is remembered, so that a later curation
        compares against it."""
        refreshes = []
        for reference, result, outcome in self._last():
            state = self.stored.get(reference)
            if outcome.status != UNCHANGED or state is None:
                continue
            stale = result.source_hash and state.source_hash != result.source_hash
            if stale and not state.curated and not outcome.held:
                refreshes.append((reference, state, result.source_hash))
        return refreshes


def classify(results: list[RecordResult], stored: Stored, *, dry_run: bool = False) -> Plan:
    """Each valid result's outcome against what is stored: the real run's and the dry
    run's one classifier. Reads only."""
    latest: dict[str, int] = {}
    outcomes: list[Outcome] = [Outcome(UNCHANGED)] * len(results)
    for index, result in enumerate(results):
        assert result.parsed is not None
        earlier = latest.get(result.parsed.reference)
        if earlier is not None:
            same = results[earlier].content_hash == result.content_hash
            outcomes[earlier] = Outcome(UNCHANGED if same else UPDATED)
        latest[result.parsed.reference] = index

    states = stored.states(latest)
    shorter = [
        reference
        for reference, index in latest.items()
        if (state := states.get(reference)) is not None
        and (parsed := results[index].parsed) is not None
        and needs_stored_body(state.fields, parsed)
    ]
    bodies = stored.bodies(shorter)
    for reference, index in latest.items():
        state = states.get(reference)
        result = results[index]
        outcomes[index] = (
            Outcome(CREATED)
            if state is None
            else outcome_of(result, state, bodies.get(reference), dry_run)
        )
    return Plan(tuple(results), tuple(outcomes), latest, states)


def outcome_of(
    result: RecordResult, state: StoredState, stored_body: str | None, dry_run: bool
) -> Outcome:
    """A result's outcome against a stored decision: the idempotence and curation rules
    (StoredState.status_for), then the loss rule (decisions.importing.losses)."""
    assert result.parsed is not None
    status = state.status_for(result.content_hash, result.source_hash)
    if status != UPDATED:
        return Outcome(status)
    verdict = judge(state.fields, result.parsed, stored_body)
    if verdict.lossy:
        return Outcome(HELD, held=True, note=verdict.note())
    if verdict.truncated_copy:
        return Outcome(UNCHANGED, held=True, note=verdict.note())
    if state.curated:
        replaced = "would replace" if dry_run else "replaced"
        return Outcome(UPDATED, note=f"the source page changed: {replaced} a staff correction")
    return Outcome(UPDATED, note=verdict.note())


class Foresight:
    """The database as a dry run's earlier batches would have left it.

    Each decision an earlier batch would have created or updated, or whose source hash
    it would have refreshed, is kept with its text (which the loss rule may need) in a
    temporary file, compressed; memory holds only where each one is. A dry run of a
    million records thus stays as small as the real one.
    """

    def __init__(self, database: Stored | None = None) -> None:
        self.database = database or InDatabase()
        # Closed (and so deleted) by close(), which run_import calls however the run ends.
        self._file = tempfile.TemporaryFile()  # noqa: SIM115
        self._where: dict[str, tuple[int, int]] = {}

    def close(self) -> None:
        self._file.close()

    def _read(self, reference: str) -> tuple[StoredState, str | None]:
        offset, length = self._where[reference]
        self._file.seek(offset)
        kept = json.loads(zlib.decompress(self._file.read(length)))
        fields = StoredFields(**kept["state"].pop("fields"))
        return StoredState(**kept["state"], fields=fields), kept["body"]

    def _keep(self, reference: str, state: StoredState, body: str | None) -> None:
        data = zlib.compress(json.dumps({"state": asdict(state), "body": body}).encode(), 1)
        offset = self._file.seek(0, 2)
        self._file.write(data)
        self._where[reference] = (offset, len(data))

    def states(self, references: Iterable[str]) -> dict[str, StoredState]:
        references = list(references)
        foreseen = {r: self._read(r)[0] for r in references if r in self._where}
        unseen = [r for r in references if r not in foreseen]
        return self.database.states(unseen) | foreseen

    def bodies(self, references: Iterable[str]) -> dict[str, str]:
        references = list(references)
        # None: the text is the database's (only the source hash would have changed).
        foreseen = {r: self._read(r)[1] for r in references if r in self._where}
        known = {r: body for r, body in foreseen.items() if body is not None}
        return self.database.bodies([r for r in references if r not in known]) | known

    def apply(self, plan: Plan) -> None:
        """Remember what writing `plan` would have left (a held update leaves nothing)."""
        for result, before in plan.writes():
            assert result.parsed is not None
            state = StoredState.written(result, before)
            self._keep(result.parsed.reference, state, written_body(result))
        for reference, state, digest in plan.source_refreshes():
            body = self._read(reference)[1] if reference in self._where else None
            self._keep(reference, replace(state, source_hash=digest), body)
