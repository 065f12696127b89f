"""A corpus of real statements' text, for the import benchmark (`python -m bench import --real-text`).

The generated corpus (bench/corpus/generate.py) has the word statistics of real
statements, but not their characters: curly quotes, non-breaking spaces, the odd control
character; and the import was slower on real text. This corpus repeats the real pages
kept as test fixtures, each copy under a reference of its own (in its text and its URL),
so every record is a new decision, as in a real import.

The pages: `lgo_pages.jsonl` and `seeds/*.txt` of tests/fixtures and, when present, of
the folders in BENCH_REAL_TEXT_DIRS (colon-separated; /work/shared/fixtures by default).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bench import ROOT
from decisions.parsing import ParseError, parse_decision

FOLDERS = [ROOT / "tests" / "fixtures"]
DEFAULT_EXTRA = "/work/shared/fixtures"
# References from 16 000 001 on: years 16 to 25, 999,999 serials a year.
FIRST_YEAR, YEARS, SERIALS = 16, 10, 999_999
VERSION = 1


@dataclass(frozen=True)
class Statement:
    text: str
    url: str | None
    reference: str  # as the page spells it: "24 012 973"


def folders() -> list[Path]:
    extra = os.environ.get("BENCH_REAL_TEXT_DIRS", DEFAULT_EXTRA)
    return FOLDERS + [Path(folder) for folder in extra.split(":") if folder]


def pages(folder: Path) -> Iterator[tuple[str, str | None]]:
    """(text, url) of each real page in `folder`."""
    listing = folder / "lgo_pages.jsonl"
    if listing.is_file():
        for line in listing.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                yield record["text"], record.get("url")
    for seed in sorted((folder / "seeds").glob("*.txt")):
        yield seed.read_text(encoding="utf-8"), None


def real_statements() -> list[Statement]:
    """Every distinct real page whose reference the parser finds, in a stable order."""
    found: dict[str, Statement] = {}
    for folder in folders():
        for text, url in pages(folder):
            if text in found:
                continue
            try:
                reference = parse_decision(text, url=url).reference
            except ParseError:
                continue
            if reference and reference in text:
                found[text] = Statement(text, url, reference)
    return list(found.values())


def reference_of(index: int) -> str:
    if index >= YEARS * SERIALS:
        raise ValueError(f"at most {YEARS * SERIALS:,} unique references")
    year, serial = FIRST_YEAR + index // SERIALS, index % SERIALS + 1
    return f"{year:02d} {serial // 1000:03d} {serial % 1000:03d}"


def records(count: int) -> Iterator[dict[str, str]]:
    """`count` records: the real statements in turn, each under a new reference."""
    statements = real_statements()
    if not statements:
        raise SystemExit(f"no real statements found in {', '.join(map(str, folders()))}")
    for index in range(count):
        statement = statements[index % len(statements)]
        new = reference_of(index)
        record = {"text": statement.text.replace(statement.reference, new)}
        if statement.url:
            old_slug, new_slug = statement.reference.replace(" ", "-"), new.replace(" ", "-")
            record["url"] = statement.url.replace(old_slug, new_slug)
        yield record


def write(count: int, out: TextIO) -> None:
    for record in records(count):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
