"""Campaign work on the home page's 现在要办 (issue 21): the lead unit's open tasks with their deadline, and the
office's tasks reported complete; each count opens the campaign's ledger filtered to exactly those tasks."""

from datetime import date

import pytest

from jianfu.campaign import selectors, services
from jianfu.core import registry

from .conftest import rs_task

pytestmark = pytest.mark.django_db


def _task(user, label):
    return next(t for t in registry.home_tasks(user) if label in t.label)


def test_the_lead_unit_sees_its_open_tasks_and_the_office_the_reported_ones(client, world, campaign):
    task = rs_task(world, campaign, deadline=date(2026, 8, 31))
    mine = _task(world.dept_clerk, "本单位牵头")
    assert (mine.count, mine.due, mine.url) == (
        1,
        date(2026, 8, 31),
        f"/campaign/{campaign.pk}/?state=mine#tasks",
    )
    assert mine.overdue == 1  # the deadline has passed (the demo's today is later)
    client.force_login(world.dept_clerk)
    page = client.get(mine.url)
    assert [r["task"].pk for r in page.context["rows"]] == [task.pk]
    services.report_file(
        actor=world.dept_clerk,
        task=task,
        kind="weekly",
        period_start=date(2026, 7, 8),
        summary="已全部完成",
        progress=100,
        completes=True,
        today=date(2026, 7, 20),
    )
    assert not [t for t in registry.home_tasks(world.dept_clerk) if "本单位牵头" in t.label]
    waiting = _task(world.office, "待办结")
    assert waiting.count == 1
    client.force_login(world.office)
    rows = client.get(waiting.url).context["rows"]
    assert [r["task"].pk for r in rows] == [task.pk]
    assert selectors.STATES["reported"] in client.get(waiting.url).content.decode()


def test_a_refused_phase_opens_the_form_again_with_its_error_summary(client, world, campaign):
    client.force_login(world.office)
    refused = client.post(f"/campaign/{campaign.pk}/phase/", {"phase": "inspection", "starts_on": ""})
    page = refused.content.decode()
    assert refused.status_code == 200 and "data-error-summary" in page
    assert '<a href="#id_starts_on">' in page and "<details open>" in page
