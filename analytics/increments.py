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
