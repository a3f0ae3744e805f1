"""Data quality as people use it: the village's warning on entry, the township's follow-up in its approval view,
the rules page's edit and stop, and a listed form revised on its page and over the API."""

import json

from jianfu.forms.models import DepartmentForm, FlagStatus, FormStatus, ValidationRule, ValueFlag
from tests.forms.test_quality import HISTORY, NEW_FIELDS, _history


def _flagged(world, table, client):
    _history(world, table.indicators)
    client.force_login(world.village_cadre)
    indicator = table.indicators["JC-001"]
    response = client.post(
        f"/forms/values/{world.village_taoyuan.code}/?period=2026",
        {"period": "2026", f"v_{indicator.pk}": "3020"},
        follow=True,
    )
    return response


def test_the_village_is_warned_and_the_township_follows_up_in_its_review(world, client, table):
    response = _flagged(world, table, client)
    page = response.content.decode()
    assert "已保存并提示乡镇（街道）核实" in page and "请核实" in page and "3020" in page
    flag = ValueFlag.objects.get(status=FlagStatus.OPEN)
    client.force_login(world.town_hk)
    review = client.get(f"/forms/review/{world.township_hk.code}/?period=2026").content.decode()
    assert (
        "异常值提示" in review and "桃园村" in review and f"flag-{flag.pk}" in review and "已核实" in review
    )
    refused = client.post(
        f"/forms/flags/{flag.pk}/follow-up/", {"note": "", "version": flag.version}, follow=True
    )
    assert "核实情况" in refused.content.decode() and ValueFlag.objects.get().status == FlagStatus.OPEN
    client.post(f"/forms/flags/{flag.pk}/follow-up/", {"note": "新小区迁入，属实", "version": flag.version})
    flag.refresh_from_db()
    assert flag.status == FlagStatus.FOLLOWED and flag.note == "新小区迁入，属实"
    assert (
        "核实情况：新小区迁入，属实"
        in client.get(f"/forms/review/{world.township_hk.code}/?period=2026").content.decode()
    )


def test_the_flags_api_lists_and_follows_up(world, client, table):
    _flagged(world, table, client)
    client.force_login(world.town_hk)
    rows = client.get(f"/api/v1/forms/flags?township_code={world.township_hk.code}&period=2026").json()
    assert [r["kind"] for r in rows] == ["history"] and rows[0]["compared"] == len(HISTORY)
    answer = client.post(
        f"/api/v1/forms/flags/{rows[0]['id']}/follow-up",
        json.dumps({"note": ""}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and "核实情况" in str(answer.json())
    done = client.post(
        f"/api/v1/forms/flags/{rows[0]['id']}/follow-up",
        json.dumps({"note": "属实"}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "followed"


def test_the_office_edits_and_stops_a_rule_on_the_page_and_the_api(world, client, table):
    rule = ValidationRule.objects.get(left__code="JC-002")
    client.force_login(world.office)
    assert "停用" in client.get("/forms/rules/").content.decode()
    same = client.post(
        f"/forms/rules/{rule.pk}/edit/",
        {"left": rule.left_id, "operator": "le", "factor": "1", "right": rule.left_id, "severity": "error"},
    )
    assert same.status_code == 200 and "右侧指标" in same.content.decode()
    client.post(
        f"/forms/rules/{rule.pk}/edit/",
        {
            "left": rule.left_id,
            "operator": "le",
            "factor": "2",
            "right": rule.right_id,
            "severity": "warning",
            "message": "户数超过人口的两倍",
            "version": rule.version,
        },
    )
    rule.refresh_from_db()
    assert rule.severity == "warning" and rule.factor == 2
    client.post(f"/forms/rules/{rule.pk}/active/", {"active": "0", "version": rule.version})
    rule.refresh_from_db()
    assert not rule.is_active and "已停用" in client.get("/forms/rules/").content.decode()
    bad = client.post(
        "/api/v1/forms/rules",
        json.dumps({"left_code": "JC-404", "operator": "le", "right_code": "JC-001"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "左侧指标" in str(bad.json())
    made = client.post(
        "/api/v1/forms/rules",
        json.dumps({"left_code": "JC-005", "operator": "le", "right_code": "JC-002"}),
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["is_active"]
    client.force_login(world.town_hk)
    refused = client.post(
        f"/api/v1/forms/rules/{made.json()['id']}/active",
        json.dumps({"is_active": False}),
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_the_department_revises_its_listed_form_on_the_page(world, client, table):
    client.force_login(world.dept_clerk)
    detail = client.get(f"/forms/forms/{table.form.pk}/").content.decode()
    assert "修订栏目" in detail and "第 1 版" in detail
    page = client.get(f"/forms/forms/{table.form.pk}/revise/").content.decode()
    assert "常住人口数" in page
    listed = DepartmentForm.objects.get(pk=table.form.pk)
    data = {"revision_reason": "增加返乡创业人数", "version": listed.version}
    for n in range(1, 9):
        spec = NEW_FIELDS[n - 1] if n <= len(NEW_FIELDS) else {"label": "", "unit": ""}
        data.update({f"label_{n}": spec["label"], f"unit_{n}": spec["unit"], f"type_{n}": "integer"})
    response = client.post(f"/forms/forms/{table.form.pk}/revise/", data)
    new = DepartmentForm.objects.get(revises=table.form)
    assert response.status_code == 302 and response["Location"] == f"/forms/forms/{new.pk}/"
    assert new.edition == 2 and new.status == FormStatus.DRAFT and new.fields.count() == 4
    assert "第 2 版" in client.get(f"/forms/forms/{new.pk}/").content.decode()
    again = client.post(
        f"/api/v1/forms/forms/{table.form.pk}/revise",
        json.dumps({"reason": "再改", "fields": [{"label": "只留一栏"}]}),
        content_type="application/json",
    )
    assert again.status_code == 400 and "第 2 版修订" in str(again.json())
