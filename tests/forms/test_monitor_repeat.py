"""A listed form a department sends again outside the platform, within one of its listed periods, recorded by a
monitor: judged by ``issue_refusal`` (more often than listed) and handed to the findings intake as a finding."""

from datetime import date

from jianfu.monitoring import services as monitoring
from jianfu.monitoring.models import Finding
from tests.forms.conftest import YEAR
from tests.monitoring.conftest import make_point


def _record(world, on: date, key: str):
    event, _ = monitoring.event_record(
        actor=world.monitor,
        village=world.village_taoyuan,
        kind="form",
        department=world.dept_rs,
        occurred_on=on,
        description="县人社局工作群里要求填报就业和社保基础信息表",
        subject="2026年就业和社保基础信息表",
        idempotency_key=key,
    )
    return event


def test_a_quarterly_form_sent_twice_in_one_quarter_becomes_a_finding_naming_the_rule(world, table):
    make_point(world)
    first = _record(world, date(YEAR, 4, 3), "k-1")
    assert first.verdict == "ok" and not Finding.objects.exists()  # listed, first time this quarter
    again = _record(world, date(YEAR, 5, 6), "k-2")
    assert again.verdict == "violation"
    assert "下发频次不得高于清单规定" in again.check_detail and "2026-04-03" in again.check_detail
    assert "环县开展社区减负专项行动的实施方案" in again.check_detail
    finding = Finding.objects.get()
    assert finding.department == world.dept_rs and finding.source == "form"
    next_quarter = _record(world, date(YEAR, 7, 2), "k-3")
    assert next_quarter.verdict == "ok"  # a new quarter: once is what the list allows
