"""The contract monitoring calls: inspection_check, with a passing and a failing case for every rule."""

from datetime import date

import pytest

from jianfu.supervision import services
from jianfu.supervision.checks import inspection_check
from jianfu.supervision.rules import RULE_MATERIALS, RULE_PLANNED, RULE_UNPLANNED, RULE_VETO

from .conftest import YEAR, approved_plan, village, visit

pytestmark = pytest.mark.django_db
LIUWAN, QINGSHAN = "428521101202", "428521201201"  # 柳湾村 (河口镇), 青山村 (青山乡)


def check(world, **kw):
    arguments = dict(department=world.dept_rs, village=world.village_taoyuan, on=date(YEAR, 3, 12))
    return inspection_check(**{**arguments, **kw})


def test_it_passes_a_visit_in_the_approved_plan(world):
    approved_plan(world)
    result = check(world, kind="inspection")
    assert result.passed is True and result.rule == RULE_PLANNED
    assert "社保经办检查" in result.detail and result.url.startswith("/supervision/plans/")


def test_it_breaks_a_visit_in_no_plan(world):
    approved_plan(world)
    result = check(world, on=date(YEAR, 9, 1))
    assert result.passed is False and result.rule == RULE_UNPLANNED
    assert "县人社局" in result.detail and "9月" in result.detail


def test_a_plan_not_yet_approved_does_not_count(world):
    plan = services.plan_create(actor=None, department=world.dept_rs, year=YEAR)
    services.item_add(
        actor=None, plan=plan, kind="inspection", subject="检查", month=3, villages=[world.village_taoyuan]
    )
    services.plan_submit(actor=None, plan=plan)
    assert check(world).rule == RULE_UNPLANNED
    services.plan_decide(actor=None, plan=plan, approve=True)
    assert check(world).passed is True


def test_it_breaks_another_department_or_type_or_village(world):
    approved_plan(world)
    assert check(world, department=world.dept_mz).rule == RULE_UNPLANNED
    assert check(world, kind="supervision").rule == RULE_UNPLANNED
    assert check(world, village=village(LIUWAN)).rule == RULE_UNPLANNED


def test_the_month_window_allows_one_month_either_side(world):
    approved_plan(world)
    assert check(world, on=date(YEAR, 4, 2), kind="inspection").passed is True
    assert check(world, on=date(YEAR, 2, 27), kind="inspection").passed is True
    assert check(world, on=date(YEAR, 1, 20), kind="inspection").rule == RULE_UNPLANNED


def test_a_number_of_villages_is_used_up_by_recorded_visits(world):
    approved_plan(world)
    may = date(YEAR, 5, 10)
    assert check(world, village=village(LIUWAN), on=may, kind="research").passed is True
    assert (
        check(world, village=village(QINGSHAN), on=may, kind="research").rule == RULE_UNPLANNED
    )  # out of scope
    for code in ("428521101202", "428521101203", "428521101204"):
        visit(world, actor=None, village=village(code), on=may, kind="research", subject="就业调研")
    assert check(world, village=village("428521101001"), on=may, kind="research").rule == RULE_UNPLANNED
    # A village already visited under the item is still within it.
    assert check(world, village=village(LIUWAN), on=may, kind="research").passed is True


def test_it_breaks_a_visit_that_demanded_briefing_materials(world):
    approved_plan(world)
    assert check(world, demanded_materials=False).passed is True
    result = check(world, demanded_materials=True)
    assert result.passed is False and result.rule == RULE_MATERIALS


def test_a_planned_item_that_demands_materials_is_broken(world):
    approved_plan(
        world,
        items=[
            dict(
                kind="research",
                subject="调研",
                month=3,
                villages=[world.village_taoyuan],
                demands_materials=True,
            )
        ],
    )
    assert check(world).rule == RULE_MATERIALS


def test_it_breaks_a_one_vote_veto_item(world):
    approved_plan(world)
    result = check(world, on=date(YEAR, 6, 15), kind="assessment")
    assert result.passed is False and result.rule == RULE_VETO and "一票否决" in result.detail


def test_it_accepts_ids_names_and_codes_and_is_unknown_without_them(world):
    approved_plan(world)
    assert check(world, department=world.dept_rs.pk, village=world.village_taoyuan.code).passed is True
    assert check(world, department="县人社局").passed is True
    assert check(world, department=None).passed is None
    assert check(world, village=world.township_hk).passed is None


def test_asking_changes_nothing(world):
    approved_plan(world)
    from jianfu.supervision.models import InspectionVisit

    check(world)
    assert InspectionVisit.objects.count() == 0
