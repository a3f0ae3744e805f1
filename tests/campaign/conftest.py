"""Campaign fixtures on top of the demo world: the seed-000 campaign and a task led by 县人社局."""

from datetime import date

import pytest

from jianfu.campaign import services
from jianfu.campaign.reference import load_task_table


def make_campaign(w, starts_on=date(2026, 7, 1)):
    campaign = services.campaign_create(
        actor=w.office, region=w.county, title="测试专项行动", starts_on=starts_on, ends_on=date(2027, 6, 30)
    )
    load_task_table(actor=w.office, campaign=campaign)
    return campaign


def rs_task(w, campaign, deadline=date(2026, 8, 31)):
    """A task whose lead unit is 县人社局, so the department clerk persona reports on it."""
    return services.task_add(
        actor=w.office,
        campaign=campaign,
        area="测试任务",
        measures="引导社区工作者取得社工证书",
        lead_department=w.dept_rs,
        deadline=deadline,
    )


@pytest.fixture
def campaign(world):
    return make_campaign(world)
