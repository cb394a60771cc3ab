"""Adding to daily counters in one statement per table: INSERT … ON CONFLICT DO UPDATE.

The same SQL runs on SQLite (3.24+) and PostgreSQL. Increments, not recounts:
the raw events behind an aggregate are deleted after a few days, the
aggregates are kept forever, and a batch is applied once (ProcessedBatch).
"""

from collections.abc import Sequence

from django.db import connection
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
    columns = [model._meta.get_field(name).column for name in (*keys, *values)]
    placeholders = ", ".join(["%s"] * len(columns))
    merges = ", ".join(
        merge(table, quote(model._meta.get_field(n).column), how) for n, how in values.items()
    )
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES ({placeholders}) "
        f"ON CONFLICT ({', '.join(quote(c) for c in unique_columns(model))}) DO UPDATE SET {merges}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def unique_columns(model: type[Model]) -> list[str]:
    [constraint] = [c for c in model._meta.constraints if getattr(c, "fields", None)]
    return [model._meta.get_field(name).column for name in constraint.fields]


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
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        prepared = prepare(model, fields, rows)
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)


def upsert_rows(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """Insert rows, or overwrite the other fields of the row with the same unique key."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(model._meta.get_field(name).column) for name in fields]
    unique = [quote(c) for c in unique_columns(model)]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in unique)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({', '.join(unique)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepare(model, fields, rows))


def prepare(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> list[tuple]:
    """Values as the database driver takes them (dates on SQLite, JSON everywhere)."""
    model_fields = [model._meta.get_field(name) for name in fields]
    if connection.vendor == "postgresql":
        json_at = [i for i, f in enumerate(model_fields) if f.get_internal_type() == "JSONField"]
        if not json_at:
            return rows
        return [
            tuple(
                model_fields[i].get_db_prep_save(v, connection) if i in json_at else v
                for i, v in enumerate(row)
            )
            for row in rows
        ]
    return [
        tuple(f.get_db_prep_save(v, connection) for f, v in zip(model_fields, row, strict=True))
        for row in rows
    ]
