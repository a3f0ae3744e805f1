"""Supplements to an approved inspection plan: submitted with a reason, approved or refused by the office (never
for its own department), kept as supplements; a visit is matched against the plan and its approved supplements."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.audit.models import AuditRecord
from jianfu.supervision import services
from jianfu.supervision.models import PlanItem, PlanStatus, SupplementStatus

from .conftest import YEAR, approved_plan, visit

pytestmark = pytest.mark.django_db

AUGUST = dict(kind="inspection", subject="就业补贴发放核查", month=8)


def _supplement(world, plan, **overrides):
    return services.supplement_submit(
        actor=world.dept_clerk,
        plan=plan,
        reason=overrides.pop("reason", "省厅8月临时部署就业补贴专项核查"),
        items=[{**AUGUST, "villages": [world.village_taoyuan], **overrides}],
    )


def test_a_visit_counts_as_planned_only_once_its_supplement_is_approved(world):
    plan = approved_plan(world)
    supplement = _supplement(world, plan)
    assert supplement.status == SupplementStatus.SUBMITTED
    # Submitted, not approved: the August visit is still out of plan.
    assert visit(world, on=date(YEAR, 8, 5), subject="就业补贴发放核查").unplanned
    services.supplement_decide(actor=world.office, supplement=supplement, approve=True)
    later = visit(world, on=date(YEAR, 8, 20), subject="就业补贴发放核查")
    assert not later.unplanned and later.plan_item.supplement == supplement
    # The plan itself stays approved and its own items are unchanged: the supplement is its own record.
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert PlanItem.objects.filter(plan=plan, supplement__isnull=True).count() == 3
    labels = set(AuditRecord.objects.filter(object_id=str(plan.pk)).values_list("action", flat=True))
    assert {"supervision.supplement_submit", "supervision.supplement_approved"} <= labels


def test_a_refused_supplement_needs_a_reason_and_plans_nothing(world):
    plan = approved_plan(world)
    supplement = _supplement(world, plan)
    with pytest.raises(ValidationError) as refused:
        services.supplement_decide(actor=world.office, supplement=supplement, approve=False)
    assert "理由" in refused.value.message_dict["note"][0]
    services.supplement_decide(
        actor=world.office, supplement=supplement, approve=False, note="可并入9月例行检查"
    )
    supplement.refresh_from_db()
    assert supplement.status == SupplementStatus.REFUSED and supplement.decision_note == "可并入9月例行检查"
    assert visit(world, on=date(YEAR, 8, 5), subject="就业补贴发放核查").unplanned
    with pytest.raises(ValidationError):  # decided once
        services.supplement_decide(actor=world.office, supplement=supplement, approve=True)


def test_a_supplement_needs_a_reason_an_approved_plan_and_valid_items(world):
    plan = approved_plan(world)
    with pytest.raises(ValidationError) as refused:
        _supplement(world, plan, reason="  ")
    assert "理由" in refused.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as refused:
        _supplement(world, plan, month=13)
    assert refused.value.message_dict["month"][0].startswith("第 1 项")
    assert not plan.supplements.exists() and not PlanItem.objects.filter(supplement__isnull=False).exists()
    draft = services.plan_create(actor=None, department=world.dept_mz, year=YEAR)
    with pytest.raises(ValidationError):
        services.supplement_submit(
            actor=None, plan=draft, reason="补充", items=[{**AUGUST, "village_count": 1}]
        )


def test_nobody_approves_a_supplement_of_their_own_department(world):
    plan = approved_plan(world, department=world.dept_mz)
    supplement = services.supplement_submit(
        actor=None, plan=plan, reason="临时部署", items=[{**AUGUST, "villages": [world.village_taoyuan]}]
    )
    with pytest.raises(PermissionDenied, match="不能审批本部门的计划补充"):
        services.supplement_decide(actor=world.office, supplement=supplement, approve=True)
    with pytest.raises(PermissionDenied):  # nor the department that asked
        services.supplement_decide(actor=world.dept_clerk, supplement=supplement, approve=True)
    supplement.refresh_from_db()
    assert supplement.status == SupplementStatus.SUBMITTED


def test_only_the_department_submits_a_supplement_to_its_plan(world):
    plan = approved_plan(world)
    with pytest.raises(PermissionDenied):
        services.supplement_submit(
            actor=world.office,
            plan=plan,
            reason="代报",
            items=[{**AUGUST, "villages": [world.village_taoyuan]}],
        )


def test_the_pages_submit_and_decide_a_supplement(world, login):
    plan = approved_plan(world)
    page = login(world.dept_clerk).get(f"/supervision/plans/{plan.pk}/")
    assert "报送计划补充" in page.content.decode()
    posted = login(world.dept_clerk).post(
        f"/supervision/plans/{plan.pk}/supplements/",
        {
            "version": plan.version,
            "kind": "inspection",
            "subject": "就业补贴发放核查",
            "month": 8,
            "villages": [world.village_taoyuan.code],
            "village_count": 0,
            "reason": "省厅临时部署",
        },
    )
    assert posted.status_code == 302
    supplement = plan.supplements.get()
    office_page = login(world.office).get(f"/supervision/plans/{plan.pk}/").content.decode()
    assert "省厅临时部署" in office_page and "批准补充" in office_page
    decided = login(world.office).post(
        f"/supervision/supplements/{supplement.pk}/decide/",
        {"decision": "approve", "version": supplement.version},
    )
    assert decided.status_code == 302
    supplement.refresh_from_db()
    assert supplement.status == SupplementStatus.APPROVED and supplement.decided_by == world.office


def test_the_api_submits_and_decides_a_supplement(world, client):
    plan = approved_plan(world)
    client.force_login(world.dept_clerk)
    body = {
        "reason": "省厅临时部署",
        "items": [
            {
                "kind": "research",
                "subject": "返乡创业调研",
                "month": 9,
                "scope_code": world.township_hk.code,
                "village_count": 2,
            }
        ],
    }
    created = client.post(
        f"/api/v1/supervision/plans/{plan.pk}/supplements", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["status_label"] == "待审批" and row["items"][0]["village_count"] == 2
    client.force_login(world.office)
    decided = client.post(
        f"/api/v1/supervision/supplements/{row['id']}/decide",
        json.dumps({"approve": False, "note": ""}),
        content_type="application/json",
    )
    assert decided.status_code == 400
    decided = client.post(
        f"/api/v1/supervision/supplements/{row['id']}/decide",
        json.dumps({"approve": True}),
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    detail = client.get(f"/api/v1/supervision/plans/{plan.pk}").json()
    assert len(detail["items"]) == 3 and detail["supplements"][0]["decided_by"] == world.office.full_name
