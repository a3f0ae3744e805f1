"""Benchmark: schedules from the annual form list at a province's scale (issue 20).

1. Opening one period of 30 listed monthly forms for every village of a province (20,000): ``periods_open``,
   the function the daily job runs. Target: under 30 s.
2. The reporting-rate report (``selectors.reporting_rates``) for a province-wide user over one form's 12 monthly
   periods for those villages (240,000 tasks, four in five reported), listed one level down (by prefecture), as
   the page shows a province's office. Target: p50 under 300 ms. Read from the
   rollup the services keep (rebuilt once here, since the bench marks tasks reported around the services), and
   counted live from the task table in the same run for comparison; the table says whether the two agree.

    python -m bench.bench_schedules [--villages 20000] [--forms 30] [--requests 20] [--postgres URL]
"""

import argparse
import os
import random
import sys
import time
from datetime import date

from .harness import DEFAULT_PG_URL, Table, cleanup, configure, fresh_database, peak_rss_mb, percentile

OPEN_TARGET_S = 30.0
REPORT_TARGET_MS = 300.0
YEAR = 2026


def _regions(villages: int):
    from jianfu.orgs.models import Region

    from .datagen import region_rows

    ids: dict[str, int] = {}
    rows = region_rows(villages)
    for level in range(1, 6):
        made = Region.objects.bulk_create(
            [
                Region(code=code, name=name, level=lvl, kind=kind, parent_id=ids.get(parent))
                for code, name, lvl, kind, parent in rows
                if lvl == level
            ],
            batch_size=2000,
        )
        ids.update({r.code: r.pk for r in made})
    return Region.objects.get(level=1)


def _forms(province, n: int) -> list:
    from jianfu.forms.models import DepartmentForm
    from jianfu.orgs.models import Department

    department = Department.objects.create(name="省人力资源和社会保障厅", region=province)
    return DepartmentForm.objects.bulk_create(
        [
            DepartmentForm(
                department=department,
                region=province,
                year=YEAR,
                number=f"TB-BENCH-{k:03d}",
                name=f"基准月报表{k}",
                legal_basis="基准",
                frequency="monthly",
                status="approved",
            )
            for k in range(1, n + 1)
        ]
    )


def _reader(province):
    from jianfu.orgs import services
    from jianfu.orgs.roles import Role

    user = services.user_create(
        actor=None,
        username="bench_office",
        full_name="省减负办",
        home_region=province,
        password="Bench-Schedules-2026!",
    )
    services.role_grant(actor=None, user=user, role=Role.COMMITTEE_OFFICE, region=province)
    return type(user).objects.get(pk=user.pk)  # a fresh copy: the first one cached its (empty) role list


def run(args, ctx) -> Table:
    from django.utils import timezone

    from jianfu.forms import selectors, services
    from jianfu.forms.models import FormTask
    from jianfu.forms.services import rollup

    fresh_database(ctx, "schedules")
    load_before = os.getloadavg()
    province = _regions(args.villages)
    forms = _forms(province, args.forms)
    started = time.perf_counter()
    opened = services.periods_open(on=date(YEAR, 3, 15))  # March only: February's due date has passed
    open_s = time.perf_counter() - started
    first = forms[0]
    for key in [f"{YEAR}-{m:02d}" for m in range(1, 13) if m != 3]:
        services.open_period(first, key, actor=None, scheduled=True)
    rng = random.Random(20)
    tasks = list(FormTask.objects.filter(issue__form=first).values_list("pk", "due_on"))
    now = timezone.now()
    for chunk in range(0, len(tasks), 5000):
        done = [pk for pk, _ in tasks[chunk : chunk + 5000] if rng.random() < 0.8]
        late = set(done[::6])
        FormTask.objects.filter(pk__in=done).update(status="submitted", submitted_at=now, on_time=True)
        FormTask.objects.filter(pk__in=late).update(on_time=False)
    started = time.perf_counter()
    cells = rollup.rebuild()  # the reports above were written around the services, as a data load would be
    rebuild_s = time.perf_counter() - started
    reader = _reader(province)
    figures = {}
    for name, report_of in (("rollup", selectors.reporting_rates), ("live", selectors.reporting_rates_live)):
        samples = []
        for _ in range(args.requests):
            started = time.perf_counter()
            report = report_of(reader, year=YEAR, form_id=first.pk)
            samples.append((time.perf_counter() - started) * 1000)
        figures[name] = (percentile(samples, 50), percentile(samples, 95), report)
    same = figures["rollup"][2] == figures["live"][2]
    expected = figures["rollup"][2]["total"]["expected"]
    table = Table(f"Schedules from the annual form list — {ctx.backend}, {os.cpu_count()} CPUs")
    table.add(
        f"open one period: {args.forms} forms × {args.villages:,} villages (rollup kept)",
        f"{open_s:.1f} s ({opened['tasks']:,} tasks)",
        f"< {OPEN_TARGET_S:.0f} s",
        open_s < OPEN_TARGET_S,
    )
    table.add(f"rollup rebuilt from every task ({cells:,} cells)", f"{rebuild_s:.1f} s")
    for name, label in (("rollup", "from the rollup"), ("live", "counted live from the tasks")):
        p50, p95, _ = figures[name]
        table.add(
            f"reporting rates, 1 form × 12 months ({expected:,} tasks), {label}",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
            f"p50 < {REPORT_TARGET_MS:.0f} ms",
            p50 < REPORT_TARGET_MS,
        )
    table.add("rollup's figures equal the live count", "yes" if same else "NO", "equal", same)
    table.add("rows the province's report lists (one level down)", f"{len(figures['rollup'][2]['places'])}")
    load_after = os.getloadavg()
    table.add(
        "machine load (1-min average) at start / end, other sessions included",
        f"{load_before[0]:.1f} / {load_after[0]:.1f}",
    )
    table.add("peak memory", f"{peak_rss_mb():.0f} MB")
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_schedules", description=__doc__)
    parser.add_argument("--villages", type=int, default=20_000)
    parser.add_argument("--forms", type=int, default=30)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--postgres", nargs="?", const=os.environ.get("DATABASE_URL") or DEFAULT_PG_URL, default=""
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    ctx = configure(postgres_url=args.postgres)
    import django

    django.setup()
    try:
        print(run(args, ctx).render(), flush=True)
    finally:
        cleanup(ctx)


if __name__ == "__main__":
    main()
