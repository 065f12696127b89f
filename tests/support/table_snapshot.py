"""The rows an import wrote, copied out once and copied back into each test's database.

Importing the 56 bundled samples through the real pipeline takes about a second; copying
the rows it wrote back in with COPY takes a few milliseconds. tests/conftest.py imports
once per session (inside a transaction it rolls back) and restores the rows for every
test that asks for `sample_decisions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

# Every table the import writes, parents before children (the foreign keys are deferred,
# but a table read in this order is also one a reader can follow).
IMPORT_TABLES = (
    "decisions_organisation",
    "decisions_category",
    "decisions_importrun",
    "decisions_decision",
    "decisions_capture",
)
# Written by triggers as the rows above are (decisions.search.syncing): copying the rows
# in writes them again, so they are not copied themselves.
DERIVED_TABLES = ("decisions_searchchange",)


@dataclass(frozen=True)
class TableCopy:
    table: str
    columns: tuple[str, ...]  # the stored ones: a generated column is computed again
    data: bytes  # COPY's binary format


def row_counts() -> dict[str, int]:
    """The number of rows in every table of the public schema."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def stored_columns(table: str) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'"
            " ORDER BY ordinal_position",
            [table],
        )
        return tuple(name for (name,) in cursor.fetchall())


def column_list(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{name}"' for name in columns)


def copy_out(tables: tuple[str, ...] = IMPORT_TABLES) -> list[TableCopy]:
    """Every row of `tables`, as this connection sees them (uncommitted ones included)."""
    copies = []
    with connection.cursor() as cursor:
        for table in tables:
            columns = stored_columns(table)
            data = bytearray()
            sql = f'COPY "{table}" ({column_list(columns)}) TO STDOUT (FORMAT BINARY)'
            with cursor.cursor.copy(sql) as copy:
                for chunk in copy:
                    data += chunk
            copies.append(TableCopy(table, columns, bytes(data)))
    return copies


def copy_in(copies: list[TableCopy]) -> None:
    """Write the copied rows back, and move each table's id sequence past its largest id
    so that rows a test creates afterwards never collide with them.

    COPY FROM fires the tables' triggers as an INSERT does, so the archive's generation
    (decisions/search/whole_archive.py) moves on as after a real import.
    """
    with connection.cursor() as cursor:
        for copy_of in copies:
            table = copy_of.table
            sql = f'COPY "{table}" ({column_list(copy_of.columns)}) FROM STDIN (FORMAT BINARY)'
            with cursor.cursor.copy(sql) as copy:
                copy.write(copy_of.data)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM \"{table}\""
                " HAVING max(id) IS NOT NULL",
                [table],
            )
