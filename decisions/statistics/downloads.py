"""Each statistics table as CSV: `/statistics/download.csv?<the page's parameters>&table=NAME`.

The same rows as the page's table (decisions.statistics.report), written as the
decision downloads are (decisions.exports.writers: a byte-order mark for Excel, no
cell a spreadsheet would run as a formula).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from decisions.exports.writers import BOM, Line, csv_cell
from decisions.statistics.report import Table

SCOPE_NOTE = (
    "Among the decision statements published in this archive; the Ombudsman's own "
    "statistics count every complaint, including those never published."
)


def table_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(Line())
    header = table.csv_header()
    yield BOM + writer.writerow(header)
    for row in table.rows:
        yield writer.writerow([csv_cell(cell.csv) for cell in row])
    padding = [""] * (len(header) - 1)
    yield writer.writerow([SCOPE_NOTE, *padding])
