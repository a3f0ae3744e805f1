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
