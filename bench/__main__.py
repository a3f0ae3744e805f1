"""Run every benchmark: ``python -m bench`` on scratch SQLite files, ``python -m bench --postgres [URL]``
(or with DATABASE_URL set) on scratch PostgreSQL databases jianfu_bench_* on that server, dropped afterwards.
"""

import argparse
import os
import sys

from .harness import DEFAULT_PG_URL, cleanup, configure, fresh_database, summary


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=os.environ.get("DATABASE_URL") or DEFAULT_PG_URL,
        default="",
        metavar="URL",
        help="run on PostgreSQL; the bench creates and drops jianfu_bench_* databases there",
    )
    parser.add_argument(
        "--villages", type=int, default=20_000, help="villages in the full province (default 20000)"
    )
    parser.add_argument(
        "--small", type=int, default=2_000, help="villages in the small data set (default 2000)"
    )
    parser.add_argument(
        "--requests", type=int, default=50, help="timed requests per URL and user (default 50)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of one more fresh import"
    )
    parser.add_argument(
        "--monitoring-events",
        type=int,
        default=10_000_000,
        help="burden events in the monitoring benchmark (default 10,000,000: 20,000 villages × 500)",
    )
    parser.add_argument(
        "--search-events",
        type=int,
        default=1_000_000,
        help="events in the text search benchmark (default 1,000,000, the issue's measure)",
    )
    parser.add_argument(
        "--tasks-messages", type=int, default=10_000, help="notification tasks per engine (default 10,000)"
    )
    parser.add_argument(
        "--fed-provinces", type=int, default=31, help="provinces in the federation benchmark (default 31)"
    )
    parser.add_argument(
        "--fed-villages", type=int, default=1800, help="villages per province in the federation benchmark"
    )
    parser.add_argument(
        "--only",
        choices=[
            "tasks",
            "public",
            "monitoring",
            "federation",
            "search",
            "partitions",
            "ingest",
            "audit-chain",
            "locks",
            "pages",
        ],
        help="run one benchmark only",
    )
    parser.add_argument(
        "--partition-sizes",
        default="1000000,5000000",
        help="event counts the partitions benchmark grows through (PostgreSQL only; default 1M then 5M, as in docs/scale.md)",
    )
    parser.add_argument(
        "--partition-other-rows",
        type=int,
        default=1_000_000,
        help="findings and grid events each in the partitions benchmark (default 1M; --partition-sizes 0: these alone)",
    )
    parser.add_argument(
        "--port", type=int, default=8101, help="port of the public pages benchmark's gunicorn (default 8101)"
    )
    parser.add_argument(
        "--pages-events",
        type=int,
        default=1_000_000,
        help="burden events behind the logged-in pages benchmark (default 1,000,000)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch files and databases")
    args = parser.parse_args(argv)
    if not args.postgres and os.environ.get("DATABASE_URL"):
        args.postgres = os.environ["DATABASE_URL"]
    return args


def main(argv=None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    ctx = configure(postgres_url=args.postgres, keep=args.keep)
    import django

    django.setup()

    try:
        print(f"Jianfu benchmarks on {ctx.backend}, {os.cpu_count()} CPUs\n", flush=True)
        run_selected(ctx, args)
        print(summary().render() + f"\n(load average {os.getloadavg()[0]:.1f} at the end)", flush=True)
    finally:
        cleanup(ctx)


def run_selected(ctx, args) -> None:
    """``--only`` one benchmark, or all of them in order; each prints its table as it finishes."""
    only = {
        "tasks": lambda: run_tasks(ctx, args.tasks_messages),
        "public": lambda: run_public(ctx, args.port),
        "federation": lambda: run_federation(ctx, args),
        "search": lambda: run_search(ctx, args),
        "monitoring": lambda: run_monitoring(ctx, args),
        "partitions": lambda: run_partitions(ctx, args),
        "ingest": lambda: run_ingest(ctx, args),
        "audit-chain": lambda: run_ingest(ctx, args, audit_only=True),
        "locks": lambda: run_locks(ctx, args),
        "pages": lambda: run_pages(ctx, args),
    }
    if args.only:
        only[args.only]()
        return
    from . import bench_import, bench_scoped_list

    print(bench_import.run(ctx, villages=args.villages).render() + "\n", flush=True)
    samples = bench_scoped_list.run(ctx, size=args.villages, requests=args.requests)
    fresh_database(ctx, f"v{args.small}")
    bench_import.import_file(bench_import.generate(ctx, args.small)[0])
    samples = bench_scoped_list.run(ctx, size=args.small, requests=args.requests) + samples
    print(bench_scoped_list.report(ctx, samples, args.requests).render() + "\n", flush=True)
    from . import bench_admission, bench_certificates, bench_classifier, bench_forms

    print(bench_classifier.run_isolated() + "\n", flush=True)
    print(bench_admission.run(ctx, applications=1000, requests=args.requests).render() + "\n", flush=True)
    print(bench_certificates.run(ctx, records=1000, requests=args.requests).render() + "\n", flush=True)
    print(bench_forms.run(ctx).render() + "\n", flush=True)
    run_monitoring(ctx, args)
    run_search(ctx, args)
    run_pages(ctx, args)
    run_federation(ctx, args)
    if args.postgres:
        run_partitions(ctx, args)
        run_ingest(ctx, args)
    run_tasks(ctx, args.tasks_messages)
    run_public(ctx, args.port)
    if args.profile:
        profile_import(ctx, args.villages)


def run_monitoring(ctx, args) -> None:
    from . import bench_monitoring

    print(
        bench_monitoring.run(ctx, args.monitoring_events, min(args.requests, 20)).render() + "\n", flush=True
    )


def run_pages(ctx, args) -> None:
    from . import bench_pages

    print(bench_pages.run(ctx, args.pages_events, min(args.requests, 20)).render() + "\n", flush=True)


def run_search(ctx, args) -> None:
    from . import bench_search

    print(bench_search.run(ctx, args.search_events, min(args.requests, 20)).render() + "\n", flush=True)


def run_tasks(ctx, messages: int) -> None:
    from . import bench_tasks

    bench_tasks.MESSAGES = messages
    print(bench_tasks.run(ctx).render() + "\n", flush=True)


def run_federation(ctx, args) -> None:
    from . import bench_federation

    table = bench_federation.run(
        ctx, provinces=args.fed_provinces, villages=args.fed_villages, requests=min(args.requests, 20)
    )
    print(table.render() + "\n", flush=True)


def run_partitions(ctx, args) -> None:
    from . import bench_partitions

    if not args.postgres:
        print("Partitions: PostgreSQL only (python -m bench --postgres); SQLite keeps plain tables.\n")
        return
    sizes = [int(n) for n in args.partition_sizes.split(",")]
    table = bench_partitions.run(ctx, sizes, min(args.requests, 20), args.partition_other_rows)
    print(table.render() + "\n", flush=True)


def run_locks(ctx, args) -> None:
    from . import bench_locks

    if not args.postgres:
        print("Locks: PostgreSQL only (python -m bench --postgres): SQLite takes no row or relation locks.\n")
        return
    print(bench_locks.run(ctx).render() + "\n", flush=True)


def run_ingest(ctx, args, audit_only: bool = False) -> None:
    from . import bench_ingest

    if not args.postgres:
        print("Ingest: PostgreSQL only (python -m bench --postgres): SQLite has one writer at a time.\n")
        return
    if not audit_only:
        print(bench_ingest.run(ctx).render() + "\n", flush=True)
    print(bench_ingest.run_audit(ctx).render() + "\n", flush=True)


def run_public(ctx, port: int) -> None:
    from . import bench_public_pages

    print(bench_public_pages.run(ctx, port=port).render() + "\n", flush=True)


def profile_import(ctx, villages: int) -> None:
    import cProfile
    import pstats

    from . import bench_import

    fresh_database(ctx, f"profile{villages}")
    path, _ = bench_import.generate(ctx, villages)
    profiler = cProfile.Profile()
    profiler.runcall(bench_import.import_file, path)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
