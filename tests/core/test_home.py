"""Each persona lands on a home page made for their role."""

import pytest

EXPECTED_ON_HOME = {
    "admin": ["系统管理员", "新增用户", "Excel 导入导出"],
    "office": ["准入审核委员会办公室", "成员单位", "县委编办"],
    "chair": ["准入审核委员会主任", "成员单位"],
    "member": ["准入审核委员会成员单位", "县委编办", "本单位人员"],
    "dept_clerk": ["职能部门", "县人社局", "本单位人员"],
    "town_hk": ["乡镇（街道）", "桃园村", "吴大勇"],
    "town_cg": ["乡镇（街道）", "解放路社区", "郑芳"],
    "village_cadre": ["桃园村", "河口镇"],
    "community_cadre": ["解放路社区", "城关街道"],
    "monitor": ["减负监测员"],
    "inspector": ["纪检监察", "审计日志检索", "最近操作记录"],
    "grid_worker": ["网格员", "解放路社区"],
    "outsider": ["东岭县"],
}


@pytest.mark.parametrize("persona", sorted(EXPECTED_ON_HOME))
def test_it_shows_each_role_its_own_home(world, client, persona):
    client.force_login(getattr(world, persona))
    page = client.get("/home/").content.decode()
    for text in EXPECTED_ON_HOME[persona]:
        assert text in page, f"{persona} home lacks {text}"


def test_it_keeps_a_township_home_inside_its_township(world, client):
    client.force_login(world.town_hk)
    page = client.get("/home/").content.decode()
    assert "解放路社区" not in page  # 城关街道's community
    assert "东岭" not in page


def test_it_sends_anonymous_visitors_from_home_to_login(client):
    response = client.get("/home/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_it_shows_the_public_landing_page_without_login(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


# Each role's main actions, right under 现在要办: the buttons a persona sees, in order, and nothing else there.
MAIN_ACTIONS = {
    "village_cadre": ["核对交办任务", "开具证明", "填报一张表"],
    "community_cadre": ["核对交办任务", "开具证明", "填报一张表"],
    "town_hk": ["审核村（社区）基础数据", "分拨网格事件", "录入经费人员到位情况"],
    "monitor": ["记录负担事件", "提交定期报告"],
    "grid_worker": ["上报事件", "不是网格工作？一键反映"],
    "office": ["受理准入申请", "维护清单", "设立监测点"],
    "chair": ["核准准入申请", "减负监测看板", "费随事转报告"],
    "dept_clerk": [],
    "member": [],
    "admin": [],
    "inspector": [],
    "outsider": [],
}


def main_actions(page: str) -> list[tuple[str, str]]:
    import re

    nav = re.search(r'<nav[^>]*aria-label="主要操作">(.*?)</nav>', page, re.S)
    return re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1)) if nav else []


@pytest.mark.parametrize("persona", sorted(MAIN_ACTIONS))
def test_each_role_home_offers_its_main_actions_each_opening_a_page_it_may_use(world, client, persona):
    if persona == "monitor":  # the monitor's pages open once the office has given them a point to serve
        from jianfu.monitoring import services

        point = services.point_designate(actor=world.office, village=world.village_taoyuan)
        services.monitor_assign(actor=world.office, point=point, monitor=world.monitor)
    client.force_login(getattr(world, persona))
    page = client.get("/home/").content.decode()
    actions = main_actions(page)
    assert [label for _, label in actions] == MAIN_ACTIONS[persona]
    if actions and "现在要办" in page:
        assert page.index('aria-label="主要操作"') > page.index("现在要办")
    for url, label in actions:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, f"{persona}: {label} ({url}) answered {response.status_code}"


def test_a_main_action_goes_when_the_county_takes_its_capability_away(world, client):
    from jianfu.orgs import services
    from jianfu.orgs.roles import Capability, Role, capabilities_of

    kept = sorted(capabilities_of(Role.VILLAGE) - {Capability.CERTIFICATES_ISSUE})
    services.role_setting_save(
        actor=world.admin,
        region=world.county,
        role=Role.VILLAGE,
        capabilities=kept,
        reason="证明由乡镇统一出具",
    )
    client.force_login(world.village_cadre)
    labels = [label for _, label in main_actions(client.get("/home/").content.decode())]
    assert labels == ["核对交办任务", "填报一张表"]
