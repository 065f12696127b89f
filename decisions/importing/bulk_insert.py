"""The statements `bulk_create` would run for an import's rows, sent the cheap way.

Django's PostgreSQL backend binds parameters on the client (psycopg's ClientCursor):
a batch of 500 decisions becomes one statement of several megabytes, every string
escaped by a regular expression in Python, and Django 5.2 first packs each column into
an array for UNNEST, escaped again. Profiled on 10,000 imports of the bench corpus, that
was 12 s of the import process's 44 s (docs/performance-history.md, "the million"). Here the same
INSERT, with the same columns, values (each field's own `pre_save` and
`get_db_prep_save`, as `bulk_create` calls them) and ON CONFLICT clause, is one
multi-row statement whose parameters are bound by the server: psycopg's C dumpers
encode the values and nothing is escaped. (One statement a row, psycopg's
`executemany`, cost the server measurably more a decision: docs/performance-history.md.)

The rows go through the connection's own transaction, and errors come out as Django's
(DatabaseError, IntegrityError, ...), as they would from `bulk_create`.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# The protocol's limit of bound parameters in one statement (a 16-bit count).
MAX_PARAMETERS = 65_535


def insert_fields(model: type[models.Model]) -> list[models.Field]:
    """The columns `bulk_create` writes for new rows: all but the generated ones and
    the automatic primary key."""
    return [
        field
        for field in model._meta.concrete_fields
        if not getattr(field, "generated", False)
        and not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField))
    ]


def insert_sql(
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: int,
    *,
    unique_fields: Sequence[str] = (),
    update_fields: Sequence[str] = (),
    ignore_conflicts: bool = False,
) -> str:
    """INSERT of `rows` rows ... ON CONFLICT, as Django's compiler writes it."""
    quote = connection.ops.quote_name
    column_of = {field.name: str(field.column) for field in model._meta.concrete_fields}
    columns = ", ".join(quote(str(field.column)) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    values = ", ".join([row] * rows)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}"
    if ignore_conflicts:
        return f"{sql} ON CONFLICT DO NOTHING"
    if update_fields:
        target = ", ".join(quote(column_of[name]) for name in unique_fields)
        updates = ", ".join(
            f"{quote(column)} = EXCLUDED.{quote(column)}"
            for column in (column_of[name] for name in update_fields)
        )
        sql = f"{sql} ON CONFLICT({target}) DO UPDATE SET {updates}"
    return sql


def bulk_insert(
    objs: Sequence[models.Model],
    *,
    unique_fields: Sequence[str] = (),
    update_fields: Sequence[str] = (),
    ignore_conflicts: bool = False,
) -> None:
    """`Model.objects.bulk_create(objs, ...)` for new rows (no primary key set), with the
    values bound by the server. Sets no primary keys on `objs` (the import does not read them)."""
    if not objs:
        return
    model = type(objs[0])
    fields = insert_fields(model)
    # The thread's wrapper itself, not the `connection` proxy: each of the proxy's
    # look-ups goes through asgiref's Local, and a batch makes some 13,000 of them.
    wrapper = connections[DEFAULT_DB_ALIAS]
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, True), wrapper) for field in fields]
        for obj in objs
    ]
    connection.ensure_connection()
    # A plain psycopg cursor binds on the server, whatever the connection's factory.
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        per_statement = MAX_PARAMETERS // len(fields)
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = insert_sql(
                model,
                fields,
                len(chunk),
                unique_fields=unique_fields,
                update_fields=update_fields,
                ignore_conflicts=ignore_conflicts,
            )
            cursor.execute(sql, [value for row in chunk for value in row])
