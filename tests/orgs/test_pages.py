"""Page behaviours a clerk relies on: filters, safe defaults, input checks."""

import io

from openpyxl import Workbook

from jianfu.orgs.imports import COLUMNS, ImportRefused, import_users
from jianfu.orgs.models import RoleAssignment


def test_it_filters_the_region_list_by_kind(world, client):
    client.force_login(world.admin)
    page = client.get("/orgs/regions/", {"kind": "community"}).content.decode()
    assert "解放路社区" in page and "桃园村" not in page
    page = client.get("/orgs/regions/", {"kind": "village"}).content.decode()
    assert "桃园村" in page and "解放路社区" not in page


def test_it_offers_no_default_role_when_granting(world, client):
    client.force_login(world.admin)
    page = client.get(f"/orgs/users/{world.village_cadre.pk}/").content.decode()
    assert '<option value="" selected>请选择</option>' in page
    before = RoleAssignment.objects.count()
    client.post(
        f"/orgs/users/{world.village_cadre.pk}/grant/", {"role": "", "region": world.village_taoyuan.pk}
    )
    assert RoleAssignment.objects.count() == before


def test_it_refuses_an_edit_posted_without_its_version(world, client):
    client.force_login(world.admin)
    response = client.post(
        f"/orgs/departments/{world.dept_rs.pk}/edit/",
        {"name": "县人社局（改）", "region": world.county.pk, "kind": "government"},
    )
    assert response.status_code == 200
    assert "缺少版本号" in response.content.decode()
    world.dept_rs.refresh_from_db()
    assert world.dept_rs.name == "县人社局"


def test_it_refuses_an_imported_user_with_a_bad_phone_number(world):
    sheet = Workbook()
    sheet.active.append(COLUMNS["users"])
    sheet.active.append(
        ["newbie", "新人", "1380000", world.village_taoyuan.code, "", "村（社区）", "", "Qinghe#2026"]
    )
    upload = io.BytesIO()
    sheet.save(upload)
    upload.seek(0)
    try:
        import_users(actor=None, fileobj=upload, filename="users.xlsx")
    except ImportRefused as refusal:
        assert refusal.errors == ["第 2 行“手机号”：“1380000”不是有效的手机号或固定电话。"]
    else:
        raise AssertionError("a bad phone number was imported")
