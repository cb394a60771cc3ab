"""The database itself refusing rows: a real failure at the process boundary, no code patched."""

from django.db import connection


def refuse_inserts(table: str, column: str, containing: str) -> None:
    """Until the test's transaction ends, the database refuses (IntegrityError) every row
    inserted into `table` whose `column` contains `containing`, as a full disk would."""
    like = "'%" + containing.replace("'", "''") + "%'"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {table} WHEN NEW.{column} LIKE {like} "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
            return
        cursor.execute(
            "CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER refuse BEFORE INSERT ON {table} FOR EACH ROW "
            f"WHEN (NEW.{column} LIKE {like}) EXECUTE FUNCTION refuse_row()"
        )
