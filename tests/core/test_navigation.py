"""The menu is built from what the user may do (issue 21): every entry a persona is shown opens for them, and the
entries of modules they have no capability in are not shown. Home counts open the list they count."""

import re

import pytest

from jianfu.admission.models import Application, Status
from jianfu.core.navigation import MENU, menu_for
from tests.conftest import PERSONAS


def _links(user) -> list[tuple[str, str]]:
    return [(i.label, i.url) for item in menu_for(user) for i in (item.children or [item])]


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_shows_each_persona_only_entries_that_open_for_them(persona, world, client):
    user = world.people[persona]
    client.force_login(user)
    links = _links(user)
    assert links, persona
    answers = [(label, url, client.get(url, follow=True).status_code) for label, url in links]
    assert [a for a in answers if a[2] != 200] == []
    page = client.get("/home/").content.decode()
    nav = re.search(r'<nav[^>]*aria-label="主导航".*?</nav>', page, re.S).group(0)
    assert all(f'href="{url}"' in nav for _, url in links)


def test_it_hides_what_the_grid_worker_cannot_use_and_shows_their_own_module(world):
    labels = [label for label, _ in _links(world.grid_worker)]
    assert "网格事件" in labels[:3]  # their own module near the front, not under 治理
    assert not {"准入", "一张表", "协商议事", "证明", "审计日志", "导入导出"} & set(labels)


def test_it_gives_the_administrator_the_organisation_and_not_the_business_modules(world):
    labels = {label for label, _ in _links(world.admin)}
    assert {"行政区划", "用户", "导入导出", "定时作业"} <= labels
    assert not {"准入", "证明", "一张表", "监测", "审计日志"} & labels


def test_it_names_a_route_for_every_entry():
    assert len({e.url_name for e in MENU}) == len(MENU)


def test_it_opens_the_filtered_list_a_home_count_counts(demo_world, client):
    world = demo_world  # applications in several states
    client.force_login(world.office)
    states = (Status.SUBMITTED, Status.MEETING)
    counts = {s: Application.objects.visible_to(world.office).filter(status=s).count() for s in states}
    assert sum(counts.values()) > 0
    home = client.get("/home/").content.decode()
    for status in states:
        assert f'href="/admission/?status={status}"' in home
        listed = client.get(f"/admission/?status={status}").context["page"].paginator.count
        assert listed == counts[status]


def test_it_offers_the_department_clerk_a_new_application_from_home(world, client):
    client.force_login(world.dept_clerk)
    home = client.get("/home/").content.decode()
    assert 'href="/admission/new/"' in home and "新建准入申请" in home
    assert "status=draft&amp;mine=1" in home
