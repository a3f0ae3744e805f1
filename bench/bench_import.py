"""Benchmark 1: import a province's division list (20,000 villages) from .xlsx, then re-import it unchanged.

Times ``jianfu.orgs.imports.import_regions`` end to end: reading the workbook, checking every row and
writing in one transaction. Memory is measured on a separate import into its own fresh database, under
tracemalloc (which slows Python down, so that run is not timed): the peak of Python allocations during
the import. The process's peak RSS (ru_maxrss) is shown as well.
"""

import gc
import time
import tracemalloc
from pathlib import Path

from . import datagen
from .harness import Context, Table, database_version, fresh_database, peak_rss_mb

TARGET_SECONDS = 30.0


def generate(ctx: Context, villages: int) -> tuple[Path, list]:
    rows = datagen.region_rows(villages)
    path = datagen.write_regions_xlsx(ctx.workdir / f"regions_{villages}.xlsx", rows)
    return path, rows


def import_file(path: Path):
    from jianfu.orgs.imports import import_regions

    with path.open("rb") as fileobj:
        started = time.perf_counter()
        result = import_regions(actor=None, fileobj=fileobj, filename=path.name)
        return result, time.perf_counter() - started


def read_times(path: Path) -> tuple[float, float]:
    """Seconds to read the file's rows with openpyxl's read-only cells (the reader before) and with the
    direct XML reader ``core.excel.read_sheet`` uses now; best of 3 each, the same rows checked. CPU time of
    this process (the reading is single-threaded Python): on a shared machine the wall clock counts other
    people's processes too."""
    from jianfu.core.excel import _read_with_openpyxl, read_sheet
    from jianfu.orgs.imports import COLUMNS

    columns = COLUMNS["regions"]
    best = {}
    for name, read in (
        ("openpyxl", lambda f: _read_with_openpyxl(f, columns, columns, None)),
        ("direct", lambda f: read_sheet(f, columns, read=columns)),
    ):
        times = []
        for _ in range(3):
            with path.open("rb") as fileobj:
                started = time.process_time()
                rows = read(fileobj)
                times.append(time.process_time() - started)
        best[name] = (min(times), rows)
    assert best["openpyxl"][1] == best["direct"][1], "the two readers disagree"
    return best["openpyxl"][0], best["direct"][0]


def traced_peak_mb(ctx: Context, path: Path) -> float:
    """Peak Python allocations while importing into a fresh database."""
    fresh_database(ctx, f"mem_{path.stem}")
    gc.collect()
    tracemalloc.start()
    try:
        import_file(path)
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def run(ctx: Context, *, villages: int) -> Table:
    """Leaves the imported data in place for the list benchmark."""
    from jianfu.orgs.models import Level, Region

    path, rows = generate(ctx, villages)
    counts = datagen.counts_by_level(rows)
    traced_mb = traced_peak_mb(ctx, path)
    fresh_database(ctx, f"v{villages}")
    gc.collect()
    first, first_seconds = import_file(path)
    again, again_seconds = import_file(path)
    stored = Region.objects.count()

    table = Table(f"Import of a province division list — {ctx.backend}")
    shape = " / ".join(f"{counts.get(level, 0):,} {Level(level).label}" for level in Level.values)
    table.add("database", database_version())
    table.add("rows in file", f"{len(rows):,} ({shape})")
    table.add("file size", f"{path.stat().st_size / 1024 / 1024:.2f} MB")
    read_before, read_after = read_times(path)
    table.add(
        "read the workbook (CPU time): openpyxl's cells (before) → the sheet's XML (after)",
        f"{read_before:.2f} s → {read_after:.2f} s ({read_before / read_after:.1f}× faster)",
        "anchor 1.21 s (openpyxl, #23)",
    )
    table.add(
        "first import: time",
        f"{first_seconds:.2f} s",
        f"< {TARGET_SECONDS:.0f} s (anchor 1.93–2.26 s before)",
        first_seconds < TARGET_SECONDS,
    )
    table.add("first import: rows/s", f"{len(rows) / first_seconds:,.0f}")
    table.add(
        "first import: result",
        f"created {first.created:,}, updated {first.updated}, unchanged {first.unchanged}",
        f"created {len(rows):,}",
        first.created == len(rows) == stored,
    )
    table.add("import: peak Python memory (tracemalloc)", f"{traced_mb:.0f} MB")
    table.add("peak RSS of the whole process so far", f"{peak_rss_mb():.0f} MB")
    table.add(
        "re-import (unchanged): time",
        f"{again_seconds:.2f} s",
        f"< {TARGET_SECONDS:.0f} s",
        again_seconds < TARGET_SECONDS,
    )
    table.add(
        "re-import: result",
        f"created {again.created}, updated {again.updated}, unchanged {again.unchanged:,}",
        "all unchanged",
        again.unchanged == len(rows) and not (again.created or again.updated),
    )
    return table
