"""Records in JSON: a scraper's records (`url` plus `text` or `html`, other keys kept as
provenance) and the archive's own dump, one a line (streamed, a line at most
`max_line_bytes`) or in one `.json` document. A line that is not valid UTF-8 JSON, or
is too long, fails alone, and the lines after it still import."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from decisions.importing.budget import READ_CHUNK, ImportBudget, OutOfTime, out_of_time_message
from decisions.importing.dumped import capture_content, is_dump_kind, version_problem
from decisions.importing.items import ByteStream, Item, SourceFailure, SourceRecord
from decisions.records import DUMP_HEADER

# What `bytes.strip()` strips: a line of only these is blank.
BLANK_RUN = re.compile(rb"[ \t\n\r\x0b\x0c]*")


def iter_json_lines(handle: ByteStream, source: str, budget: ImportBudget) -> Iterator[Item]:
    """One record a line; a line that is not valid UTF-8 JSON, or is longer than the
    limit, fails alone, and the lines after it still import."""
    limits = budget.limits
    try:
        for number, raw in iter_lines(handle, limits.max_line_bytes, budget):
            where = f"{source}:{number}"
            if raw is None:
                yield SourceFailure(
                    where,
                    f"line {number} is longer than the limit of {limits.max_line_bytes:,} bytes",
                )
            elif (item := json_line_item(raw, number, where)) is not None:
                yield item
    except OutOfTime as stop:
        yield SourceFailure(
            f"{source}:{stop.line}",
            out_of_time_message(limits) + " (the lines before this one were read)",
        )


def iter_lines(
    handle: ByteStream, limit: int, budget: ImportBudget
) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) for each line that is not blank; None for a line longer than
    `limit`, which is skipped to its end. Holds at most `limit` bytes of a line and one
    chunk, and skips blank lines a run at a time, so a file of nothing but newlines
    costs no more than reading it."""
    number, held, overlong = 1, 0, False
    parts: list[bytes] = []
    while chunk := handle.read(READ_CHUNK):
        if budget.out_of_time():
            raise OutOfTime(number)
        if not parts and not overlong and chunk.isspace():  # a chunk of blank lines
            number += chunk.count(b"\n")
            continue
        start = 0
        while start < len(chunk):
            if not parts and not overlong:  # at a line's start: skip blank ones at once
                blank = BLANK_RUN.match(chunk, start)
                assert blank is not None  # a `*` pattern matches, if only the empty string
                blank_end = blank.end()
                number += chunk.count(b"\n", start, blank_end)
                start = blank_end
                if start == len(chunk):
                    break
            end = chunk.find(b"\n", start)
            stop = len(chunk) if end < 0 else end
            if not overlong:
                held += stop - start
                if held > limit:
                    overlong, parts = True, []
                    yield number, None
                else:
                    parts.append(chunk[start:stop])
            if end < 0:
                break
            if not overlong:
                yield number, b"".join(parts)
            number, parts, held, overlong = number + 1, [], 0, False
            start = end + 1
    if parts:
        yield number, b"".join(parts)


def json_line_item(raw: bytes, number: int, where: str) -> Item | None:
    try:
        obj = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
    except UnicodeDecodeError as error:
        return SourceFailure(where, f"not UTF-8 text: {error.reason} at byte {error.start}")
    except json.JSONDecodeError as error:
        return SourceFailure(where, f"invalid JSON: {error.msg} at column {error.colno}")
    except RecursionError:
        return SourceFailure(where, "invalid JSON: nested too deep")
    return record_from_object(obj, where)


def iter_json_document(data: bytes, source: str) -> Iterator[Item]:
    try:
        document = json.loads(decode_json_text(data))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        yield SourceFailure(source, f"invalid JSON: {error}")
        return
    except RecursionError:
        yield SourceFailure(source, "invalid JSON: nested too deep")
        return
    objects = document if isinstance(document, list) else [document]
    for index, obj in enumerate(objects):
        item = record_from_object(
            obj, f"{source}[{index}]" if isinstance(document, list) else source
        )
        if item is not None:
            yield item


def record_from_object(obj: Any, source: str) -> Item | None:
    """A scraper's record: `url` plus `text` or `html`; other keys kept as provenance.
    Or a record of the archive's own dump (None for its header, which holds no decision)."""
    if not isinstance(obj, dict):
        return SourceFailure(source, f"expected a JSON object, got {type(obj).__name__}")
    if is_dump_kind(obj):
        return dumped_record(obj, source)
    content = obj.get("html") or obj.get("text")
    if not isinstance(content, str) or not content.strip():
        return SourceFailure(source, "record has no 'text' or 'html' field")
    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        return SourceFailure(source, "record's 'url' is not a string")
    provenance = {key: value for key, value in obj.items() if key not in {"text", "html"}}
    return SourceRecord(source, content, url=url or None, provenance=provenance)


def dumped_record(obj: dict[str, Any], source: str) -> Item | None:
    """A record of `export_decisions`'s dump, with its captured source as the content."""
    if problem := version_problem(obj):
        return SourceFailure(source, problem)
    if obj["record"] == DUMP_HEADER:
        return None
    capture = obj.get("capture")
    if capture is not None and not isinstance(capture, dict):
        return SourceFailure(source, "dump record's 'capture' is not an object")
    try:
        content = capture_content(capture)
    except (KeyError, TypeError, ValueError) as error:
        return SourceFailure(source, f"dump record's capture cannot be read: {error!r}")
    url = obj.get("url")
    provenance = {
        **(capture.get("metadata") or {} if capture else {}),
        **({"headers": capture["headers"]} if capture and capture.get("headers") else {}),
    }
    return SourceRecord(
        source,
        content,
        url=url if isinstance(url, str) and url else None,
        provenance=provenance,
        dumped=obj,
    )


def decode_json_text(data: bytes) -> str:
    return data.decode("utf-8-sig")
