"""Reading import inputs: files, folders, zips, JSON lines, standard input.

Everything here turns what an administrator or a scraper has into a stream of
`SourceRecord`s (one page each) and `SourceFailure`s (an input that could not be
read, with the reason). Nothing is parsed or written here, and one bad input
never stops the stream: it becomes a failure and reading goes on.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

PAGE_SUFFIXES = {".txt", ".html", ".htm"}
RECORD_SUFFIXES = {".jsonl", ".json"}
ARCHIVE_SUFFIXES = {".zip"}
SUPPORTED_SUFFIXES = PAGE_SUFFIXES | RECORD_SUFFIXES | ARCHIVE_SUFFIXES
STDIN = "-"


@dataclass(frozen=True)
class SourceRecord:
    """One page to parse, and where it came from."""

    source: str  # "folder/page.txt", "dump.jsonl:12", "batch.zip!inner/page.html"
    content: str | bytes
    url: str | None = None
    provenance: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceFailure:
    """An input that could not be read at all."""

    source: str
    error: str


@dataclass
class ZipBudget:
    """What one import has unpacked so far, across every zip and every nesting level:
    three inner zips of 300 MB are 900 MB against the one limit, not 300 MB three times."""

    entries: int = 0
    bytes: int = 0


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on what one import may read whole and unpack: a defence against zip bombs.

    One ZipLimits is made per import (command run or upload), and its budget is shared
    by every archive the import opens. Declared sizes are checked first, so a bomb is
    usually refused from its directory alone; members are then read in chunks and real
    bytes counted, so an archive that lies about its sizes is stopped as it unpacks.
    """

    max_entries: int = 10_000
    max_total_bytes: int = 500 * 1024**2
    max_depth: int = 1  # a zip inside a zip is read; one inside that is refused
    # What is read whole: a page, a .json document, a zip member.
    max_file_bytes: int = 50 * 1024**2
    # One JSON line: JSON lines are streamed, so a corpus of any size imports.
    max_line_bytes: int = 10 * 1024**2
    budget: ZipBudget = field(default_factory=ZipBudget, compare=False)


READ_CHUNK = 1024**2
Item = SourceRecord | SourceFailure


def iter_sources(
    paths: Iterable[str | Path], zip_limits: ZipLimits | None = None
) -> Iterator[Item]:
    """Every record in `paths` (files, folders recursively, "-" for stdin), in order."""
    limits = zip_limits or ZipLimits()
    for raw in paths:
        if str(raw) == STDIN:
            yield from iter_json_lines(sys.stdin.buffer, "<stdin>", limits.max_line_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from iter_folder(path, limits)
        elif path.is_file():
            yield from iter_file(path, limits)
        else:
            yield SourceFailure(str(path), "no such file or folder")


def iter_folder(folder: Path, limits: ZipLimits) -> Iterator[Item]:
    # Sorted, so runs are repeatable; hidden files (editor backups, .DS_Store) skipped;
    # files of other kinds in a folder (a README, a PDF) are not inputs and are skipped.
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield from iter_file(path, limits)


def iter_file(path: Path, limits: ZipLimits) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield SourceFailure(str(path), unsupported_message(suffix))
        return
    try:
        if suffix in ARCHIVE_SUFFIXES:
            with zipfile.ZipFile(path) as archive:
                yield from iter_zip(archive, str(path), limits, depth=1)
            return
        if suffix == ".jsonl":
            # Streamed a line at a time: a dump of a million records is never held whole.
            with path.open("rb") as handle:
                yield from iter_json_lines(handle, str(path), limits.max_line_bytes)
            return
        size = path.stat().st_size
        if size > limits.max_file_bytes:  # refused by its size, before reading it whole
            yield SourceFailure(str(path), file_too_large_message(size, limits.max_file_bytes))
            return
        data = path.read_bytes()
    except (OSError, zipfile.BadZipFile) as error:
        yield SourceFailure(str(path), f"cannot read file: {error}")
        return
    yield from iter_bytes(data, suffix, str(path), limits, depth=0)


def iter_bytes(
    data: bytes, suffix: str, source: str, limits: ZipLimits, depth: int
) -> Iterator[Item]:
    """Records in one file's bytes, whatever the file came from (disk, zip, upload)."""
    if suffix in PAGE_SUFFIXES:
        yield SourceRecord(source, data)
    elif suffix == ".jsonl":
        yield from iter_json_lines(io.BytesIO(data), source, limits.max_line_bytes)
    elif suffix == ".json":
        yield from iter_json_document(data, source)
    elif suffix in ARCHIVE_SUFFIXES:
        # `depth` is how many zips enclose this one; max_depth=1 reads a zip inside a zip
        # and refuses a zip inside that, as ZipLimits says.
        if depth > limits.max_depth:
            yield SourceFailure(source, f"zip nested more than {limits.max_depth} deep")
            return
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                yield from iter_zip(archive, source, limits, depth + 1)
        except zipfile.BadZipFile as error:
            yield SourceFailure(source, f"not a valid zip file: {error}")
    else:
        yield SourceFailure(source, unsupported_message(suffix))


def iter_zip(
    archive: zipfile.ZipFile, source: str, limits: ZipLimits, depth: int
) -> Iterator[Item]:
    entries = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not PurePosixPath(info.filename).name.startswith(".")
        and "__MACOSX" not in info.filename
    ]
    # Check the declared sizes before unpacking anything: a bomb is refused whole.
    budget = limits.budget
    if budget.entries + len(entries) > limits.max_entries:
        yield SourceFailure(
            source,
            f"zip has {len(entries)} files; the limit is {limits.max_entries}"
            + already_read(budget.entries, "files"),
        )
        return
    total = sum(info.file_size for info in entries)
    if budget.bytes + total > limits.max_total_bytes:
        yield SourceFailure(
            source,
            f"zip unpacks to {total:,} bytes; the limit is {limits.max_total_bytes:,}"
            + already_read(budget.bytes, "bytes"),
        )
        return
    budget.entries += len(entries)
    for info in sorted(entries, key=lambda entry: entry.filename):
        member = f"{source}!{info.filename}"
        suffix = PurePosixPath(info.filename).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            yield SourceFailure(member, unsupported_message(suffix))
            continue
        try:
            data = read_member(archive, info, limits)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as error:
            yield SourceFailure(member, f"cannot unpack: {error}")
            continue
        if data is None:
            yield SourceFailure(
                member,
                "unpacks past the limit (a member may be "
                f"{limits.max_file_bytes:,} bytes; an import may unpack "
                f"{limits.max_total_bytes:,} bytes in all); its zip's declared sizes were false",
            )
            continue
        yield from iter_bytes(data, suffix, member, limits, depth)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits) -> bytes | None:
    """The member's bytes, counted as they unpack; None past a limit, having held at most
    one chunk more than it."""
    budget = limits.budget
    allowed = min(limits.max_file_bytes, limits.max_total_bytes - budget.bytes)
    chunks, size = [], 0
    with archive.open(info) as handle:
        while chunk := handle.read(READ_CHUNK):
            size += len(chunk)
            if size > allowed:
                budget.bytes += size
                return None
            chunks.append(chunk)
    budget.bytes += size
    return b"".join(chunks)


def already_read(used: int, unit: str) -> str:
    return f" (with {used:,} {unit} already unpacked in this import)" if used else ""


def iter_json_lines(
    handle: BinaryIO, source: str, max_line_bytes: int = 10 * 1024**2
) -> Iterator[Item]:
    """One record a line; a line that is not valid UTF-8 JSON, or is longer than
    `max_line_bytes`, fails alone, and the lines after it still import. Lines are read
    with a bounded length, so a file with no newline is never held whole."""
    number = 0
    while raw := handle.readline(max_line_bytes + 1):
        number += 1
        where = f"{source}:{number}"
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = handle.readline(READ_CHUNK)
            yield SourceFailure(
                where, f"line {number} is longer than the limit of {max_line_bytes:,} bytes"
            )
            continue
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as error:
            yield SourceFailure(where, f"not UTF-8 text: {error.reason} at byte {error.start}")
            continue
        except json.JSONDecodeError as error:
            yield SourceFailure(where, f"invalid JSON: {error.msg} at column {error.colno}")
            continue
        except RecursionError:
            yield SourceFailure(where, "invalid JSON: nested too deep")
            continue
        yield record_from_object(obj, where)


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
        yield record_from_object(
            obj, f"{source}[{index}]" if isinstance(document, list) else source
        )


def record_from_object(obj: Any, source: str) -> Item:
    """A scraper's record: `url` plus `text` or `html`; other keys kept as provenance."""
    if not isinstance(obj, dict):
        return SourceFailure(source, f"expected a JSON object, got {type(obj).__name__}")
    content = obj.get("html") or obj.get("text")
    if not isinstance(content, str) or not content.strip():
        return SourceFailure(source, "record has no 'text' or 'html' field")
    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        return SourceFailure(source, "record's 'url' is not a string")
    provenance = {key: value for key, value in obj.items() if key not in {"text", "html"}}
    return SourceRecord(source, content, url=url or None, provenance=provenance)


def decode_json_text(data: bytes) -> str:
    return data.decode("utf-8-sig")


def unsupported_message(suffix: str) -> str:
    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return f"unsupported file type {suffix or '(none)'!r}; expected one of {kinds}"


def iter_stored_file(
    path: Path, name: str, limits: ZipLimits, max_file_bytes: int | None = None
) -> Iterator[Item]:
    """Records in one file kept on disk (an admin upload), reported under `name`.

    The file's size is checked before any of it is read; a zip is opened in place, so
    only its directory is read before its declared sizes are checked.
    """
    suffix = PurePosixPath(name).suffix.lower()
    try:
        size = path.stat().st_size
        if max_file_bytes is not None and size > max_file_bytes:
            yield SourceFailure(name, file_too_large_message(size, max_file_bytes))
            return
        if suffix not in SUPPORTED_SUFFIXES:
            yield SourceFailure(name, unsupported_message(suffix))
            return
        if suffix in ARCHIVE_SUFFIXES:
            with zipfile.ZipFile(path) as archive:
                yield from iter_zip(archive, name, limits, depth=1)
            return
        if suffix == ".jsonl":
            with path.open("rb") as handle:
                yield from iter_json_lines(handle, name, limits.max_line_bytes)
            return
        data = path.read_bytes()
    except FileNotFoundError:
        yield SourceFailure(name, "the stored file is missing")
        return
    except (OSError, zipfile.BadZipFile) as error:
        yield SourceFailure(name, f"cannot read file: {error}")
        return
    yield from iter_bytes(data, suffix, name, limits, depth=0)


def file_too_large_message(size: int | None, limit: int) -> str:
    actual = f"is {size:,} bytes" if size is not None else "is larger than that"
    return f"file {actual}; the limit for one file is {limit:,} bytes"
