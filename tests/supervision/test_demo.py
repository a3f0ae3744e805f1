"""The demo data: loads once, shows planned against actual with the seed's −20%, flags and placards to remove."""

import pytest

from jianfu.supervision import rules, selectors
from jianfu.supervision.demo import _year, load_demo_records
from jianfu.supervision.models import InspectionVisit, PlanStatus
from jianfu.supervision.stats import year_on_year

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_tells_a_story(world):
    first = load_demo_records()
    assert "份计划" in first and "已存在" in load_demo_records()
    year = _year()
    counts = selectors.inspection_counts(region=world.county, year=year)
    assert counts == {"planned": 16, "actual": 9, "unplanned": 3}
    assert year_on_year(world.county, year)["change"] == -20.0
    visits = InspectionVisit.objects.all()
    assert visits.filter(materials_flag=True).count() == 3 and visits.filter(veto_flag=True).count() == 1
    assert selectors.plan_list(world.office, status=PlanStatus.SUBMITTED).count() == 1
    assert selectors.placard_removals(region=world.county, year=year) == {"placards": 11, "wall_rules": 3}
    assert len(rules.check_village(world.village_taoyuan).over) == 1  # 桃园村 cleaned up all but one rule
