"""Writing download rows as CSV or JSON lines, a line at a time, for a streamed response.

CSV is written for a spreadsheet: UTF-8 with a byte-order mark (without it Excel reads
UTF-8 as Windows-1252, and "£" comes out as "Â£"), and no cell a spreadsheet would run
as a formula (OWASP, "CSV Injection": a cell starting with = + - @, a tab or a carriage
return gets a leading apostrophe, which Excel and LibreOffice show as text).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from decisions.exports.rows import Stopped, payments_text

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Line:
    """A file-like object whose write() returns what it was given: csv.writer then
    hands back each line for the response to stream (Django's documented pattern)."""

    def write(self, value: str) -> str:
        return value


def neutralised(value: str) -> str:
    """`value`, made safe to open in a spreadsheet."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):  # the payments
        return neutralised(payments_text(value))
    return neutralised(str(value))


def csv_lines(columns: Sequence[str], rows: Iterable[dict[str, Any] | Stopped]) -> Iterator[str]:
    """The CSV file: the BOM and header row, a line a row, and when the download was cut
    short a last row saying so (in the first column, so it is seen in a spreadsheet)."""
    writer = csv.writer(Line())
    yield BOM + writer.writerow(columns)
    for row in rows:
        if isinstance(row, Stopped):
            yield writer.writerow([row.message] + [""] * (len(columns) - 1))
        else:
            yield writer.writerow([csv_cell(row[name]) for name in columns])


def jsonl_lines(rows: Iterable[dict[str, Any] | Stopped]) -> Iterator[str]:
    """JSON lines: an object a decision; when the download was cut short, a last object
    {"stopped": true, "written": N, "matching": "M", "message": ...}."""
    for row in rows:
        if isinstance(row, Stopped):
            line = {
                "stopped": True,
                "written": row.written,
                "matching": row.matching,
                "message": row.message,
            }
        else:
            line = row
        yield json.dumps(line, ensure_ascii=False) + "\n"
