"""Separation of duties on campaign tasks: the lead unit reports, the leading group's office closes, and never a
task its own department leads."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.audit.models import AuditRecord
from jianfu.campaign import services
from jianfu.campaign.models import TaskStatus

from .conftest import rs_task


def _report_done(world, task, actor=None):
    services.report_file(
        actor=actor or world.dept_clerk,
        task=task,
        kind="monthly",
        period_start=date(2026, 7, 1),
        summary="已完成",
        progress=100,
        completes=True,
        today=date(2026, 8, 2),
    )
    task.refresh_from_db()
    return task


def test_the_lead_units_report_does_not_close_its_task(world, campaign):
    task = _report_done(world, rs_task(world, campaign))
    assert task.status == TaskStatus.REPORTED
    with pytest.raises(PermissionDenied):
        services.task_close(actor=world.dept_clerk, task=task, close=True)
    with pytest.raises(ValidationError, match="待领导小组办公室确认办结"):
        services.report_file(
            actor=world.dept_clerk,
            task=task,
            kind="weekly",
            period_start=date(2026, 7, 27),
            summary="再报",
            progress=100,
            today=date(2026, 8, 2),
        )


def test_the_office_closes_only_after_the_report(world, campaign):
    task = rs_task(world, campaign)
    with pytest.raises(ValidationError, match="不能确认办结"):
        services.task_close(actor=world.office, task=task, close=True)
    task = _report_done(world, task)
    services.task_close(actor=world.office, task=task, close=True, note="核实无误")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert AuditRecord.objects.filter(action="campaign.task_close", object_id=str(task.pk)).exists()


def test_the_office_sends_a_task_back_only_with_a_reason(world, campaign):
    task = _report_done(world, rs_task(world, campaign))
    with pytest.raises(ValidationError) as refused:
        services.task_close(actor=world.office, task=task, close=False)
    assert "理由" in refused.value.message_dict["note"][0]
    services.task_close(actor=world.office, task=task, close=False, note="证书数量与台账不符")
    task.refresh_from_db()
    assert (task.status, task.completed_on) == (TaskStatus.IN_PROGRESS, None)


def test_the_office_does_not_close_a_task_its_own_department_leads(world, campaign, client):
    task = services.task_add(
        actor=world.office,
        campaign=campaign,
        area="测试任务",
        measures="合理划分村民小组",
        lead_department=world.dept_mz,
        deadline=date(2026, 12, 31),
    )
    task = _report_done(
        world, task, actor=world.office
    )  # the office clerk reports for 县民政局, its department
    with pytest.raises(PermissionDenied, match="不能办结本单位牵头的任务"):
        services.task_close(actor=world.office, task=task, close=True)
    client.force_login(world.office)
    page = client.get(f"/campaign/tasks/{task.pk}/").content.decode()
    assert "不能办结本单位牵头的任务" in page and 'value="close"' not in page
    response = client.post(
        f"/api/v1/campaign/tasks/{task.pk}/close", {"close": True}, content_type="application/json"
    )
    assert response.status_code == 403 and "不能办结本单位牵头的任务" in response.json()["error"]["message"]
    task.refresh_from_db()
    assert task.status == TaskStatus.REPORTED
