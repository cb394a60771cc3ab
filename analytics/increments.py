"""Adding to daily counters in one statement per table: INSERT … ON CONFLICT DO UPDATE.

The same SQL runs on SQLite (3.24+) and PostgreSQL. Increments, not recounts:
the raw events behind an aggregate are deleted after a few days, the
aggregates are kept forever, and a batch is applied once (ProcessedBatch).
On PostgreSQL the rows go in by COPY to a temporary table and then in one
INSERT … SELECT: a statement per row cost most of the aggregation's time.
"""

from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Model

# How a column merges with the row already there.
ADD = "add"
MAX = "max"


def add_rows(
    model: type[Model],
    keys: Sequence[str],
    values: dict[str, str],
    rows: list[tuple],
) -> None:
    """Insert rows of (*keys, *values), adding each value column to an existing row's.

    `values` maps a column to ADD or MAX (MAX keeps the larger, ignoring NULL).
    An existing row is the one with the same fields of the model's unique constraint.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    merges = ", ".join(
        merge(table, quote(model._meta.get_field(n).column), how) for n, how in values.items()
    )
    conflict = f"ON CONFLICT ({', '.join(unique_columns(model))}) DO UPDATE SET {merges}"
    write_rows(model, (*keys, *values), rows, conflict)


def unique_columns(model: type[Model]) -> list[str]:
    """The quoted columns of the model's unique constraint."""
    [constraint] = [c for c in model._meta.constraints if getattr(c, "fields", None)]
    return [connection.ops.quote_name(model._meta.get_field(n).column) for n in constraint.fields]


def merge(table: str, column: str, how: str) -> str:
    new, old = f"EXCLUDED.{column}", f"{table}.{column}"
    if how == ADD:
        return f"{column} = {old} + {new}"
    # Portable GREATEST that ignores NULL (SQLite's max() returns NULL for any NULL).
    return f"{column} = CASE WHEN {new} IS NULL OR ({old} IS NOT NULL AND {old} >= {new}) THEN {old} ELSE {new} END"


def insert_rows(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """Insert plain rows of `fields`: COPY on PostgreSQL, one executemany elsewhere.

    bulk_create prepares every value through its field, which costs more than the
    database's own work for the millions of raw events a busy show makes.
    """
    if not rows:
        return
    table, columns = names(model, fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_rows(cursor, table, columns, rows)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        prepared = prepare(model, fields, rows)
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)


def upsert_rows(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """Insert rows, or overwrite the other fields of the row with the same unique key."""
    if not rows:
        return
    unique = unique_columns(model)
    columns = [connection.ops.quote_name(model._meta.get_field(name).column) for name in fields]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in unique)
    write_rows(model, fields, rows, f"ON CONFLICT ({', '.join(unique)}) DO UPDATE SET {updates}")


def write_rows(model: type[Model], fields: Sequence[str], rows: list[tuple], conflict: str) -> None:
    """INSERT rows of `fields` with an ON CONFLICT clause; no two rows may share a unique key.

    PostgreSQL: COPY to a temporary table, then one INSERT … SELECT from it.
    Elsewhere: one executemany.
    """
    table, columns = names(model, fields)
    prepared = prepare(model, fields, rows)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            values = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({values}) {conflict}"
            cursor.executemany(sql, prepared)
            return
        staged = connection.ops.quote_name(f"staged_{model._meta.db_table}")
        with transaction.atomic():  # on an error, rolling back takes the table away too
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staged} AS SELECT {columns} FROM {table} LIMIT 0"
            )
            copy_rows(cursor, staged, columns, prepared)
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT * FROM {staged} {conflict}")
            cursor.execute(f"DROP TABLE {staged}")


def names(model: type[Model], fields: Sequence[str]) -> tuple[str, str]:
    """The model's quoted table name and the quoted columns of `fields`, comma-separated."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    return quote(model._meta.db_table), columns


def copy_rows(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    """PostgreSQL's COPY FROM STDIN: the fastest way in for many rows."""
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def prepare(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> list[tuple]:
    """Values as the database driver takes them (dates on SQLite, JSON everywhere)."""
    model_fields = [model._meta.get_field(name) for name in fields]
    if connection.vendor == "postgresql":
        json_at = [i for i, f in enumerate(model_fields) if f.get_internal_type() == "JSONField"]
        for i in json_at:
            rows = [(*row[:i], model_fields[i].get_db_prep_save(row[i], connection), *row[i + 1 :])
                    for row in rows]  # fmt: skip
        return rows
    return [
        tuple(f.get_db_prep_save(v, connection) for f, v in zip(model_fields, row, strict=True))
        for row in rows
    ]
