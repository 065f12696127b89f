"""What cannot be a decision, refused when it is uploaded rather than failed by the worker.

An admin upload is checked file by file (its name and its first bytes) before it is
stored: an empty file, an image or an unknown kind is refused with the reason, by name,
and the upload's other files still import (decisions.importing.uploads). The worker
would fail them anyway, but later, and with a less useful message. A file that passes
may still fail in the worker (a text page that is no decision): only what is certain
from the name and the first bytes is refused here.
"""

from __future__ import annotations

from typing import Protocol

from decisions.importing.sources import ARCHIVE_SUFFIXES, kind_of, unsupported_message

# Enough to recognise any signature below and a NUL byte in the first lines of text.
HEAD_BYTES = 4096

# The formats people upload by mistake, by their first bytes ("magic numbers",
# https://en.wikipedia.org/wiki/List_of_file_signatures), named as a person knows them.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x1f\x8b", "a gzip file"),
    (b"\x7fELF", "a program"),
)
# Not "MZ" (Windows programs): two letters a page could start with. A program has NUL
# bytes, which content_refusal refuses as binary data anyway.
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
GZIP_SIGNATURE = b"\x1f\x8b"


class Upload(Protocol):
    """What screening reads of an uploaded file (Django's UploadedFile has it)."""

    name: str | None
    size: int | None

    def open(self, mode: str | None = None) -> object: ...
    def read(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...


def refusal(upload: Upload) -> str | None:
    """Why `upload` cannot be a decision file, or None when it may be one."""
    name = upload.name or ""
    if not upload.size:
        return "the file is empty"
    suffix, gzipped = kind_of(name)
    if not name or suffix not in ARCHIVE_SUFFIXES | TEXT_SUFFIXES:
        return unsupported_message(name)
    return content_refusal(head_of(upload), suffix, gzipped)


# Kinds read as text: pages and JSON records (decisions.importing.sources).
TEXT_SUFFIXES = {".txt", ".html", ".htm", ".jsonl", ".json"}


def head_of(upload: Upload) -> bytes:
    """The first bytes of the upload, leaving it at its start for storing."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def content_refusal(head: bytes, suffix: str, gzipped: bool) -> str | None:
    """Why bytes starting with `head` cannot be a file of this kind, or None."""
    if gzipped:
        if head.startswith(GZIP_SIGNATURE):
            return None
        return f"the name ends in .gz but this is {what_it_is(head)}, not a gzip file"
    if suffix in ARCHIVE_SUFFIXES:
        if head.startswith(ZIP_SIGNATURES):
            return None
        return f"the name ends in .zip but this is {what_it_is(head)}, not a zip archive"
    known = signature_of(head)
    if known is not None:
        return f"this is {known}, not a decision page or record (the name ends in {suffix})"
    if b"\x00" in head:
        return f"this is binary data, not text (the name ends in {suffix})"
    return None


def signature_of(head: bytes) -> str | None:
    return next((what for magic, what in SIGNATURES if head.startswith(magic)), None)


def what_it_is(head: bytes) -> str:
    known = signature_of(head)
    if known is not None:
        return known
    return "binary data" if b"\x00" in head else "text"
