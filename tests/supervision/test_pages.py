"""The pages people use: a department drafts and submits, the office approves, the village records a visit and
its placards, the township and county see the summaries with their charts' data."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianfu.supervision.models import InspectionPlan, InspectionVisit, Placard, PlanStatus

from .conftest import YEAR, approved_plan, placards, png_bytes

pytestmark = pytest.mark.django_db


def test_a_department_drafts_and_the_office_approves_from_the_pages(world, login, client):
    login(world.dept_clerk)
    response = client.post("/supervision/plans/", {"department": world.dept_rs.pk, "year": YEAR})
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/plans/{plan.pk}/"
    item = {
        "version": plan.version,
        "kind": "research",
        "subject": "就业调研",
        "month": 5,
        "scope": world.township_hk.pk,
        "village_count": 2,
    }
    assert client.post(f"/supervision/plans/{plan.pk}/items/", item).status_code == 302
    bad = client.post(
        f"/supervision/plans/{plan.pk}/items/", {**item, "version": plan.version + 1, "village_count": 0}
    )
    assert (
        bad.status_code == 400 and "请选择到村（社区），或填写计划到村（社区）的数量" in bad.content.decode()
    )
    plan.refresh_from_db()
    client.post(f"/supervision/plans/{plan.pk}/submit/", {"version": plan.version})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    login(world.office)
    page = client.get(f"/supervision/plans/{plan.pk}/").content.decode()
    assert "批准" in page and "就业调研" in page
    response = client.post(
        f"/supervision/plans/{plan.pk}/decide/", {"version": plan.version, "decision": "approve"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_a_village_records_a_visit_and_sees_the_verdict(world, login, client):
    approved_plan(world)
    login(world.village_cadre)
    form = client.get("/supervision/visits/new/").content.decode()
    assert 'for="id_department"' in form and "县人社局" in form
    data = {
        "village": world.village_taoyuan.code,
        "department": world.dept_rs.pk,
        "on": f"{YEAR}-09-02",
        "kind": "inspection",
        "subject": "社保检查",
        "demanded_materials": "on",
    }
    response = client.post("/supervision/visits/new/", data, follow=True)
    visit = InspectionVisit.objects.get()
    assert visit.unplanned and visit.materials_flag
    assert "未列入年度督查检查计划" in response.content.decode()
    # The department sees the visit but not who recorded it.
    login(world.dept_clerk)
    page = client.get(f"/supervision/visits/{visit.pk}/").content.decode()
    assert world.village_cadre.full_name not in page and "未列入年度督查检查计划" in page
    login(world.community_cadre)
    assert client.get(f"/supervision/visits/{visit.pk}/").status_code == 404


def test_a_village_registers_placards_with_photos_and_records_removals(
    world, login, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login(world.village_cadre)
    url = f"/supervision/villages/{world.village_taoyuan.code}/placards/new/"
    photo = SimpleUploadedFile("sign.png", png_bytes(), content_type="image/png")
    response = client.post(url, {"kind": "outside_placard", "title": "桃园村老年人协会", "photo": photo})
    assert response.status_code == 302
    fake = SimpleUploadedFile("sign.png", b"<html>", content_type="image/png")
    response = client.post(url, {"kind": "outside_placard", "title": "另一块", "photo": fake})
    assert response.status_code == 400 and "不是图片文件" in response.content.decode()
    placard = Placard.objects.get()
    assert b"".join(client.get(f"/supervision/placards/{placard.pk}/photo/").streaming_content) == png_bytes()
    page = client.get(f"/supervision/villages/{world.village_taoyuan.code}/").content.decode()
    assert "应摘除" in page and "外部标牌只保留4个" in page
    client.post(
        f"/supervision/placards/{placard.pk}/remove/", {"version": 1, "removed_on": str(date.today())}
    )
    placard.refresh_from_db()
    assert placard.removed_by == world.village_cadre


def test_the_county_and_township_summaries_link_their_figures(world, login, client):
    made = placards(world)
    from jianfu.supervision import services

    services.placard_remove(actor=None, placard=made["禁毒工作领导小组职责"])
    login(world.office)
    page = client.get("/supervision/placards/").content.decode()
    chart = json.loads(page.split('id="data-placards" type="application/json">')[1].split("</script>")[0])
    hk = chart["labels"].index("河口镇")
    assert chart["series"][1]["data"][hk] == 1 and chart["series"][2]["data"][hk] == 3
    assert (
        "/supervision/placard_list" not in page and "/supervision/placards/list/?region=428521101000" in page
    )
    login(world.town_hk)
    page = client.get("/supervision/placards/").content.decode()
    assert "桃园村" in page and "城关街道" not in page.split("<main")[-1]


def test_the_overview_shows_planned_against_actual(world, login, client):
    approved_plan(world)
    login(world.office)
    page = client.get(f"/supervision/?year={YEAR}").content.decode()
    data = json.loads(page.split('id="data-yoy" type="application/json">')[1].split("</script>")[0])
    assert data["series"][0]["data"][-1] == 5
    assert data["series"][0]["links"][-1] == f"/supervision/visits/?region={world.county.code}&year={YEAR}"
    login(world.village_cadre)
    home = client.get("/home/").content.decode()
    assert "督查检查与机制牌子" in home and "/supervision/visits/new/" in home


def test_the_office_keeps_the_standard_and_others_only_read_it(world, login, client):
    login(world.office)
    page = client.get("/supervision/standard/").content.decode()
    assert "集体经济组织" in page and "textarea" in page
    response = client.post(
        "/supervision/standard/",
        {
            "version": 0,
            "outside_placards": "村党组织：支部委员会",
            "outside_signs": "党群服务中心：党群服务中心",
            "inside_max": 9,
            "wall_rules": "村务公开",
        },
    )
    assert response.status_code == 302
    login(world.town_hk)
    page = client.get("/supervision/standard/").content.decode()
    assert "textarea" not in page and "村党组织" in page
    assert client.post("/supervision/standard/", {"inside_max": 1}).status_code == 403


def test_the_office_sees_the_cut_against_last_year_on_the_plan(world, login, client):
    from jianfu.supervision import services

    five = [
        dict(kind="inspection", subject=f"检查{i}", month=3, village_count=1, scope=world.county)
        for i in range(5)
    ]
    approved_plan(world, items=five, year=YEAR - 1)
    plan = services.plan_create(actor=None, department=world.dept_rs, year=YEAR)
    for item in five[:4]:
        services.item_add(actor=None, plan=plan, **item)
    services.plan_submit(actor=None, plan=plan)
    login(world.office)
    page = client.get(f"/supervision/plans/{plan.pk}/").content.decode()
    assert "本计划到村 <strong>4</strong> 村次；上年批准 5 村次，同比 -20.0%" in page
