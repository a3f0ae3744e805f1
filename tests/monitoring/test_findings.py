"""Findings: every source reaches the inspector in its own transaction, rules for every kind, the inspector's
decisions (with reason, all or none, stale pages refused), and a corrected verdict in the counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.monitoring import services
from jianfu.monitoring.models import (
    BurdenEvent,
    Finding,
    FindingSource,
    FindingState,
    MonthlyRollup,
    Verdict,
)
from jianfu.orgs.models import Department

from .conftest import record, yesterday


def _finding(event) -> Finding:
    return Finding.objects.get(event=event)


# Rules for every kind ---------------------------------------------------------------------------------------


def test_it_breaks_a_placard_demand_outside_the_standard_and_names_the_document(world, point):
    event, _ = record(
        world,
        kind="placard",
        department=Department.objects.get(name="县创文办"),
        description="要求村委会门口挂“文明创建指挥部”牌子",
    )
    assert event.verdict == Verdict.VIOLATION and event.check_rule == "不得要求村（社区）对口挂牌"
    finding = _finding(event)
    assert "《环县开展社区减负专项行动的实施方案》" in finding.basis and "二（三）" in finding.basis
    assert "seed" not in finding.basis.lower() and "种子" not in finding.basis
    kept, _ = record(world, kind="placard", subject="桃园村村民委员会", description="统一制作村委会标牌")
    assert kept.verdict == Verdict.OK and not Finding.objects.filter(event=kept).exists()


def test_it_checks_a_work_group_against_the_channel_registry(world, point):
    from jianfu.forms.models import ChannelStatus, WorkChannel

    WorkChannel.objects.create(
        kind="wechat",
        name="清河县人社工作群",
        department=world.dept_rs,
        region=world.county,
        purpose="工作联络",
        uses=["work"],
        status=ChannelStatus.KEPT,
    )
    kept, _ = record(world, kind="group", subject="清河县人社工作群", description="要求加入")
    new, _ = record(world, kind="group", description="要求加入“社保扩面冲刺群”并每日接龙")
    assert kept.verdict == Verdict.OK
    assert new.verdict == Verdict.VIOLATION and "未经登记" in new.check_rule
    assert _finding(new).basis.startswith("《环县开展社区减负专项行动的实施方案》")


def test_it_applies_the_meeting_rule_and_never_passes_a_kind_without_a_rule(world, point):
    first, _ = record(world)
    second, _ = record(world, description="第二次会议")
    third, _ = record(world, description="第三次会议")
    assert [first.verdict, second.verdict, third.verdict] == [Verdict.OK, Verdict.OK, Verdict.VIOLATION]
    assert "超过规定次数" in third.check_rule
    other, _ = record(world, kind="other", description="要求村干部陪同拍摄宣传片")
    assert other.verdict == Verdict.UNDECIDED
    assert _finding(other).state == FindingState.PENDING and _finding(other).automatic == "undecided"


# Sources ----------------------------------------------------------------------------------------------------


def test_a_village_decline_becomes_a_finding_with_the_department_matched_from_free_text(world, lists):
    from jianfu.admission.services import filing

    decline = filing.work_decline(
        actor=world.village_cadre,
        region=world.village_taoyuan,
        text="请村里协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积",
        department=None,
        department_name="人社局",
        received_on=timezone.localdate(),
    )
    finding = Finding.objects.get(source=FindingSource.DECLINE)
    assert finding.department == world.dept_rs and finding.village == world.village_taoyuan
    assert (
        finding.evidence_url.endswith(f"/declines/{decline.pk}/") and decline.number in finding.evidence_label
    )
    assert finding.rule.startswith("清单之外的工作须经审核准入")


def test_an_ambiguous_name_waits_for_the_inspector_to_confirm_the_department(world, lists, login):
    from jianfu.admission.services import filing

    filing.work_decline(
        actor=world.village_cadre,
        region=world.village_taoyuan,
        text="请村里协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积",
        department=None,
        department_name="县委",
        received_on=timezone.localdate(),
    )
    finding = Finding.objects.get()
    assert finding.department is None and len(finding.department_candidates) > 1
    with pytest.raises(ValidationError, match="责任部门尚未确认"):
        services.finding_decide(actor=world.inspector, finding=finding, decision="confirm", reason="属实")
    client = login(world.inspector)
    page = client.get(f"/monitoring/findings/{finding.pk}/").content.decode()
    assert "待确认" in page and "确认部门" in page
    organisation = Department.objects.get(name="县委组织部")
    client.post(
        f"/monitoring/findings/{finding.pk}/department/",
        {"department": organisation.pk, "version": finding.version},
    )
    finding.refresh_from_db()
    assert finding.department == organisation and finding.department_candidates == []


def test_a_refused_certificate_demand_and_an_unplanned_visit_become_findings(world, lists):
    from jianfu.certificates import services as certificates
    from jianfu.supervision import services as supervision

    certificates.refusal_create(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        type_code="",
        request_text="要求开具无犯罪记录证明",
        institution_kind="government",
        institution_name="县人社局",
    )
    supervision.visit_record(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        department=world.dept_mz,
        on=yesterday(),
        kind="inspection",
        subject="养老服务检查",
    )
    refusal = Finding.objects.get(source=FindingSource.REFUSAL)
    visit = Finding.objects.get(source=FindingSource.VISIT)
    assert refusal.department == world.dept_rs and refusal.automatic == "violation"
    assert visit.department == world.dept_mz and visit.rule == "未列入年度督查检查计划"
    assert "黔西南州" in visit.basis


def test_a_grid_workers_report_becomes_a_finding_and_hides_the_reporter(world):
    from jianfu.grid.burden import burden_report

    burden_report(
        actor=world.grid_worker,
        kind="app",
        source_department=world.dept_rs,
        occurred_on=yesterday(),
        description="要求每天在APP打卡",
    )
    finding = Finding.objects.get(source=FindingSource.GRID)
    assert finding.steps.get().actor is None


def test_a_department_outside_the_county_is_refused_and_nothing_is_kept(world, point):
    with pytest.raises(ValidationError) as caught:
        record(world, kind="app", department=world.other_dept, description="东岭县要求打卡")
    assert "不是桃园村所在县及上级的部门" in str(caught.value)
    assert not BurdenEvent.objects.exists() and not Finding.objects.exists()
    assert not MonthlyRollup.objects.filter(events__gt=0).exists()


# Decisions --------------------------------------------------------------------------------------------------


def test_a_decision_needs_a_reason_and_a_stale_page_changes_nothing(world, point):
    event, _ = record(world, kind="app", description="APP打卡")
    finding = _finding(event)
    shown = finding.version
    with pytest.raises(ValidationError, match="请写明研判理由"):
        services.finding_decide(actor=world.inspector, finding=finding, decision="dismiss", reason=" ")
    services.finding_decide(
        actor=world.inspector, finding=finding, decision="confirm", reason="属实", version=shown
    )
    with pytest.raises(ValidationError, match="已被其他用户修改"):
        services.finding_decide(
            actor=world.inspector, finding=finding, decision="dismiss", reason="误报", version=shown
        )
    finding.refresh_from_db()
    assert finding.state == FindingState.CONFIRMED and finding.reason == "属实"
    assert AuditRecord.objects.filter(action="monitoring.finding_confirm").count() == 1
    assert not AuditRecord.objects.filter(action="monitoring.finding_dismiss").exists()


def test_a_bulk_decision_is_all_or_none(world, point):
    first, _ = record(world, kind="app", description="APP打卡")
    second, _ = record(world, kind="app", description="APP积分")
    a, b = _finding(first), _finding(second)
    with pytest.raises(ValidationError, match="已被其他用户修改"):
        services.findings_decide(
            actor=world.inspector,
            items=[(a.pk, a.version), (b.pk, b.version + 5)],
            decision="confirm",
            reason="属实",
        )
    assert set(Finding.objects.values_list("state", flat=True)) == {FindingState.PENDING}
    decided = services.findings_decide(
        actor=world.inspector, items=[(a.pk, a.version), (b.pk, b.version)], decision="confirm", reason="属实"
    )
    assert {f.state for f in decided} == {FindingState.CONFIRMED}


def test_a_corrected_verdict_replaces_the_automatic_one_in_the_counts(world, point):
    event, _ = record(world, kind="app", description="APP打卡")
    county = MonthlyRollup.objects.get(region_code=world.county.code, kind="app")
    assert county.violations == 1
    services.finding_decide(actor=world.inspector, finding=_finding(event), decision="dismiss", reason="误报")
    county.refresh_from_db()
    event.refresh_from_db()
    assert county.violations == 0 and event.verdict == Verdict.OK
    services.event_recheck(actor=world.inspector, event=event)  # the automatic check does not undo it
    event.refresh_from_db()
    assert event.verdict == Verdict.OK


def test_the_queue_filters_and_decides_in_bulk_through_the_page_and_the_api(world, point, login):
    a, _ = record(world, kind="app", description="APP打卡")
    record(world, kind="other", department=world.dept_mz, description="陪同拍摄")
    client = login(world.inspector)
    page = client.get("/monitoring/findings/", {"department": world.dept_rs.pk})
    assert [f.event_id for f in page.context["page"]] == [a.pk]
    finding = _finding(a)
    refused = client.post(
        "/monitoring/findings/decide/", {"finding": f"{finding.pk}:{finding.version}", "decision": "confirm"}
    )
    assert refused.status_code == 302 and Finding.objects.get(pk=finding.pk).state == FindingState.PENDING
    api = client.post(
        "/api/v1/monitoring/findings/decisions",
        {
            "findings": [{"id": finding.pk, "version": finding.version}],
            "decision": "confirm",
            "reason": "属实",
        },
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()[0]["state_label"] == "认定违规"
    again = client.post(
        f"/api/v1/monitoring/findings/{finding.pk}/decision",
        {"decision": "dismiss", "reason": "误报", "version": finding.version},
        content_type="application/json",
    )
    assert again.status_code == 409 and "旧版本" in again.json()["error"]["message"]


# Bulletins from findings ------------------------------------------------------------------------------------


def test_a_bulletin_sets_a_working_day_deadline_and_only_the_villages_monitor_confirms(
    world, point, login, client
):
    from jianfu.monitoring.services import bulletins
    from jianfu.orgs.models import User
    from jianfu.orgs.services import role_grant

    event, _ = record(world, kind="app", description="APP打卡")
    finding = _finding(event)
    services.finding_decide(actor=world.inspector, finding=finding, decision="confirm", reason="属实")
    draft = bulletins.bulletin_draft(
        actor=world.inspector, region=world.county, period_start=yesterday(), period_end=yesterday()
    )
    bulletins.bulletin_publish(actor=world.inspector, bulletin=draft)
    entry = draft.entries.get()
    assert entry.deadline > timezone.localdate() + timedelta(days=15)  # 15 working days: three weeks or more
    finding.refresh_from_db()
    assert finding.state == FindingState.PUBLISHED
    bulletins.entry_rectify(actor=world.dept_clerk, entry=entry, rectification="已停用打卡")
    finding.refresh_from_db()
    assert finding.state == FindingState.RECTIFYING
    other = User.objects.create_user(
        username="monitor2", password="x", full_name="另一位监测员", home_region=world.county
    )
    role_grant(actor=None, user=other, role="monitor", region=world.county)
    assert not services.may_confirm_rectification(other, finding)
    client.force_login(other)
    refused = client.post(f"/monitoring/findings/{finding.pk}/rectification/", {"decision": "accept"})
    assert refused.status_code == 403
    login(world.monitor).post(f"/monitoring/findings/{finding.pk}/rectification/", {"decision": "accept"})
    finding.refresh_from_db()
    entry.refresh_from_db()
    assert finding.state == FindingState.RECTIFIED and entry.status == "confirmed"


def test_the_figures_count_judged_violations_and_open_their_records(world, point, login):
    kept, _ = record(world, kind="app", description="APP打卡")
    dropped, _ = record(world, kind="app", department=world.dept_mz, description="APP积分")
    services.finding_decide(actor=world.inspector, finding=_finding(kept), decision="confirm", reason="属实")
    services.finding_decide(
        actor=world.inspector, finding=_finding(dropped), decision="dismiss", reason="误报"
    )
    client = login(world.inspector)
    figures = client.get("/api/v1/monitoring/findings/figures", {"year": yesterday().year}).json()
    assert figures["total"]["count"] == 1
    assert [(r["label"], r["count"]) for r in figures["department"]] == [("县人社局", 1)]
    source = next(r for r in figures["source"] if r["count"])
    assert source["label"] == "监测员记录的负担事件"
    page = client.get(f"/monitoring/findings/?{source['query']}")
    assert [f.pk for f in page.context["page"]] == [_finding(kept).pk]
    assert "按责任部门" in client.get("/monitoring/findings/figures/").content.decode()
