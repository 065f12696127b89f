"""Reading import inputs: files, folders, zips, gzip, JSON lines, standard input.

Everything here turns what an administrator or a scraper has into a stream of
`SourceRecord`s (one page each) and `SourceFailure`s (an input that could not be
read, with the reason). Nothing is parsed or written here, and one bad input
never stops the stream: it becomes a failure and reading goes on.

Bad input costs bounded memory and time. What is read whole (a page, a `.json`
document, a zip or gzip member) is refused by its size before it is read, or stopped
as it unpacks past the limit, never held past it; JSON lines are streamed, a line at
most `max_line_bytes`, so a corpus of any size imports. One `ImportBudget` of unpacked
bytes, zip entries and reading time covers every input of a run. No Django here: the
command and the admin pass `ImportLimits.from_settings(settings)`.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

if TYPE_CHECKING:  # any Django storage; this module itself needs no Django
    from django.core.files.storage import Storage

from decisions.importing.dumped import capture_content, is_dump_kind, version_problem
from decisions.records import DUMP_HEADER

PAGE_SUFFIXES = {".txt", ".html", ".htm"}
RECORD_SUFFIXES = {".jsonl", ".json"}
ARCHIVE_SUFFIXES = {".zip"}
READABLE_SUFFIXES = PAGE_SUFFIXES | RECORD_SUFFIXES | ARCHIVE_SUFFIXES
GZIP_SUFFIX = ".gz"  # any readable kind, gzipped: dump.jsonl.gz, page.html.gz
SUPPORTED_SUFFIXES = READABLE_SUFFIXES | {GZIP_SUFFIX}
STDIN = "-"
MB = 1024**2
READ_CHUNK = MB
# zipfile reads a zip's whole central directory into memory when it opens the zip. An
# entry's record there is 46 bytes plus its name and extra fields, so a directory of
# more than this per allowed entry is a bomb of millions of tiny entries, refused unread.
DIRECTORY_BYTES_PER_ENTRY = 1024
# What `bytes.strip()` strips: a line of only these is blank.
BLANK_RUN = re.compile(rb"[ \t\n\r\x0b\x0c]*")
UNPACK_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    gzip.BadGzipFile,
    zlib.error,
    EOFError,
    OSError,
    *(RuntimeError, ValueError, NotImplementedError),  # encrypted, bad method
)


class ByteStream(Protocol):
    """What the streaming readers need: a file, stdin's buffer, a zip member or a
    GzipFile (which typing does not count as a BinaryIO)."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class SourceRecord:
    """One page to parse, and where it came from."""

    source: str  # "folder/page.txt", "dump.jsonl:12", "batch.zip!inner/page.html"
    content: str | bytes
    url: str | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    # A record of the archive's own dump: imported from its fields, not parsed
    # (decisions.importing.dumped). `content` is then its captured source.
    dumped: dict[str, Any] | None = None


@dataclass(frozen=True)
class SourceFailure:
    """An input that could not be read at all."""

    source: str
    error: str


Item = SourceRecord | SourceFailure


@dataclass(frozen=True)
class ImportLimits:
    """What one import run may read: the IMPORT_* settings (config/settings.py explains
    each). The defaults are the settings' defaults."""

    max_file_bytes: int = 50 * MB  # read whole: a page, a .json document, a zip/gzip member
    max_line_bytes: int = 10 * MB  # one JSON line
    max_total_bytes: int = 500 * MB  # read whole out of all of a run's archives together
    max_entries: int = 10_000  # files in all of a run's zips together
    max_depth: int = 1  # a zip inside a zip is read; one inside that is refused
    max_seconds: int = 3600  # time spent reading a run's inputs

    @classmethod
    def from_settings(cls, settings: Any) -> ImportLimits:
        """The limits from Django's settings (passed in, so this module needs no Django)."""
        return cls(
            max_file_bytes=settings.IMPORT_MAX_FILE_BYTES,
            max_line_bytes=settings.IMPORT_MAX_LINE_BYTES,
            max_total_bytes=settings.IMPORT_ZIP_MAX_TOTAL_BYTES,
            max_entries=settings.IMPORT_ZIP_MAX_ENTRIES,
            max_depth=settings.IMPORT_ZIP_MAX_DEPTH,
            max_seconds=settings.IMPORT_MAX_SECONDS,
        )

    def budget(self) -> ImportBudget:
        return ImportBudget(self)


class ImportBudget:
    """What one run has spent of its limits, across every input, zip and nesting level:
    three inner zips of 300 MB are 900 MB against the one 500 MB limit, not 300 MB
    three times.

    Time is counted only while the readers run (`timed`), not while the importer parses
    and writes what they gave it: a big corpus takes as long as the database needs, but
    an input that is slow to read (a bomb unpacking) runs out of time.
    """

    def __init__(self, limits: ImportLimits, clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.clock = clock
        self.unpacked = 0  # bytes read whole out of archives
        self.entries = 0  # zip entries opened
        self.seconds = 0.0  # spent reading, up to the last stop()
        self._since: float | None = None

    def bytes_left(self) -> int:
        return self.limits.max_total_bytes - self.unpacked

    def spent_seconds(self) -> float:
        running = self.clock() - self._since if self._since is not None else 0.0
        return self.seconds + running

    def out_of_time(self) -> bool:
        return self.spent_seconds() > self.limits.max_seconds

    def start(self) -> None:
        if self._since is None:
            self._since = self.clock()

    def stop(self) -> None:
        if self._since is not None:
            self.seconds += self.clock() - self._since
            self._since = None

    def timed(self, items: Iterable[Item]) -> Iterator[Item]:
        """`items`, with the clock running while each is read."""
        iterator = iter(items)
        while True:
            self.start()
            try:
                item = next(iterator, None)
            finally:
                self.stop()
            if item is None:
                return
            yield item

    def untimed(self, items: Iterable[Item]) -> Iterator[Item]:
        """`items`, with the clock stopped while each is read (inside `timed`)."""
        iterator = iter(items)
        while True:
            self.stop()
            try:
                item = next(iterator, None)
            finally:
                self.start()
            if item is None:
                return
            yield item


class OutOfTime(Exception):
    """The run's time budget ran out while reading (at `line`, for JSON lines)."""

    def __init__(self, line: int | None = None) -> None:
        super().__init__(line)
        self.line = line


def iter_sources(
    paths: Iterable[str | Path],
    limits: ImportLimits | None = None,
    *,
    budget: ImportBudget | None = None,
) -> Iterator[Item]:
    """Every record in `paths` (files, folders recursively, "-" for stdin), in order,
    within one budget (`limits`, else the defaults)."""
    budget = budget or (limits or ImportLimits()).budget()
    yield from budget.timed(iter_paths(paths, budget))


def iter_paths(paths: Iterable[str | Path], budget: ImportBudget) -> Iterator[Item]:
    for raw in paths:
        if str(raw) == STDIN:
            # Untimed: stdin is as slow as what writes to it (a scraper), and each of
            # its lines is bounded.
            yield from budget.untimed(iter_json_lines(sys.stdin.buffer, "<stdin>", budget))
            continue
        path = Path(raw)
        if path.is_dir():
            yield from iter_folder(path, budget)
        elif path.is_file():
            yield from iter_file(path, str(path), budget)
        else:
            yield SourceFailure(str(path), "no such file or folder")


def iter_folder(folder: Path, budget: ImportBudget) -> Iterator[Item]:
    # Sorted, so runs are repeatable; hidden files (editor backups, .DS_Store) skipped;
    # files of other kinds in a folder (a README, a PDF, a .tar.gz) are not inputs.
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and is_readable(path.name):
            yield from iter_file(path, str(path), budget)


def iter_stored_file(storage: Storage, key: str, name: str, budget: ImportBudget) -> Iterator[Item]:
    """Records in one stored upload, `key` in any Django storage (the local folder, or
    one every machine reaches, such as S3), reported under `name`. No upload is bigger
    than `max_file_bytes`: SizeLimitUploadHandler stops it first."""
    limit = budget.limits.max_file_bytes
    try:
        size = storage.size(key)
    except FileNotFoundError:
        yield SourceFailure(name, "the stored file is missing")
        return
    # Any backend's own error (a bucket's, a network's): the file fails, the run goes on.
    except Exception as error:
        yield SourceFailure(name, f"cannot read the stored file: {error}")
        return
    if size > limit:
        yield SourceFailure(name, file_too_large_message(size, limit))
        return
    if failure := unreadable(name, budget):
        yield failure
        return
    try:
        with storage.open(key, "rb") as handle:
            yield from iter_handle(handle, size, name, budget)
    except FileNotFoundError:
        yield SourceFailure(name, "the stored file is missing")
    except UNPACK_ERRORS as error:
        yield SourceFailure(name, f"cannot read file: {error}")


def unreadable(name: str, budget: ImportBudget) -> SourceFailure | None:
    """Why a file is not read at all: the run is out of time, or its kind is unknown."""
    if budget.out_of_time():
        return SourceFailure(name, out_of_time_message(budget.limits))
    if not is_readable(name):
        return SourceFailure(name, unsupported_message(name))
    return None


def iter_file(path: Path, name: str, budget: ImportBudget) -> Iterator[Item]:
    """Records in one file on disk, reported under `name`."""
    if failure := unreadable(name, budget):
        yield failure
        return
    try:
        with path.open("rb") as handle:
            yield from iter_handle(handle, path.stat().st_size, name, budget)
    except FileNotFoundError:
        yield SourceFailure(name, "the file is missing")
    except UNPACK_ERRORS as error:
        # What was read before the error stands; the rest of the file is this failure.
        yield SourceFailure(name, f"cannot read file: {error}")


def iter_handle(handle: Any, size: int, name: str, budget: ImportBudget) -> Iterator[Item]:
    """Records in one open file of `size` bytes. A zip is opened in place and JSON lines
    (gzipped or not) are streamed; anything else is read whole, so it is refused by its
    size first."""
    suffix, gzipped = kind_of(name)
    limit = budget.limits.max_file_bytes
    if gzipped:
        with gzip.GzipFile(fileobj=handle, mode="rb") as unpacked:
            yield from iter_stream(unpacked, suffix, name, budget, depth=0)
    elif suffix in ARCHIVE_SUFFIXES:
        yield from iter_zip_file(handle, name, budget, depth=1)
    elif suffix == ".jsonl":
        yield from iter_json_lines(handle, name, budget)
    elif size > limit:
        yield SourceFailure(name, file_too_large_message(size, limit))
    else:
        yield from iter_bytes(handle.read(), suffix, name, budget, depth=0)


def iter_stream(
    handle: ByteStream, suffix: str, source: str, budget: ImportBudget, depth: int
) -> Iterator[Item]:
    """Records in an unpacking stream (a zip member, a gzip file): JSON lines streamed,
    anything else read whole within the limits."""
    if suffix == ".jsonl":
        yield from iter_json_lines(handle, source, budget)
        return
    try:
        data = read_whole(handle, budget)
    except OutOfTime:
        yield SourceFailure(source, out_of_time_message(budget.limits))
        return
    except LimitPassed as error:
        yield SourceFailure(source, str(error))
        return
    yield from iter_bytes(data, suffix, source, budget, depth)


class LimitPassed(Exception):
    """An unpacking stream passed the limit for one file or the run's total."""


def read_whole(handle: ByteStream, budget: ImportBudget) -> bytes:
    """All of an unpacking stream, its real bytes counted as they unpack (declared sizes
    are not trusted); stopped as soon as it passes a limit, never holding more than
    the limit and a byte."""
    limits, before = budget.limits, budget.unpacked
    allowed = max(0, min(limits.max_file_bytes, budget.bytes_left()))
    buffer = io.BytesIO()
    while chunk := handle.read(min(READ_CHUNK, allowed - buffer.tell() + 1)):
        budget.unpacked += len(chunk)
        if buffer.tell() + len(chunk) > allowed:
            if allowed == limits.max_file_bytes:
                raise LimitPassed(
                    f"unpacks to more than {allowed:,} bytes; the limit for one file is "
                    f"{limits.max_file_bytes:,} bytes"
                )
            raise LimitPassed(
                f"unpacks past the {limits.max_total_bytes:,} bytes one import may unpack "
                f"in all ({before:,} already unpacked)"
            )
        if budget.out_of_time():
            raise OutOfTime()
        buffer.write(chunk)
    return buffer.getvalue()


def iter_bytes(
    data: bytes, suffix: str, source: str, budget: ImportBudget, depth: int
) -> Iterator[Item]:
    """Records in one file's bytes, whatever the file came from (disk, zip, upload)."""
    if suffix in PAGE_SUFFIXES:
        yield SourceRecord(source, data)
    elif suffix == ".jsonl":
        yield from iter_json_lines(io.BytesIO(data), source, budget)
    elif suffix == ".json":
        yield from iter_json_document(data, source)
    elif suffix in ARCHIVE_SUFFIXES:
        # `depth` is how many zips enclose this one; max_depth=1 reads a zip inside a zip
        # and refuses a zip inside that.
        if depth > budget.limits.max_depth:
            yield SourceFailure(source, f"zip nested more than {budget.limits.max_depth} deep")
            return
        yield from iter_zip_file(io.BytesIO(data), source, budget, depth + 1)
    else:
        yield SourceFailure(source, unsupported_message(source))


def iter_zip_file(
    handle: BinaryIO, source: str, budget: ImportBudget, depth: int
) -> Iterator[Item]:
    limit = budget.limits.max_entries * DIRECTORY_BYTES_PER_ENTRY
    try:
        declared = zip_end_record(handle)
        if declared is not None and (directory := declared[1]) > limit:
            yield SourceFailure(
                source,
                f"zip's directory is {directory:,} bytes, too big for the limit of "
                f"{budget.limits.max_entries:,} files",
            )
            return
        archive = zipfile.ZipFile(handle)
    except UNPACK_ERRORS as error:
        yield SourceFailure(source, f"not a valid zip file: {error}")
        return
    with archive:
        yield from iter_zip(archive, source, budget, depth)


def zip_end_record(handle: BinaryIO) -> tuple[int, int] | None:
    """(entries, central directory bytes) as a zip's end record declares them, read
    without loading the directory, which zipfile reads whole; None when there is no end
    record (zipfile then says what is wrong).
    https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3.14 to 4.3.16)"""
    handle.seek(0, io.SEEK_END)
    start = max(0, handle.tell() - (22 + 0xFFFF))  # the record, then a comment of <64 KB
    handle.seek(start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries, size = struct.unpack_from("<HL", tail, at + 10)
    # Zip64: its own end record and a locator just before this one, which zipfile
    # prefers whenever the locator is there (zipfile._EndRecData64).
    if start + at >= 76:
        handle.seek(start + at - 76)
        records = handle.read(76)
        if records[:4] == b"PK\x06\x06" and records[56:60] == b"PK\x06\x07":
            entries, size = struct.unpack_from("<QQ", records, 32)
    return entries, size


def iter_zip(
    archive: zipfile.ZipFile, source: str, budget: ImportBudget, depth: int
) -> Iterator[Item]:
    limits = budget.limits
    entries = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not PurePosixPath(info.filename).name.startswith(".")
        and "__MACOSX" not in info.filename
    ]
    # Check the declared sizes before unpacking anything: a bomb is refused whole. The
    # real bytes are counted as they unpack all the same (read_whole).
    if budget.entries + len(entries) > limits.max_entries:
        yield SourceFailure(
            source,
            f"zip has {len(entries)} files; the limit is {limits.max_entries}"
            + already_unpacked(budget.entries, "files"),
        )
        return
    total = sum(info.file_size for info in entries if reads_whole(info.filename))
    if total > budget.bytes_left():
        yield SourceFailure(
            source,
            f"zip unpacks to {total:,} bytes; the limit is {limits.max_total_bytes:,}"
            + already_unpacked(budget.unpacked, "bytes"),
        )
        return
    budget.entries += len(entries)
    for info in sorted(entries, key=lambda entry: entry.filename):
        yield from iter_member(archive, info, f"{source}!{info.filename}", budget, depth)


def iter_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    member: str,
    budget: ImportBudget,
    depth: int,
) -> Iterator[Item]:
    if budget.out_of_time():
        yield SourceFailure(member, out_of_time_message(budget.limits))
        return
    if not is_readable(info.filename):
        yield SourceFailure(member, unsupported_message(info.filename))
        return
    limit = budget.limits.max_file_bytes
    if reads_whole(info.filename) and info.file_size > limit:
        yield SourceFailure(member, file_too_large_message(info.file_size, limit))
        return
    suffix, gzipped = kind_of(info.filename)
    try:
        with archive.open(info) as handle:
            if gzipped:
                with gzip.GzipFile(fileobj=handle, mode="rb") as unpacked:
                    yield from iter_stream(unpacked, suffix, member, budget, depth)
            else:
                yield from iter_stream(handle, suffix, member, budget, depth)
    except UNPACK_ERRORS as error:
        yield SourceFailure(member, f"cannot unpack: {error}")


def already_unpacked(used: int, unit: str) -> str:
    return f" (with {used:,} {unit} already unpacked in this import)" if used else ""


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


def kind_of(name: str) -> tuple[str, bool]:
    """The suffix a file is read by, and whether it is gzipped: `dump.jsonl.gz` is
    (".jsonl", True), `page.html` (".html", False)."""
    path = PurePosixPath(name)
    suffix = path.suffix.lower()
    if suffix == GZIP_SUFFIX:
        return PurePosixPath(path.stem).suffix.lower(), True
    return suffix, False


def is_readable(name: str) -> bool:
    """Whether `name` is a kind this module reads (a gzip of a gzip is not)."""
    return kind_of(name)[0] in READABLE_SUFFIXES


def reads_whole(name: str) -> bool:
    """Whether a zip member is read whole (and so counts against the byte limits):
    everything but JSON lines, which are streamed, gzipped or not."""
    suffix, gzipped = kind_of(name)
    return suffix != ".jsonl" and not gzipped


def unsupported_message(name: str) -> str:
    suffix, gzipped = kind_of(name)
    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    inside = " inside gzip" if gzipped else ""
    return f"unsupported file type {suffix or '(none)'!r}{inside}; expected one of {kinds}"


def out_of_time_message(limits: ImportLimits) -> str:
    return (
        f"not read: the import's time budget for reading ({limits.max_seconds:,} seconds) "
        "ran out; import the file again"
    )


def file_too_large_message(size: int | None, limit: int) -> str:
    actual = f"is {size:,} bytes" if size is not None else "is larger than that"
    return f"file {actual}; the limit for one file is {limit:,} bytes"
