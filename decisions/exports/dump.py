"""The bulk dump: the whole archive, or what changed since a date, as gzip-compressed
JSON lines of a documented, versioned record (README, "Bulk dump").

The first line is a header: {"record": "lgsco-decision-dump", "version": 1, "licence":
..., "exported_at", "since", "includes_withdrawn"}. Each line after it is one decision:
{"record": "lgsco-decision", "version": 1, ...}: its parsed fields, remedies and
sections, the source it was parsed from (its best capture: the one whose hash is the
decision's `source_hash`) and URL, and its curation (corrected fields, review flags,
parse warnings). Withdrawn decisions are left out unless asked for, and then carry their
withdrawal: such a dump is for staff, never to publish.

`import_decisions` reads the records back without parsing them again
(decisions.importing.dumped, decisions.records); a version 2 will be a new number, read beside version 1.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import os
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils import timezone

from decisions.exports.licence import ATTRIBUTION, LICENCE
from decisions.models import Capture, Decision
from decisions.records import DUMP_HEADER, DUMP_RECORD, DUMP_VERSION, iso, published_fields

CHUNK = 500


def header(since: datetime.datetime | None, include_withdrawn: bool) -> dict[str, Any]:
    return {
        "record": DUMP_HEADER,
        "version": DUMP_VERSION,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "exported_at": timezone.now().isoformat(),
        "since": since.isoformat() if since else None,
        "includes_withdrawn": include_withdrawn,
        "record_kinds": [DUMP_RECORD],
    }


def dumped_decisions(
    since: datetime.datetime | None = None, include_withdrawn: bool = False
) -> Iterator[dict[str, Any]]:
    """Each decision's record, in id order, read a chunk at a time."""
    decisions = Decision.objects.all() if include_withdrawn else Decision.objects.published()
    if since is not None:
        decisions = decisions.filter(updated_at__gte=since)
    decisions = decisions.select_related("organisation", "category__parent").order_by("pk")
    rows = decisions.iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        captures = best_captures(chunk)
        for decision in chunk:
            yield decision_record(decision, captures.get(decision.pk), include_withdrawn)


def best_captures(decisions: list[Decision]) -> dict[int, Capture]:
    """Each decision's best capture (its fields were parsed from it), by decision id.

    Read by decision id (capture_unique_source's index) and matched here: 500 OR'd
    (decision, hash) pairs were planned as a scan of every capture, once a chunk."""
    hashes = {decision.pk: decision.source_hash for decision in decisions if decision.source_hash}
    found = Capture.objects.filter(decision_id__in=hashes, sha256__in=set(hashes.values()))
    return {c.decision_id: c for c in found if hashes.get(c.decision_id) == c.sha256}


def decision_record(
    decision: Decision, capture: Capture | None, include_withdrawn: bool
) -> dict[str, Any]:
    """One decision's line: the record's kind and version, its fields (decisions.records)
    and the page they were parsed from."""
    return {
        "record": DUMP_RECORD,
        "version": DUMP_VERSION,
        **published_fields(decision, withdrawal=include_withdrawn),
        "capture": capture_record(capture) if capture else None,
    }


def capture_record(capture: Capture) -> dict[str, Any]:
    """The source as captured: text as text; bytes as UTF-8 text when they are, else
    base64 (a page saved in another encoding), so the bytes, and their hash, come back."""
    content = capture.content()
    if isinstance(content, str):
        text, encoding = content, "text"
    else:
        try:
            text, encoding = content.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(content).decode("ascii"), "base64"
    return {
        "text": text,
        "is_text": capture.is_text,
        "encoding": encoding,
        "sha256": capture.sha256,
        "url": capture.url,
        "source": capture.source,
        "origin": capture.origin,
        "captured_at": iso(capture.created_at),
        "metadata": capture.metadata,
        "headers": capture.headers,
    }


def write_dump(path: Path, records: Iterable[dict[str, Any]], first: dict[str, Any]) -> int:
    """Write the header and `records` to `path` (gzip, JSON lines); how many records.

    Written beside it and renamed into place, so a web server serving the nightly file
    at a stable address never serves half of one.
    """
    partial = path.with_name(path.name + ".partial")
    # Level 6, not gzip's default 9: a third of the time, for a file a few per cent larger.
    count = 0
    try:
        with gzip.open(partial, "wt", compresslevel=6, encoding="utf-8", newline="\n") as out:
            out.write(json.dumps(first, ensure_ascii=False) + "\n")
            for record in records:
                # ASCII: a lone surrogate of a broken source record is written escaped.
                out.write(json.dumps(record) + "\n")
                count += 1
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count
