"""Benchmark: admission at a county's yearly volume.

On the demo county with the reference lists, ``applications`` applications go through the real services
(a fifth of them approved, so the classifier carries that many admitted items). Then it times what people
wait for: a department's submission (completeness, 费随事转, the classifier pre-check, numbering, audit), the
office's queue page, a village cadre's one-step check, and the public notice page.

    python -m bench.bench_admission [--applications 1000] [--requests 30] [--postgres [URL]]
"""

import argparse
import gc
import os
import sys
import time

from .harness import DEFAULT_PG_URL, Table, cleanup, configure, fresh_database, percentile

TARGETS_MS = {"submit": 250.0, "queue": 150.0, "check": 100.0, "public": 150.0}
TEXTS = [
    "企业用工情况季度调查",
    "农村户用光伏安装意向摸底",
    "高龄津贴发放对象核查",
    "电商站点运营统计",
    "养蜂户数量统计",
    "公益性岗位在岗核实",
    "退役军人信息更新",
    "就业困难人员走访",
]


def _plan(n: int) -> dict:
    from tests.admission.conftest import COMPLETE

    topic = TEXTS[n % len(TEXTS)]
    return {
        **COMPLETE,
        "title": f"{topic}协助（第{n}批）",
        "description": f"协助开展{topic}，第{n}批，按月报送。",
    }


def load(applications: int) -> tuple[float, dict]:
    """The demo world, the reference lists and ``applications`` applications; returns seconds per submission."""
    from jianfu.admission import services
    from jianfu.admission.services import review
    from jianfu.catalog.reference import load_reference_lists
    from jianfu.orgs.demo import load_demo
    from jianfu.orgs.models import Department, User

    load_demo()
    load_reference_lists()
    people = {
        u.username: u for u in User.objects.filter(username__in=["rs_clerk", "mz_office", "chair", "taoyuan"])
    }
    department = Department.objects.get(name="县人社局")
    timings = []
    for n in range(applications):
        draft = services.application_create(actor=people["rs_clerk"], applicant=department, **_plan(n))
        started = time.perf_counter()
        submitted = services.application_submit(
            actor=people["rs_clerk"], application=draft, expected_version=1
        )
        timings.append((time.perf_counter() - started) * 1000)
        if n % 5 == 0:
            at = review.application_initial_review(
                actor=people["mz_office"],
                application=submitted,
                expected_version=submitted.version,
                outcome="simple",
                opinion="简易",
            )
            review.application_decide(
                actor=people["chair"],
                application=at,
                expected_version=at.version,
                outcome="approve",
                overlaps=[{"existing": "同类事项", "action": "merge"}],
            )
    return timings, people


def time_requests(user, method: str, url: str, data: dict | None, requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    send = (lambda: client.post(url, data)) if method == "post" else (lambda: client.get(url))
    for _ in range(3):
        assert send().status_code == 200, url
    gc.collect()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        send()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        send()
    return times, len(captured.captured_queries)


def run(ctx, applications: int, requests: int) -> Table:
    from jianfu.admission.models import AdmittedItem, Application

    fresh_database(ctx, f"admission{applications}")
    started = time.perf_counter()
    submit_ms, people = load(applications)
    load_s = time.perf_counter() - started
    table = Table(
        f"Admission — {ctx.backend}, {Application.objects.count():,} applications, "
        f"{AdmittedItem.objects.count():,} admitted items"
    )
    table.add("load (create, submit, fifth approved)", f"{load_s:.1f} s")
    p50 = percentile(submit_ms, 50)
    table.add(
        "submit with pre-check (service)",
        f"p50 {p50:.1f} ms, p95 {percentile(submit_ms, 95):.1f} ms",
        f"p50 < {TARGETS_MS['submit']:.0f} ms",
        p50 < TARGETS_MS["submit"],
    )
    check = {"text": "请各村每周上报辖区养犬户数量并上传照片"}
    for key, label, user, method, url, data in [
        ("queue", "office queue page /admission/", people["mz_office"], "get", "/admission/", None),
        (
            "queue",
            "overdue filter /admission/?overdue=1",
            people["mz_office"],
            "get",
            "/admission/?overdue=1",
            None,
        ),
        (
            "check",
            "village check POST /admission/check/",
            people["taoyuan"],
            "post",
            "/admission/check/",
            check,
        ),
        ("public", "public notice /public/admission/", None, "get", "/public/admission/", None),
    ]:
        times, queries = time_requests(user, method, url, data, requests)
        p50 = percentile(times, 50)
        table.add(
            label,
            f"p50 {p50:.1f} ms, p95 {percentile(times, 95):.1f} ms, {queries} queries",
            f"p50 < {TARGETS_MS[key]:.0f} ms",
            p50 < TARGETS_MS[key],
        )
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_admission", description=__doc__)
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--postgres", nargs="?", const=os.environ.get("DATABASE_URL") or DEFAULT_PG_URL, default=""
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    ctx = configure(postgres_url=args.postgres)
    import django

    django.setup()
    try:
        print(run(ctx, args.applications, args.requests).render(), flush=True)
    finally:
        cleanup(ctx)


if __name__ == "__main__":
    main()
