"""20 cadres issue at the same moment: numbers have no duplicate and no gap, even when some renders fail.

Each thread has its own database connection (SQLite file database with IMMEDIATE transactions, or PostgreSQL),
so the counter row's lock is what keeps the numbers apart.
"""

import threading
from datetime import date

import pytest
from django.db import connections

from jianfu.audit.models import AuditRecord
from jianfu.audit.verify import audit_verify
from jianfu.certificates import documents, services
from jianfu.certificates.idnumbers import sample_id
from jianfu.certificates.models import Issuance
from jianfu.certificates.numbering import serial_key
from jianfu.core.models import Sequence

from .conftest import RESIDENCE, load_certificate_lists

THREADS = 20
FAILING = {3, 8, 13, 17}  # these issuers' documents fail to render


def _run(targets) -> list:
    errors: list = []
    barrier = threading.Barrier(len(targets))

    def wrap(target):
        def run():
            try:
                barrier.wait()
                target()
            except BaseException as exc:  # noqa: BLE001 - every failure must reach the main thread
                errors.append(exc)
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    threads = [wrap(target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "an issuer hung"
    return errors


@pytest.mark.django_db(transaction=True)
def test_it_gives_20_concurrent_issuers_distinct_numbers_without_gaps(world, monkeypatch):
    load_certificate_lists()
    real_build = documents.build_docx

    def build(sheet):
        if any("失败" in p for p in sheet.paragraphs):
            raise RuntimeError("渲染失败")
        return real_build(sheet)

    monkeypatch.setattr(documents, "build_docx", build)

    def issuer(n: int):
        def work():
            services.issuance_create(
                actor=world.village_cadre,
                village=world.village_taoyuan,
                type_code="ZM-001",
                resident_name=f"{'失败' if n in FAILING else '居民'}{n:02d}",
                resident_id_number=sample_id("428521", date(1980, 1, 1), n),
                values=RESIDENCE,
                institution_kind="bank",
                institution_name="清河农商银行河口支行",
            )

        return work

    audits = AuditRecord.objects.count()
    errors = _run([issuer(n) for n in range(THREADS)])
    assert sorted(str(e) for e in errors) == ["渲染失败"] * len(FAILING), [repr(e) for e in errors]
    issued = list(Issuance.objects.filter(village=world.village_taoyuan).order_by("serial"))
    ok = THREADS - len(FAILING)
    assert [i.serial for i in issued] == list(range(1, ok + 1))  # no gap, no duplicate
    assert len({i.number for i in issued}) == ok and len({i.verification_code for i in issued}) == ok
    assert not any(i.resident_name.startswith("失败") for i in issued)
    assert Sequence.objects.get(key=serial_key(world.village_taoyuan, issued[0].year, "issuance")).last == ok
    assert AuditRecord.objects.count() == audits + ok and audit_verify().ok
