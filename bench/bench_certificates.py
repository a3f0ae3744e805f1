"""Benchmark: certificates at a busy village's and a county's volume.

On the demo county with the certificate lists and templates, ``records`` issuances (and a refusal for every
fourth) go through the real services. It times what people wait for: a cadre issuing a certificate
(standing check, ID validation, gap-free numbering, DOCX with QR code rendered inside the transaction,
audit), the public verification page, and the county's statistics page; and the peak memory.

    python -m bench.bench_certificates [--records 1000] [--requests 30] [--postgres [URL]]
"""

import argparse
import os
import sys
import time
from datetime import date

from .bench_admission import time_requests
from .harness import DEFAULT_PG_URL, Table, cleanup, configure, fresh_database, peak_rss_mb, percentile

TARGETS_MS = {"issue": 250.0, "verify": 50.0, "stats": 300.0}


def load(records: int) -> tuple[list[float], dict, str]:
    from tests.certificates.conftest import RESIDENCE, load_certificate_lists

    from jianfu.certificates import services
    from jianfu.certificates.idnumbers import sample_id
    from jianfu.orgs.demo import load_demo
    from jianfu.orgs.models import Region, User

    load_demo()
    load_certificate_lists()
    cadre = User.objects.get(username="taoyuan")
    village = Region.objects.get(code="428521101201")
    timings, code = [], ""
    for n in range(records):
        started = time.perf_counter()
        record = services.issuance_create(
            actor=cadre,
            village=village,
            type_code="ZM-001",
            resident_name=f"居民{n}",
            resident_id_number=sample_id("428521", date(1960 + n % 40, 1 + n % 12, 1 + n % 28), n % 999),
            values=RESIDENCE,
            institution_kind="school",
            institution_name="清河县第一中学",
            purpose="子女入学",
        )
        timings.append((time.perf_counter() - started) * 1000)
        code = record.verification_code
        if n % 4 == 0:
            services.refusal_create(
                actor=cadre,
                village=village,
                type_code="BZ-001",
                request_text="亲属关系证明",
                institution_kind="bank",
                institution_name=f"清河农商银行第{n % 7}支行",
            )
    people = {u.username: u for u in User.objects.filter(username__in=["mz_office", "taoyuan"])}
    return timings, people, code


def run(ctx, records: int, requests: int) -> Table:
    from django.urls import reverse

    from jianfu.certificates.models import Issuance, Refusal

    fresh_database(ctx, f"certificates{records}")
    started = time.perf_counter()
    issue_ms, people, code = load(records)
    load_s = time.perf_counter() - started
    table = Table(
        f"Certificates — {ctx.backend}, {Issuance.objects.count():,} issued, "
        f"{Refusal.objects.count():,} refused in one village"
    )
    table.add("load", f"{load_s:.1f} s")
    p50 = percentile(issue_ms, 50)
    table.add(
        "issue with DOCX + QR (service)",
        f"p50 {p50:.1f} ms, p95 {percentile(issue_ms, 95):.1f} ms",
        f"p50 < {TARGETS_MS['issue']:.0f} ms",
        p50 < TARGETS_MS["issue"],
    )
    verify = reverse("public_certificates:verify_code", args=[code])
    for key, label, user, url in [
        ("verify", "public verification by code", None, verify),
        ("stats", "county statistics page", people["mz_office"], reverse("certificates:stats")),
    ]:
        times, queries = time_requests(user, "get", url, None, requests)
        p50 = percentile(times, 50)
        table.add(
            label,
            f"p50 {p50:.1f} ms, p95 {percentile(times, 95):.1f} ms, {queries} queries",
            f"p50 < {TARGETS_MS[key]:.0f} ms",
            p50 < TARGETS_MS[key],
        )
    table.add("peak RSS", f"{peak_rss_mb():.0f} MB")
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_certificates", description=__doc__)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--postgres", nargs="?", const=os.environ.get("DATABASE_URL") or DEFAULT_PG_URL, default=""
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    ctx = configure(postgres_url=args.postgres)
    import django

    django.setup()
    try:
        print(run(ctx, args.records, args.requests).render(), flush=True)
    finally:
        cleanup(ctx)


if __name__ == "__main__":
    main()
