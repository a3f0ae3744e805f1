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

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import Expression, RawSQL

MIN_CHARS = 3


@dataclass(frozen=True)
class TextIndex:
    """The text columns of one table that ``matching`` searches."""

    table: str
    columns: tuple[str, ...]

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
    when ``indexed(query)``, otherwise by a scan of what ``qs`` already selects.

    Nothing is asked of the database here: on SQLite the choice between the FTS5 index and the LIKE is made
    when the queryset's SQL is compiled (``_Contains``), so a queryset built and never read costs nothing."""
    query = query.strip()
    if connection.vendor == "sqlite" and indexed(query):
        return qs.filter(_Contains(index, query))
    return qs.filter(_like(index, query))


def _like(index: TextIndex, query: str) -> Q:
    text = Q()
    for column in index.columns:
        text |= Q(**{f"{column}__icontains": query})
    return text


class _Contains(Expression):
    """SQLite: the rows containing ``query``, from the FTS5 index, or with LIKE when the phrase is in very many
    rows (SQLite would fetch and order every match; the LIKE walking the list's newest-first index finds a page
    of them sooner, measured in bench_search). Both give the same rows.

    The count that decides runs when the SQL is first compiled, once for the queryset and every queryset
    derived from it (a page and its count share the answer)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, index: TextIndex, query: str):
        super().__init__()
        self.index, self.query = index, query
        self.phrase = '"' + query.replace('"', '""') + '"'  # one FTS5 string: a substring, operators inert
        self.sql = f'SELECT rowid FROM "{index.fts_table}" WHERE "{index.fts_table}" MATCH %s'  # noqa: S608
        self.choice: dict[str, bool] = {}  # shared by the copies Django makes of the expression

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.by_index = Q(pk__in=RawSQL(self.sql, (self.phrase,))).resolve_expression(
            query, allow_joins, reuse, summarize
        )
        resolved.by_like = _like(self.index, self.query).resolve_expression(
            query, allow_joins, reuse, summarize
        )
        return resolved

    def get_source_expressions(self):
        return [getattr(self, "by_index", None), getattr(self, "by_like", None)]

    def set_source_expressions(self, exprs):
        self.by_index, self.by_like = exprs

    def as_sql(self, compiler, connection):
        if "common" not in self.choice:
            self.choice["common"] = _common(self.sql, self.phrase)
        return compiler.compile(self.by_like if self.choice["common"] else self.by_index)


# Above this many matches in the whole table, a phrase is searched on SQLite with LIKE (see ``_Contains``).
COMMON = 20_000


def _common(sql: str, phrase: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT {COMMON + 1})", (phrase,))  # noqa: S608
        return cursor.fetchone()[0] > COMMON


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
    remove = f'INSERT INTO "{fts}"("{fts}", rowid, {cols}) VALUES (\'delete\', old.id, {old_values});'
    add = f'INSERT INTO "{fts}"(rowid, {cols}) VALUES (new.id, {new_values});'
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", (f"{fts}_a_",)
        )
        complete = cursor.fetchone()[0] == 3
        cursor.execute(
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({cols}, '
            f"content='{index.table}', content_rowid='id', tokenize='trigram')"
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
