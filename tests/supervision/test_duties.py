"""Separation of duties on inspection plans: the county office does not approve its own department's plan."""

import pytest
from django.core.exceptions import PermissionDenied

from jianfu.supervision import services
from jianfu.supervision.models import PlanStatus

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def _submitted(world, department):
    plan = services.plan_create(actor=None, department=department, year=YEAR)
    services.item_add(
        actor=None,
        plan=plan,
        kind="inspection",
        subject="低保入户核查",
        month=4,
        villages=[world.village_taoyuan],
    )
    services.plan_submit(actor=None, plan=plan)
    plan.refresh_from_db()
    return plan


def test_it_refuses_the_office_approving_its_own_departments_plan(world):
    plan = _submitted(world, world.dept_mz)
    assert world.office.department == world.dept_mz
    for approve in (True, False):
        with pytest.raises(PermissionDenied, match="不能审批本部门的督查检查考核计划"):
            services.plan_decide(actor=world.office, plan=plan, approve=approve, note="压减")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert not services.may_decide(world.office, plan)


def test_it_lets_the_office_decide_another_departments_plan(world):
    plan = _submitted(world, world.dept_rs)
    assert services.may_decide(world.office, plan)
    services.plan_decide(actor=world.office, plan=plan, approve=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_the_plan_page_says_why_no_decision_is_offered(world, client):
    plan = _submitted(world, world.dept_mz)
    client.force_login(world.office)
    page = client.get(f"/supervision/plans/{plan.pk}/").content.decode()
    assert "不能审批本部门的督查检查考核计划" in page and 'value="approve"' not in page
    response = client.post(
        f"/supervision/plans/{plan.pk}/decide/", {"version": plan.version, "decision": "approve"}
    )
    assert response.status_code == 403
