"""Benchmark: the logged-in pages on a province kept by ``bench_pg_scale --phase events,indexes,rollup`` (#23).

The province's inspector (``bench_inspector``) opens the village, township, county and province dashboards, the
events list and the home page; a county's inspector (``bench_county_inspector``, made on the first county the
first time) opens the county's and a township's dashboards, the events list and the home page. Each page timed
as ``bench_pages._time_page`` does (3 warm-ups, p50 wall and this process's CPU of ``--requests`` GETs, the
queries of one more), the load average beside. ``--rounds`` repeats the whole list; the code timed is whatever
``jianfu`` imports (``PYTHONPATH`` at an export of other code times that code on the same database).

    python -m bench.bench_pages_kept --database pickercache_bench [--requests 40] [--rounds 1]
"""

import argparse
import os
import sys
from urllib.parse import urlsplit, urlunsplit

YEAR = 2025


def _users():
    from jianfu.orgs.models import Level, Region, RoleAssignment, User
    from jianfu.orgs.roles import Role

    province = User.objects.get(username="bench_inspector")
    county = Region.objects.filter(level=Level.COUNTY).order_by("code").first()
    inspector, made = User.objects.get_or_create(
        username="bench_county_inspector", defaults={"full_name": "县纪检", "home_region": county}
    )
    if made:
        RoleAssignment.objects.create(user=inspector, role=Role.INSPECTOR, region=county)
    return province, inspector, county


def pages() -> list[tuple[str, object, str]]:
    from django.urls import reverse

    from jianfu.orgs.models import Level, Region

    province, county_inspector, county = _users()
    first = {
        level: Region.objects.filter(level=level, code__startswith=county.code[:6]).order_by("code").first()
        for level in (Level.VILLAGE, Level.TOWNSHIP)
    }
    top = Region.objects.get(level=Level.PROVINCE)
    board = reverse("monitoring:dashboard")
    events = reverse("monitoring:events")
    return [
        (
            "province inspector: village dashboard",
            province,
            f"{board}?region={first[Level.VILLAGE].code}&year={YEAR}",
        ),
        (
            "province inspector: township dashboard",
            province,
            f"{board}?region={first[Level.TOWNSHIP].code}&year={YEAR}",
        ),
        ("province inspector: county dashboard", province, f"{board}?region={county.code}&year={YEAR}"),
        ("province inspector: province dashboard", province, f"{board}?region={top.code}&year={YEAR}"),
        ("province inspector: events list", province, events),
        ("province inspector: home", province, "/home/"),
        ("county inspector: county dashboard", county_inspector, f"{board}?year={YEAR}"),
        (
            "county inspector: township dashboard",
            county_inspector,
            f"{board}?region={first[Level.TOWNSHIP].code}&year={YEAR}",
        ),
        ("county inspector: events list", county_inspector, events),
        ("county inspector: home", county_inspector, "/home/"),
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pages_kept", description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES") or "postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--label", default="", help="printed before each row (e.g. before / after)")
    parser.add_argument("--only", default="", help="only the pages whose name holds this text")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    url = urlsplit(args.postgres)
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{args.database}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")
    os.environ.setdefault("JIANFU_DEBUG", "0")
    import django

    django.setup()
    import jianfu

    from .bench_pages import _time_page

    print(f"# {args.label} jianfu from {os.path.dirname(jianfu.__file__)}", flush=True)
    listed = [p for p in pages() if args.only in p[0]]
    for _ in range(args.rounds):
        for name, user, page in listed:
            wall, cpu, queries = _time_page(user, page, args.requests)
            one, five, _ = os.getloadavg()
            print(
                f"{args.label}\t{name}\t{wall:.1f}\t{cpu:.1f}\t{queries}\tload {one:.1f}/{five:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
