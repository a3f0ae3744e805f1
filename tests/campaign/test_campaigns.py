"""Campaigns, the task table, progress reports, the ledger and joint meetings."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jianfu.audit.models import AuditRecord
from jianfu.campaign import selectors, services
from jianfu.campaign.models import ProgressReport, Task, TaskStatus
from jianfu.campaign.reference import read_table
from jianfu.campaign.rules import parse_deadline, periods
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs.models import Department

from .conftest import rs_task


def test_it_loads_seed_000s_seventeen_tasks_with_lead_units_matched_by_name(campaign):
    tasks = list(campaign.tasks.order_by("number"))
    assert len(tasks) == 17 == len(read_table()["tasks"])
    assert tasks[0].lead_department.name == "县政府办" and tasks[0].deadline == date(2026, 8, 10)
    assert tasks[1].lead_department.name == "县民政局" and tasks[1].deadline == date(2026, 8, 20)
    assert tasks[9].deadline == date(2026, 7, 31)  # 7月下旬
    assert tasks[16].long_term and tasks[16].deadline is None
    assert "各乡镇" in tasks[6].responsible_text
    assert {d.name for d in tasks[6].responsible_departments.all()} >= {"县住建局", "县机关事务服务中心"}


def test_it_parses_the_deadlines_as_written():
    assert parse_deadline("8月上旬", 2026) == (date(2026, 8, 10), False)
    assert parse_deadline("10月下旬", 2026) == (date(2026, 10, 31), False)
    assert parse_deadline("长期坚持", 2026) == (None, True)
    with pytest.raises(ValueError):
        parse_deadline("年底前后", 2026)


def test_it_lets_only_the_county_office_manage_campaigns(world):
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            actor=world.town_hk, region=world.county, title="x", starts_on=date(2026, 1, 1)
        )
    with pytest.raises(ValidationError) as err:
        services.campaign_create(
            actor=world.office,
            region=world.county,
            title="x",
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 4, 1),
        )
    assert "结束日期" in str(err.value)


def test_it_sets_the_four_phases_of_seed_002(campaign, world):
    for phase, start in (
        ("implementation", date(2026, 7, 1)),
        ("inspection", date(2027, 1, 1)),
        ("rectification", date(2027, 2, 1)),
        ("consolidation", date(2027, 3, 1)),
    ):
        services.phase_set(actor=world.office, campaign=campaign, phase=phase, starts_on=start)
    assert [p.get_phase_display() for p in campaign.phases.all()] == [
        "实施阶段",
        "检查评估阶段",
        "整改落实阶段",
        "持续巩固阶段",
    ]
    with pytest.raises(ValidationError):
        services.phase_set(actor=world.office, campaign=campaign, phase="party", starts_on=date(2027, 1, 1))


def test_it_lets_the_lead_unit_report_and_a_completing_report_closes_the_task(campaign, world):
    task = rs_task(world, campaign)
    pdf = SimpleUploadedFile("进展.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    report = services.report_file(
        actor=world.dept_clerk,
        task=task,
        kind="weekly",
        period_start=date(2026, 7, 8),
        summary="已摸排",
        progress=50,
        attachments=[pdf],
        today=date(2026, 7, 20),
    )
    assert (report.period_start, report.period_end) == (date(2026, 7, 6), date(2026, 7, 12))
    assert report.attachments.get().file.read() == b"%PDF-1.4 test"
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.progress == 50
    services.report_file(
        actor=world.dept_clerk,
        task=task,
        kind="monthly",
        period_start=date(2026, 7, 1),
        summary="已完成",
        progress=100,
        completes=True,
        today=date(2026, 8, 2),
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.REPORTED and task.completed_on == date(2026, 8, 2)
    assert AuditRecord.objects.filter(action="campaign.report", object_id=str(task.pk)).count() == 2
    services.task_close(actor=world.office, task=task, close=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_on == date(2026, 8, 2)


def _oversized():
    return SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024))


def test_it_refuses_reports_from_others_twice_for_a_period_and_bad_attachments(campaign, world):
    task = rs_task(world, campaign)
    with pytest.raises(PermissionDenied):
        services.report_file(
            actor=world.member,
            task=task,
            kind="weekly",
            period_start=date(2026, 7, 6),
            summary="x",
            progress=1,
            today=date(2026, 7, 20),
        )
    services.report_file(
        actor=world.dept_clerk,
        task=task,
        kind="weekly",
        period_start=date(2026, 7, 6),
        summary="x",
        progress=1,
        today=date(2026, 7, 20),
    )
    cases = [
        ({"period_start": date(2026, 7, 9)}, "不能重复报送"),
        ({"progress": 120}, "0 至 100"),
        ({"period_start": date(2026, 9, 1)}, "尚未开始"),
        ({"attachments": [SimpleUploadedFile("run.exe", b"MZ")]}, "这里只能上传"),
        ({"attachments": [_oversized()]}, "不能超过 20 MB"),
        (
            {"attachments": [SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 renamed program")]},
            "与扩展名 .pdf 不符",
        ),
        ({"attachments": [SimpleUploadedFile("空.docx", b"")]}, "空文件"),
    ]
    for change, message in cases:
        args = {
            "kind": "weekly",
            "period_start": date(2026, 7, 13),
            "summary": "y",
            "progress": 2,
            "today": date(2026, 7, 20),
            **change,
        }
        with pytest.raises(ValidationError) as err:
            services.report_file(actor=world.dept_clerk, task=task, **args)
        assert message in str(err.value)
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_it_flags_overdue_tasks_and_missing_reports_per_unit(campaign, world):
    task = rs_task(world, campaign, deadline=date(2026, 7, 31))
    services.report_file(
        actor=world.dept_clerk,
        task=task,
        kind="weekly",
        period_start=date(2026, 7, 6),
        summary="x",
        progress=10,
        today=date(2026, 7, 20),
    )
    data = selectors.ledger(campaign, today=date(2026, 8, 5))
    row = next(r for r in data["rows"] if r["task"].pk == task.pk)
    assert row["overdue"]
    # Whole weeks from 6 Jul ending before 5 Aug: 6, 13, 20, 27 Jul (one filed), and July's summary.
    assert [(k, s) for k, s, _ in row["missing"]] == [
        ("weekly", date(2026, 7, 13)),
        ("weekly", date(2026, 7, 20)),
        ("weekly", date(2026, 7, 27)),
        ("monthly", date(2026, 7, 1)),
    ]
    unit = next(u for u in data["units"] if u.department == world.dept_rs)
    assert (unit.total, unit.overdue, unit.missing) == (1, 1, 4)
    long_term = next(r for r in data["rows"] if r["task"].number == 17)
    assert not long_term["overdue"]


def test_it_counts_half_monthly_periods_when_the_campaign_schedules_every_half_month():
    assert periods("half_monthly", date(2026, 7, 1), date(2026, 8, 17)) == [
        (date(2026, 7, 1), date(2026, 7, 15)),
        (date(2026, 7, 16), date(2026, 7, 31)),
        (date(2026, 8, 1), date(2026, 8, 15)),
    ]


def test_it_refuses_a_stale_task_edit(campaign, world):
    task = campaign.tasks.get(number=1)
    services.task_update(actor=world.office, task=task, version=task.version, measures="改写")
    with pytest.raises(StaleWriteError):
        services.task_update(actor=world.office, task=task, version=1, measures="再改")


def test_it_turns_a_meeting_decision_into_a_task(campaign, world):
    meeting = services.meeting_record(
        actor=world.office,
        region=world.county,
        title="第一次联席会议",
        held_on=date(2026, 9, 1),
        agenda="研究补助",
        attendees=[world.dept_rs],
    )
    finance = Department.objects.get(name="县财政局")
    decision = services.decision_add(
        actor=world.office,
        meeting=meeting,
        content="拟定补助标准",
        lead_department=finance,
        deadline=date(2026, 12, 31),
    )
    with pytest.raises(ValidationError, match="不属于"):
        services.decision_add(
            actor=world.office,
            meeting=meeting,
            content="另一县的部门",
            lead_department=world.other_dept,
            deadline=date(2026, 12, 31),
        )
    task = services.decision_to_task(actor=world.office, decision=decision, campaign=campaign)
    assert (task.number, task.lead_department, task.deadline) == (18, finance, date(2026, 12, 31))
    assert Task.objects.get(decision=decision) == task
    with pytest.raises(ValidationError):
        services.decision_to_task(actor=world.office, decision=decision, campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            actor=world.dept_clerk, region=world.county, title="x", held_on=date(2026, 9, 1), agenda="y"
        )


def test_it_shows_the_county_campaign_to_townships_and_departments_not_to_villages(campaign, world):
    assert selectors.campaigns(world.town_hk).filter(pk=campaign.pk).exists()
    assert selectors.campaigns(world.dept_clerk).filter(pk=campaign.pk).exists()
    with pytest.raises(PermissionDenied):
        selectors.campaigns(world.village_cadre)
    from jianfu.campaign.models import Campaign

    assert not Campaign.objects.visible_to(world.outsider).exists()


def test_it_still_expects_the_report_of_the_period_ending_on_the_campaigns_last_day(world):
    campaign = services.campaign_create(
        actor=world.office,
        region=world.county,
        title="七月专项行动",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 7, 31),
    )
    task = rs_task(world, campaign)
    missing = selectors.missing_reports(task, campaign, date(2026, 9, 1), set())
    assert ("monthly", date(2026, 7, 1), date(2026, 7, 31)) in missing
