"""The full-text search index: SQLite FTS5 embedded, a stored tsvector with GIN at scale.

No model describes these tables: episodes/search.py reads and writes them in SQL,
and only the statements for the running database vendor are executed.
"""

from django.db import migrations

SQLITE_FORWARD = [
    # Where each indexed row comes from; rowid-aligned with the FTS5 table below so a
    # reindex can delete by source through an ordinary index instead of scanning FTS5.
    """CREATE TABLE search_meta (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        source_id INTEGER NOT NULL,
        episode_id INTEGER NOT NULL,
        segment_start REAL
    )""",
    "CREATE INDEX search_meta_source ON search_meta (kind, source_id)",
    "CREATE INDEX search_meta_episode ON search_meta (episode_id)",
    """CREATE VIRTUAL TABLE search_document USING fts5(
        title, body, tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_document", "DROP TABLE IF EXISTS search_meta"]

POSTGRES_FORWARD = [
    """CREATE TABLE search_document (
        id bigserial PRIMARY KEY,
        kind varchar(10) NOT NULL,
        source_id bigint NOT NULL,
        episode_id bigint NOT NULL REFERENCES episodes_episode (id) ON DELETE CASCADE,
        segment_start double precision,
        title text NOT NULL DEFAULT '',
        body text NOT NULL DEFAULT '',
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig, title), 'A')
            || setweight(to_tsvector('english'::regconfig, body), 'B')
        ) STORED
    )""",
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
    "CREATE INDEX search_document_source ON search_document (kind, source_id)",
    "CREATE INDEX search_document_episode ON search_document (episode_id)",
]
POSTGRES_BACKWARD = ["DROP TABLE IF EXISTS search_document"]


def run(statements_by_vendor: dict[str, list[str]]):
    def operation(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("episodes", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
