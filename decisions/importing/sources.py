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
command and the admin pass `ImportLimits.from_settings(settings)`. The limits are
`decisions.importing.budget`'s; JSON records are read by `.json_records`.
"""

from __future__ import annotations

import gzip
import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:  # any Django storage; this module itself needs no Django
    from django.core.files.storage import Storage

from decisions.importing.budget import (
    MB,
    ImportBudget,
    ImportLimits,
    LimitPassed,
    OutOfTime,
    already_unpacked,
    file_too_large_message,
    out_of_time_message,
    read_whole,
)
from decisions.importing.items import ByteStream, Item, SourceFailure, SourceRecord
from decisions.importing.json_records import iter_json_document, iter_json_lines

# What importing this module gives the readers' callers: the items, the limits, the
# entry points (iter_sources, iter_stored_file) and the kinds of file read.
__all__ = [
    "MB",
    "ImportBudget",
    "ImportLimits",
    "Item",
    "SourceFailure",
    "SourceRecord",
    "is_readable",
    "iter_sources",
    "iter_stored_file",
    "kind_of",
]

PAGE_SUFFIXES = {".txt", ".html", ".htm"}


RECORD_SUFFIXES = {".jsonl", ".json"}


ARCHIVE_SUFFIXES = {".zip"}


READABLE_SUFFIXES = PAGE_SUFFIXES | RECORD_SUFFIXES | ARCHIVE_SUFFIXES


GZIP_SUFFIX = ".gz"  # any readable kind, gzipped: dump.jsonl.gz, page.html.gz


SUPPORTED_SUFFIXES = READABLE_SUFFIXES | {GZIP_SUFFIX}


STDIN = "-"


# zipfile reads a zip's whole central directory into memory when it opens the zip. An
# entry's record there is 46 bytes plus its name and extra fields, so a directory of
# more than this per allowed entry is a bomb of millions of tiny entries, refused unread.
DIRECTORY_BYTES_PER_ENTRY = 1024


UNPACK_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    gzip.BadGzipFile,
    zlib.error,
    EOFError,
    OSError,
    *(RuntimeError, ValueError, NotImplementedError),  # encrypted, bad method
)


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
