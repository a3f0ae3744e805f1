"""Bulletins: draft with the ranking, DOCX, publish, rectify, reopen, rectify again, confirm; states audited."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from jianfu.audit.models import AuditRecord
from jianfu.monitoring.models import BulletinStep, RectificationStatus
from jianfu.monitoring.services import bulletins

from .conftest import judge, record, yesterday


@pytest.fixture
def violations(world, point):
    from jianfu.orgs.models import Department

    record(world, kind="app", description="APP每日打卡", hours=1)
    record(world, kind="app", description="APP积分排名", hours=2)
    record(world, kind="app", department=Department.objects.get(name="县民政局"), description="APP签到")
    record(world, kind="other", description="其他负担")  # no rule: 待研判, not in the bulletin until judged
    judge(world, automatic="violation")


def test_it_ranks_departments_and_drafts_a_docx(world, violations, login):
    draft = bulletins.bulletin_draft(
        actor=world.inspector, region=world.county, period_start=yesterday(), period_end=yesterday()
    )
    entries = list(draft.entries.all())
    assert [(e.department.name, e.violations) for e in entries] == [("县人社局", 2), ("县民政局", 1)]
    response = login(world.inspector).get(f"/monitoring/bulletins/{draft.pk}.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "1. 县人社局：违规2起" in text and "草稿" in text and "整改要求" in text


def test_the_whole_flow_through_the_api(world, violations, login):
    client = login(world.inspector)
    draft = client.post(
        "/api/v1/monitoring/bulletins",
        {
            "region_code": world.county.code,
            "period_start": yesterday().isoformat(),
            "period_end": yesterday().isoformat(),
        },
        content_type="application/json",
    )
    assert draft.status_code == 201, draft.content
    pk = draft.json()["id"]
    published = client.post(
        f"/api/v1/monitoring/bulletins/{pk}/publish", {"version": 1}, content_type="application/json"
    )
    assert published.json()["status"] == "published" and "减负通报" in published.json()["number"]
    department = login(world.dept_clerk)
    mine = department.get(f"/api/v1/monitoring/bulletins/{pk}").json()
    assert [e["department_name"] for e in mine["entries"]] == ["县人社局"]  # not the other department's entry
    entry = mine["entries"][0]
    url = f"/api/v1/monitoring/entries/{entry['id']}"
    assert department.post(url + "/confirm", {}, content_type="application/json").status_code == 403
    stale = department.post(
        url + "/rectify", {"text": "已停用", "version": 99}, content_type="application/json"
    )
    assert stale.status_code == 409
    done = department.post(
        url + "/rectify", {"text": "已停用APP打卡", "version": 1}, content_type="application/json"
    )
    assert done.json()["status"] == "reported"
    monitor = login(world.monitor)
    assert monitor.post(url + "/reopen", {"text": ""}, content_type="application/json").status_code == 400
    assert (
        monitor.post(url + "/reopen", {"text": "仍在打卡"}, content_type="application/json").json()["status"]
        == "pending"
    )
    department = login(world.dept_clerk)
    department.post(url + "/rectify", {"text": "已卸载"}, content_type="application/json")
    confirmed = login(world.monitor).post(url + "/confirm", {}, content_type="application/json")
    assert confirmed.json()["status"] == RectificationStatus.CONFIRMED
    actions = list(BulletinStep.objects.values_list("action", flat=True))
    assert actions == ["draft", "publish", "rectify", "reopen", "rectify", "confirm"]
    assert AuditRecord.objects.filter(action="monitoring.entry_confirm").count() == 1


def test_only_the_named_department_rectifies_and_only_after_publication(world, violations):
    draft = bulletins.bulletin_draft(
        actor=world.inspector, region=world.county, period_start=yesterday(), period_end=yesterday()
    )
    entry = draft.entries.get(department=world.dept_rs)
    with pytest.raises(ValidationError, match="尚未发布"):
        bulletins.entry_rectify(actor=world.dept_clerk, entry=entry, rectification="已改")
    bulletins.bulletin_publish(actor=world.inspector, bulletin=draft)
    other = draft.entries.exclude(department=world.dept_rs).get()
    with pytest.raises(PermissionDenied):
        bulletins.entry_rectify(actor=world.dept_clerk, entry=other, rectification="已改")
    with pytest.raises(PermissionDenied):
        bulletins.bulletin_draft(
            actor=world.monitor, region=world.county, period_start=yesterday(), period_end=yesterday()
        )


def test_nothing_to_bulletin_is_refused(world, point):
    with pytest.raises(ValidationError, match="没有已认定违规"):
        bulletins.bulletin_draft(
            actor=world.inspector, region=world.county, period_start=yesterday(), period_end=yesterday()
        )
