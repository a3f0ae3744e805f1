"""Text search over a large table without reading all of it: "事项或描述 contains 这几个字".

Chinese has no spaces between words, so word-based full-text search would need a segmenter and would still
miss a substring a person remembers; substring matching on character trigrams is the honest choice:

- **PostgreSQL:** ``pg_trgm`` GIN indexes on ``UPPER(column::text)``: exactly the expression Django writes
  for ``__icontains``, so the ordinary ``icontains`` lookup is answered from the index.
- **SQLite:** an FTS5 table with the ``trigram`` tokenizer (SQLite ≥ 3.34) over the same columns, an
  external-content table kept in step with the base table by triggers (so every writer, the ORM, a bulk
  insert or raw SQL, updates it in the same transaction), asked with ``MATCH``.

Both need at least ``MIN_CHARS`` (3) characters: a trigram index has nothing to look up for one or two.
What a shorter query does is the caller's decision (the monitoring lists search the newest rows only and say
so; see docs/scale.md "Text search").

The search only narrows a queryset the caller has already scoped to the user: it never widens it.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, StrIndex, Upper
from django.db.models.lookups import GreaterThan

MIN_CHARS = 3


@dataclass(frozen=True)
class TextIndex:
    """The text columns of one table that ``matching`` searches."""

    table: str
    columns: tuple[str, ...]
    key: str = "id"  # the integer primary key the SQLite FTS table's rowid follows

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"


_REGISTERED: list[TextIndex] = []


def register(index: TextIndex) -> TextIndex:
    """Apps declare their indexes here (from their models module) so ``ensure_all`` can repair them."""
    if index not in _REGISTERED:
        _REGISTERED.append(index)
    return index


def indexed(query: str) -> bool:
    """Whether ``query`` is long enough for the trigram index."""
    return len(query.strip()) >= MIN_CHARS


def matching(qs, index: TextIndex, query: str):
    """``qs`` narrowed to the rows whose ``index.columns`` contain ``query`` (case-insensitive); from the index
    when ``indexed(query)`` and the phrase is not frequent among the newest rows, otherwise by testing each
    row ``qs`` walks (its own order, so a page of a frequent phrase is found after a few hundred rows)."""
    query = query.strip()
    if not indexed(query):
        return qs.filter(_like(index, query))
    if _frequent(qs, index, query):
        # A phrase in very many rows (one event in five has "危房改造档案"): the index would hand back every
        # match — hundreds of thousands — to be fetched and sorted before the first page; walking the list's
        # newest-first index and testing each row fills a page after a few hundred (measured: bench_search).
        return qs.filter(_scan(index, query))
    if connection.vendor == "sqlite":
        phrase = '"' + query.replace('"', '""') + '"'  # one FTS5 string: a substring, operators inert
        sql = f'SELECT rowid FROM "{index.fts_table}" WHERE "{index.fts_table}" MATCH %s'  # noqa: S608
        return qs.filter(pk__in=RawSQL(sql, (phrase,)))
    return qs.filter(_like(index, query))  # PostgreSQL: Django's own icontains SQL is what the GIN indexes


def _like(index: TextIndex, query: str) -> Q:
    text = Q()
    for column in index.columns:
        text |= Q(**{f"{column}__icontains": query})
    return text


def _scan(index: TextIndex, query: str) -> Q:
    """The same test as ``_like`` in a form no trigram index answers (``strpos``/``instr`` of the upper-cased
    text), so PostgreSQL walks the list's order instead of collecting every match from the GIN index first."""
    text = Q()
    for column in index.columns:
        text |= Q(GreaterThan(StrIndex(Upper(Cast(column, TextField())), Upper(Value(query))), 0))
    return text


# How many of a list's newest rows are looked at to decide whether a phrase is frequent, and how many of them
# must contain it: at least a page's worth (50) in 2,000 (one row in 40).
PROBE, FREQUENT = 2_000, 51


def _frequent(qs, index: TextIndex, query: str) -> bool:
    """Whether ``query`` is in at least FREQUENT of the newest PROBE rows of ``qs`` (in its own order: one
    short walk of the list's index, the same for any size of table)."""
    newest = qs.values(*index.columns)[:PROBE]
    try:
        sql, params = newest.query.sql_with_params()
    except EmptyResultSet:  # a scope that reads nothing (``none()``): nothing is frequent in it
        return False
    found = " OR ".join(f'UPPER(CAST(newest."{c}" AS TEXT)) LIKE UPPER(%s)' for c in index.columns)
    if connection.vendor == "sqlite":
        found = " OR ".join(f"newest.\"{c}\" LIKE %s ESCAPE '\\'" for c in index.columns)
    pattern = "%" + connection.ops.prep_for_like_query(query) + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM ({sql}) newest WHERE {found} LIMIT {FREQUENT}) hits",  # noqa: S608
            (*params, *[pattern] * len(index.columns)),
        )
        return cursor.fetchone()[0] >= FREQUENT


# Creating and repairing the indexes (called by migrations and after every migrate) ---------------------


def create(schema_editor, index: TextIndex) -> None:
    """Create the index for ``index`` on this database (idempotent); on SQLite fill it from the table."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in index.columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_pg_index_name(index, column)}" ON "{index.table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )
    elif vendor == "sqlite":
        _sqlite_create(schema_editor.connection, index)


def drop(schema_editor, index: TextIndex) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for column in index.columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_pg_index_name(index, column)}"')
    elif vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{index.fts_table}_{suffix}"')
            cursor.execute(f'DROP TABLE IF EXISTS "{index.fts_table}"')


def ensure_all(using: str = "default", **_kwargs) -> None:
    """After every migrate on SQLite: put back triggers a table rebuild dropped. Django's SQLite schema editor
    alters a table by copying it to a new one and dropping the old, which takes the triggers with it; the
    FTS table would then silently stop following edits. Recreated here, and refilled when they were missing."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    existing = set(conn.introspection.table_names())
    for index in _REGISTERED:
        if index.table in existing and index.fts_table in existing:
            _sqlite_create(conn, index)


def _pg_index_name(index: TextIndex, column: str) -> str:
    return f"{index.table}_{column}_trgm"[:63]


def _sqlite_create(conn, index: TextIndex) -> None:
    fts, cols = index.fts_table, ", ".join(index.columns)
    new_values = ", ".join(f"new.{c}" for c in index.columns)
    old_values = ", ".join(f"old.{c}" for c in index.columns)
    remove = (
        f'INSERT INTO "{fts}"("{fts}", rowid, {cols}) VALUES (\'delete\', old.{index.key}, {old_values});'
    )
    add = f'INSERT INTO "{fts}"(rowid, {cols}) VALUES (new.{index.key}, {new_values});'
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", (f"{fts}_a_",)
        )
        complete = cursor.fetchone()[0] == 3
        cursor.execute(
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({cols}, '
            f"content='{index.table}', content_rowid='{index.key}', tokenize='trigram')"
        )
        cursor.execute(
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ai" AFTER INSERT ON "{index.table}" BEGIN {add} END'
        )
        cursor.execute(
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ad" AFTER DELETE ON "{index.table}" BEGIN {remove} END'
        )
        cursor.execute(
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_au" AFTER UPDATE OF {cols} ON "{index.table}" '
            f"BEGIN {remove} {add} END"
        )
        if not complete:  # new, or its triggers were lost: the FTS table no longer matches the rows
            cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')
