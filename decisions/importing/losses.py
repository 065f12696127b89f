"""The rule for an update that would lose information (README, "Importing").

A re-import replaces a decision's content with the newly parsed page, unless that
would lose information the archive has: a degraded copy of a page (one line of
mis-encoded bytes, a scraper cut off mid-way) must not silently replace a complete
decision. An update is *lossy* when

- a field that had a value would become empty (organisation, category, outcome,
  decision date, summary or text), or
- the new summary or text is under half the stored one's length.

A lossy update is held: the stored row stays, the new version is kept as a held
capture, the decision is flagged for review and the run reports it. A new text that
is a truncated copy of the stored one (a prefix of it) counts as unchanged: the
archive already has all of it; the copy is kept as a capture all the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from decisions.parsing import ParsedDecision


@dataclass(frozen=True)
class StoredFields:
    """What the loss rule compares: the stored decision's values, or their lengths."""

    has_organisation: bool
    has_category: bool
    outcome: str
    has_date: bool
    summary: str
    body_length: int


@dataclass(frozen=True)
class Verdict:
    lost: tuple[str, ...] = ()  # each lost piece of information, in words
    truncated_copy: bool = False

    @property
    def lossy(self) -> bool:
        return bool(self.lost)

    def note(self) -> str:
        if self.lost:
            return "held for review, the stored decision kept: the new version " + (
                "; ".join(self.lost)
            )
        if self.truncated_copy:
            return "a truncated copy of the stored text: the fuller stored version kept"
        return ""


def emptied_fields(stored: StoredFields, parsed: ParsedDecision) -> list[str]:
    checks = [
        ("organisation", stored.has_organisation, bool(parsed.organisation)),
        ("category", stored.has_category, bool(parsed.category_slug)),
        ("outcome", bool(stored.outcome), bool(parsed.outcome)),
        ("decision date", stored.has_date, parsed.decision_date is not None),
        ("summary", bool(stored.summary), bool(parsed.summary.strip())),
        ("text", stored.body_length > 0, bool(parsed.body_text.strip())),
    ]
    return [name for name, had, has in checks if had and not has]


def judge(stored: StoredFields, parsed: ParsedDecision, stored_body: str | None = None) -> Verdict:
    """The loss rule for one update. `stored_body` is the stored text, needed only when
    the new text is shorter but not under half (see `needs_stored_body`)."""
    emptied = emptied_fields(stored, parsed)
    lost = [f"has no {name}" for name in emptied]
    new_body = parsed.body_text
    truncated = False
    for name, old_length, new_text, old_text in (
        ("summary", len(stored.summary), parsed.summary, stored.summary),
        ("text", stored.body_length, new_body, stored_body),
    ):
        if name in emptied or not new_text or len(new_text) >= old_length:
            continue
        prefix = old_text is not None and old_text.startswith(new_text)
        if prefix:
            truncated = True
        elif len(new_text) * 2 < old_length:
            lost.append(f"has a {name} of {len(new_text):,} characters, not {old_length:,}")
    return Verdict(tuple(lost), truncated_copy=truncated and not lost)


def needs_stored_body(stored: StoredFields, parsed: ParsedDecision) -> bool:
    """Whether `judge` must see the stored text: only to tell a truncated copy."""
    return 0 < len(parsed.body_text) < stored.body_length
