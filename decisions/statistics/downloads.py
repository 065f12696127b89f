"""Each statistics table as CSV: `/statistics/download.csv?<the page's parameters>&table=NAME`.

The same rows as the page's table (decisions.statistics.report), written as the
decision downloads are (decisions.exports.writers: a byte-order mark for Excel, no
cell a spreadsheet would run as a formula).

The scope note is a first comment line ("# ..."), not a last row: a program reading
the rows would take a sentence for data. pandas (comment="#") and R (comment.char)
skip it; a spreadsheet shows it above the header. Amounts have two decimals
(report.money), so 0.00 sits beside 3500.00.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from decisions.exports.writers import BOM, Line, csv_cell
from decisions.statistics.report import Table

# Written as it is, unquoted, so the line starts with "#": no comma, quote or line
# break in it (a comma would split it into cells for a reader that does not skip it).
SCOPE_NOTE = (
    "Among the decision statements published in this archive only; the Ombudsman's own "
    "statistics count every complaint (those never published too)."
)


def comment_line(text: str) -> str:
    if any(mark in text for mark in ',"\r\n'):
        raise ValueError(f"A CSV comment line cannot hold a comma, quote or line break: {text}")
    return f"# {text}\r\n"


def table_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(Line())
    yield BOM + comment_line(SCOPE_NOTE)
    yield writer.writerow(table.csv_header())
    for row in table.rows:
        yield writer.writerow([csv_cell(cell.csv) for cell in row])
