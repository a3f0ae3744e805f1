"""The pages and the API as people use them: entry, review, registration, approval, issue, export, filling."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from jianfu.forms.models import BaseValue, DepartmentForm, FormStatus, FormTask
from tests.forms.conftest import YEAR, make_indicators


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("data.xlsx", buffer.getvalue())


def test_it_exports_the_departments_layout_with_the_served_values(world, client, table):
    client.force_login(world.dept_clerk)
    response = client.get(f"/forms/forms/{table.form.pk}/export.xlsx?period={YEAR}Q1")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "就业和社保基础信息表" in sheet["A1"].value
    header = [c.value for c in sheet[3]]
    assert header[:5] == [
        "区划代码",
        "村（社区）",
        "常住人口数（人）",
        "户籍户数（户）",
        "外出务工人数（人）",
    ]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows[world.village_taoyuan.code][2:4] == (1520, 430)
    assert len(rows) == 20  # every village and community of 清河县 has a row


def test_the_pages_walk_a_form_from_registration_to_the_village(world, client):
    make_indicators(world)
    client.force_login(world.dept_clerk)
    page = client.post(
        "/forms/forms/new/",
        {
            "department": world.dept_rs.pk,
            "year": YEAR,
            "name": "页面登记表",
            "legal_basis": "《就业促进法》",
            "frequency": "yearly",
            "list_item_code": "SZ-RS-XZ-001",
            "label_1": "常住人口",
            "unit_1": "人",
            "type_1": "integer",
            "label_2": "公益性岗位人数",
            "unit_2": "人",
            "type_2": "integer",
            **{f"type_{n}": "integer" for n in range(3, 9)},
        },
    )
    form = DepartmentForm.objects.get(name="页面登记表")
    assert page.status_code == 302 and page["Location"] == f"/forms/forms/{form.pk}/"
    detail = client.get(page["Location"]).content.decode()
    assert "基础指标：常住人口" in detail
    fields = {f.label: f for f in form.fields.all()}
    client.post(
        f"/forms/forms/{form.pk}/map/",
        {
            "version": form.version,
            f"indicator_{fields['常住人口'].pk}": fields["常住人口"].proposals[0]["indicator"],
            f"justification_{fields['公益性岗位人数'].pk}": "公益性岗位管理需要",
        },
    )
    form.refresh_from_db()
    client.post(f"/forms/forms/{form.pk}/submit/", {"version": form.version})
    client.post(f"/forms/forms/{form.pk}/issue/", {"period": str(YEAR)})
    assert not FormTask.objects.exists()  # submitted, not yet in the list: cannot be issued
    client.force_login(world.office)
    form.refresh_from_db()
    client.post(
        f"/forms/forms/{form.pk}/decide/", {"decision": "approve", "version": form.version, "note": "同意"}
    )
    form.refresh_from_db()
    assert form.status == FormStatus.APPROVED and form.number
    client.force_login(world.dept_clerk)
    client.post(f"/forms/forms/{form.pk}/issue/", {"period": str(YEAR)})
    task = FormTask.objects.get(village=world.village_taoyuan)
    client.force_login(world.village_cadre)
    client.post(
        f"/forms/values/{world.village_taoyuan.code}/",
        {
            "period": str(YEAR),
            f"v_{fields['常住人口'].indicator_id or form.fields.get(label='常住人口').indicator_id}": "880",
        },
    )
    page = client.post(
        f"/forms/tasks/{task.pk}/", {"version": task.version, f"typed_{fields['公益性岗位人数'].pk}": "4"}
    )
    assert page.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.typed, task.served) == ("submitted", 1, 1)
    assert "880" in client.get(f"/forms/tasks/{task.pk}/").content.decode()


def test_it_imports_base_data_all_or_nothing_with_row_errors(world, client, run_tasks):
    make_indicators(world)
    client.force_login(world.village_cadre)
    code = world.village_taoyuan.code
    bad = _xlsx(
        [
            ["村（社区）区划代码", "指标编码", "统计期", "数值", "单位"],
            [code, "JC-001", "2026", "900", "人"],
            [code, "JC-002", "2026", "三百", "户"],
            [world.community_jiefang.code, "JC-001", "2026", "5", "人"],
            [code, "JC-003", "2026", "50", "户"],
        ]
    )
    page = client.post("/forms/values/import/", {"file": bad})
    assert page.status_code == 302 and run_tasks() == 1  # checked by the worker, progress on the work page
    work = client.get(page["Location"]).context["work"]
    assert work.get_status_display() == "未通过校验，未做任何修改"
    errors = work.errors
    assert any(e.startswith("第 3 行“数值”") and "不是数字" in e for e in errors)
    assert any(e.startswith("第 4 行") and "不能录入" in e for e in errors)
    assert any(e.startswith("第 5 行") and "单位应为“人”" in e for e in errors)
    assert not BaseValue.objects.exists()
    good = _xlsx(
        [
            ["村（社区）区划代码", "指标编码", "统计期", "数值", "单位"],
            [code, "JC-001", "2026", "900", "人"],
            [code, "JC-002", "2026", "300", ""],
        ]
    )
    assert client.post("/forms/values/import/", {"file": good}).status_code == 302
    assert run_tasks() == 1
    assert BaseValue.objects.filter(village=world.village_taoyuan, source="imported").count() == 2


def test_it_imports_form_definitions_all_or_nothing(world, client):
    make_indicators(world)
    client.force_login(world.dept_clerk)
    header = [
        "报表名称",
        "填报依据",
        "填报频次",
        "服务的清单事项编码",
        "栏目名称",
        "单位",
        "数据类型",
        "对应指标编码",
        "新增理由",
    ]
    bad = _xlsx(
        [
            header,
            ["就业表", "就业促进法", "每季度", "SZ-RS-XZ-001", "常住人口", "人", "整数", "JC-001", ""],
            ["就业表", "就业促进法", "每季度", "SZ-RS-XZ-001", "岗位数", "个", "整数", "JC-999", "需要"],
        ]
    )
    page = client.post("/forms/forms/import/", {"file": bad})
    assert any("第 3 行“对应指标编码”" in e for e in page.context["errors"])
    assert not DepartmentForm.objects.exists()
    good = _xlsx(
        [
            header,
            ["就业表", "就业促进法", "每季度", "SZ-RS-XZ-001", "常住人口", "人", "整数", "JC-001", ""],
            ["就业表", "就业促进法", "每季度", "SZ-RS-XZ-001", "岗位数", "个", "整数", "", "需要"],
        ]
    )
    assert client.post("/forms/forms/import/", {"file": good}).status_code == 302
    assert DepartmentForm.objects.get().fields.count() == 2


def test_the_api_refuses_to_issue_an_unlisted_form_and_answers_409_on_a_stale_version(world, client, table):
    client.force_login(world.dept_clerk)
    body = {
        "year": YEAR,
        "name": "API 表",
        "legal_basis": "依据",
        "frequency": "yearly",
        "fields": [{"label": "外出务工人数", "unit": "人", "justification": "需要"}],
    }
    made = client.post("/api/v1/forms/forms", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    issued = client.post(
        f"/api/v1/forms/forms/{pk}/issue", json.dumps({"period": "2026"}), content_type="application/json"
    )
    assert issued.status_code == 400 and "未列入年度填报表格清单" in issued.json()["error"]["message"]
    stale = client.post(
        f"/api/v1/forms/forms/{pk}/submit", json.dumps({"version": 99}), content_type="application/json"
    )
    assert stale.status_code == 409
    client.force_login(world.monitor)
    served = client.get(
        "/api/v1/forms/check",
        {
            "department_id": world.dept_rs.pk,
            "village_code": world.village_taoyuan.code,
            "title": "就业和社保基础信息表",
            "on": "2026-05-01",
        },
    )
    assert served.status_code == 200 and served.json()["passed"] is True


def test_pages_render_for_their_people(world, client, table):
    pages = {
        world.office: [
            "/forms/",
            "/forms/indicators/",
            "/forms/indicators/duplicates/",
            "/forms/rules/",
            "/forms/list/",
            "/forms/list/rules/",
            "/forms/stats/",
            "/forms/counts/",
            "/forms/channels/",
            f"/forms/review/{world.township_hk.code}/?period=2026",
            f"/forms/forms/{table.form.pk}/",
        ],
        world.village_cadre: [
            "/forms/",
            f"/forms/values/{world.village_taoyuan.code}/?period=2026",
            "/forms/tasks/",
            f"/forms/tasks/{table.task.pk}/",
            "/forms/values/import/",
        ],
        world.dept_clerk: ["/forms/forms/new/", "/forms/forms/import/", "/forms/channels/new/"],
    }
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 200, (person, url)


def test_the_export_never_turns_a_typed_name_or_label_into_a_formula(world, client, table):
    """Form names and field labels are typed by department clerks; a leading "=" must stay text in the file."""
    DepartmentForm.objects.filter(pk=table.form.pk).update(name='=HYPERLINK("http://x","点我")')
    table.form.fields.filter(position=table.form.fields.order_by("position").first().position).update(
        label="=1+1"
    )
    client.force_login(world.dept_clerk)
    response = client.get(f"/forms/forms/{table.form.pk}/export.xlsx?period={YEAR}Q1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].data_type == "s" and sheet["A1"].value.startswith('=HYPERLINK("http://x","点我")')
    assert sheet["C3"].data_type == "s" and sheet["C3"].value.startswith("=1+1")
