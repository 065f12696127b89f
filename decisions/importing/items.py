"""What reading an import's inputs gives: a `SourceRecord` (one page to parse, and
where it came from) or a `SourceFailure` (an input that could not be read, and why).
The readers (decisions.importing.sources, .json_records) make them; the pipeline, the
harvester and re-deriving hand them to `run_import`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


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
