"""What every benchmark shares: a database of its own, freshly migrated, and a table printer.

Nothing here imports Django models at module level: ``configure`` must run before ``django.setup()``.
"""

import os
import resource
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PG_URL = "postgres://postgres:postgres@127.0.0.1:5432/jianfu_bench"


@dataclass
class Context:
    """Where this run keeps its files and databases."""

    workdir: Path
    postgres_url: str = ""  # empty: SQLite
    keep: bool = False
    created_databases: list[str] = field(default_factory=list)

    @property
    def backend(self) -> str:
        return "PostgreSQL" if self.postgres_url else "SQLite"


def configure(*, postgres_url: str = "", keep: bool = False) -> Context:
    """Point Django at a scratch database before ``django.setup()``; never at the project's own var/ file."""
    workdir = Path(tempfile.mkdtemp(prefix="jianfu-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")
    # Time what production runs: no DEBUG query log (CaptureQueriesContext turns it on where we count).
    os.environ.setdefault("JIANFU_DEBUG", "0")
    if postgres_url:
        os.environ["DATABASE_URL"] = _with_database(postgres_url, "jianfu_bench_bootstrap")
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["JIANFU_SQLITE"] = str(workdir / "bootstrap.sqlite3")
    return Context(workdir=workdir, postgres_url=postgres_url, keep=keep)


def fresh_database(ctx: Context, label: str) -> None:
    """Switch the default connection to a new, empty database and migrate it."""
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    if ctx.postgres_url:
        name = pg_name(
            f"jianfu_bench_{label}"
        )  # never the URL's own database: only its server and credentials
        _recreate_pg_database(ctx.postgres_url, name)
        ctx.created_databases.append(name)
        connection.settings_dict["NAME"] = name
    else:
        path = ctx.workdir / f"{label}.sqlite3"
        for leftover in ctx.workdir.glob(f"{label}.sqlite3*"):
            leftover.unlink()
        connection.settings_dict["NAME"] = path
    call_command("migrate", verbosity=0, interactive=False)


def database_version() -> str:
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


def cleanup(ctx: Context) -> None:
    from django.db import connection

    connection.close()
    if ctx.keep:
        print(f"(kept {ctx.workdir} and databases {ctx.created_databases})")
        return
    shutil.rmtree(ctx.workdir, ignore_errors=True)
    for name in ctx.created_databases:
        _drop_pg_database(ctx.postgres_url, name)


def pg_name(name: str) -> str:
    """A scratch database's name on the server, after $JIANFU_BENCH_DB_PREFIX: sessions sharing one server
    (each its own prefix) never drop each other's bench databases."""
    return os.environ.get("JIANFU_BENCH_DB_PREFIX", "") + name


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str):
    import psycopg

    return psycopg.connect(
        _with_database(url, "postgres").replace("postgres://", "postgresql://", 1), autocommit=True
    )


def _recreate_pg_database(url: str, name: str) -> None:
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_pg_database(url: str, name: str) -> None:
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Table:
    """metric | value | target | met? — printed in fixed-width columns (CJK counted double).

    Every table made in this process is kept in ``Table.made``, so ``python -m bench`` ends with one summary
    of every figure that has a target or an anchor (``summary``)."""

    HEADER = ("metric", "value", "target", "met?")
    made: "list[Table]" = []

    def __init__(self, title: str):
        self.title = title
        self.rows: list[tuple[str, str, str, str]] = []
        Table.made.append(self)

    def add(self, metric: str, value: str, target: str = "—", met: bool | None = None) -> None:
        self.rows.append((metric, value, target, "—" if met is None else ("yes" if met else "NO")))

    def render(self) -> str:
        rows = [self.HEADER, *self.rows]
        widths = [max(_width(r[i]) for r in rows) for i in range(4)]
        line = "+".join("-" * (w + 2) for w in widths)
        out = [self.title, line]
        for n, row in enumerate(rows):
            out.append("|".join(f" {_pad(cell, w)} " for cell, w in zip(row, widths, strict=True)))
            if n == 0:
                out.append(line)
        out.append(line)
        return "\n".join(out)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


ROWS_FILE_ENV = "JIANFU_BENCH_ROWS_FILE"


def save_tables(path: str) -> None:
    """Write this process's tables as JSON (a benchmark run in a child process hands its rows back)."""
    import json

    Path(path).write_text(json.dumps([{"title": t.title, "rows": t.rows} for t in Table.made]))


def load_tables(path: str) -> None:
    """Take a child process's tables (``save_tables``) into this process's ``Table.made``."""
    import json

    for saved in json.loads(Path(path).read_text()):
        table = Table(saved["title"])
        table.rows = [tuple(row) for row in saved["rows"]]


def summary() -> Table:
    """One table of every figure beside its target or anchor, from every table this run made, met or not."""
    made = list(Table.made)
    out = Table("Summary — every figure with a target or an anchor, from each benchmark above")
    met = missed = 0
    for table in made:
        bench = table.title.split(" — ")[0].split(":")[0]
        for metric, value, target, verdict in table.rows:
            if target == "—" and verdict == "—":
                continue
            out.rows.append((f"{bench} · {metric}", value, target, verdict))
            met += verdict == "yes"
            missed += verdict == "NO"
    out.rows.append(("targets met / not met", f"{met} / {missed}", "—", "—"))
    Table.made.remove(out)
    return out
