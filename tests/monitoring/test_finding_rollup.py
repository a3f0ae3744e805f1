"""The findings' rollup the dashboards read: kept current as findings arrive, are judged, change department and are
published, equal to a rebuild from the findings; the township and county dashboards read their figures from it and
each figure opens its findings."""

from django.utils import timezone

from jianfu.admission.services import filing
from jianfu.monitoring import dashboard, services
from jianfu.monitoring.models import Finding, FindingRollup
from jianfu.monitoring.services import bulletins, finding_rollup, rollup
from jianfu.orgs.models import Department

from .conftest import judge, record, yesterday

CELL = (
    "region_code",
    "level",
    "month",
    "source",
    "department_id",
    "rule",
    "findings",
    "violations",
    "pending",
)


def _cells():
    return sorted(FindingRollup.objects.exclude(findings=0).values_list(*CELL))


def test_the_rollup_follows_every_move_and_matches_a_rebuild(world, point, lists):
    record(world, kind="app", description="APP每日打卡")
    record(world, kind="app", description="APP积分排名", department=world.dept_mz)
    record(world, kind="other", description="要求村干部陪同拍摄宣传片")  # no rule: waits
    filing.work_decline(
        actor=world.village_cadre,
        region=world.village_taoyuan,
        text="请村里协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积",
        department=None,
        department_name="县委",  # ambiguous: the department waits for the inspector
        received_on=yesterday(),
    )
    county = FindingRollup.objects.filter(region_code=world.county.code)
    assert sum(c.findings for c in county) == 4 and sum(c.pending for c in county) == 4
    judge(world, automatic="violation")
    ambiguous = Finding.objects.get(department__isnull=True)
    services.finding_department_set(
        actor=world.inspector, finding=ambiguous, department=Department.objects.get(name="县委组织部")
    )
    draft = bulletins.bulletin_draft(
        actor=world.inspector, region=world.county, period_start=yesterday(), period_end=yesterday()
    )
    bulletins.bulletin_publish(actor=world.inspector, bulletin=draft)
    assert sum(c.violations for c in county.all()) == 2 and sum(c.pending for c in county.all()) == 2
    assert (
        not county.filter(department_id=0).exclude(findings=0).exists()
    )  # moved to the confirmed department
    incremental = _cells()
    assert finding_rollup.rebuild() > 0
    assert _cells() == incremental
    rollup.rebuild()  # the nightly job rebuilds both rollups
    assert _cells() == incremental


def test_the_dashboards_read_findings_from_the_rollup_and_link_to_them(world, point, login):
    record(world, kind="app", description="APP每日打卡")
    record(world, kind="other", description="要求村干部陪同拍摄宣传片")
    judge(world, automatic="violation")
    year = timezone.localdate().year
    figures = dashboard.figures(world.county, year)["findings"]
    assert figures["total"]["count"] == 1 and figures["total"]["pending"] == 1
    [source] = figures["source"]
    assert source["label"] == "监测员记录的负担事件" and source["count"] == 1
    assert figures["department"][0]["label"] == "县人社局"
    FindingRollup.objects.all().delete()  # the county reads the rollup, not the findings
    assert dashboard.figures(world.county, year)["findings"]["total"]["count"] == 0
    village = dashboard.figures(world.village_taoyuan, year)["findings"]  # a village reads its own findings
    assert village["total"]["count"] == 1
    finding_rollup.rebuild()
    client = login(world.inspector)
    page = client.get(f"/monitoring/dashboard/?region={world.county.code}&year={year}").content.decode()
    assert "问题研判（经认定违规" in page and "按违反的规定" in page
    listed = client.get(f"/monitoring/findings/?{source['query']}").content.decode()
    assert "APP每日打卡" in listed or "政务APP" in listed
    api = client.get(f"/api/v1/monitoring/dashboard?region_code={world.county.code}&year={year}").json()
    assert api["findings"]["total"]["count"] == 1
