"""Excel imports are all-or-nothing with row/column messages; exports re-import unchanged."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from jianfu.audit.models import AuditRecord
from jianfu.audit.verify import audit_verify
from jianfu.orgs import services
from jianfu.orgs.imports import (
    COLUMNS,
    ImportRefused,
    export_workbook,
    import_departments,
    import_regions,
    import_users,
)
from jianfu.orgs.models import Department, Region, RoleAssignment, User
from jianfu.orgs.roles import Role

REGION_HEADER = COLUMNS["regions"]
DEPARTMENT_HEADER = COLUMNS["departments"]
USER_HEADER = COLUMNS["users"]


def xlsx(header, *rows, title="Sheet") -> io.BytesIO:
    """A real .xlsx file in memory, as an official would save it from Excel."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "upload.xlsx"
    return buffer


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Region, Department, User, RoleAssignment, AuditRecord)
    }


def refusal(importer, **kwargs) -> list[str]:
    before = counts()
    with pytest.raises(ImportRefused) as excinfo:
        importer(**kwargs)
    assert counts() == before, "a refused file must change nothing"
    return excinfo.value.errors


# Good files -----------------------------------------------------------------------------------------


def test_it_imports_a_good_regions_file_with_parents_from_earlier_rows(world):
    file = xlsx(
        REGION_HEADER,
        ["428521103000", "新港镇", "乡镇（街道）", "镇", "428521000000"],
        ["428521103201", "新港村", "村（社区）", "村", "428521103000"],
        ["428521103001", "港湾社区", "村（社区）", "社区", "428521103000"],
        ["428521101201", "桃园村", "村（社区）", "村", "428521101000"],
    )
    result = import_regions(actor=world.admin, fileobj=file, filename="新港镇.xlsx")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 1)
    village = Region.objects.get(code="428521103201")
    assert (village.parent.name, village.kind, village.full_name()) == (
        "新港镇",
        "village",
        "湖北省清江市清河县新港镇新港村",
    )
    record = AuditRecord.objects.get(action="region.import", actor=world.admin)
    assert (
        record.actor_id == world.admin.pk
        and record.after["created"] == 3
        and record.after["file"] == "新港镇.xlsx"
    )
    assert audit_verify().ok


def test_it_imports_good_department_and_user_files(world):
    result = import_departments(
        actor=world.admin,
        fileobj=xlsx(
            DEPARTMENT_HEADER,
            ["县医保局", "医保局", "428521000000", "政府部门", "是"],
            ["县统计局", "", "428521000000", "", "否"],
        ),
    )
    assert result.created == 2
    assert Department.objects.get(name="县医保局").is_member_unit
    assert Department.objects.get(name="县统计局").kind == "government"

    result = import_users(
        actor=world.admin,
        fileobj=xlsx(
            USER_HEADER,
            ["yb_clerk", "医保经办", "13800000099", "428521000000", "县医保局", "职能部门", "", "Yibao@2026"],
            ["lw_cadre", "柳湾村干部", "", "428521101202", "", "村（社区）", "428521101202", "Liuwan#2026"],
        ),
    )
    assert result.created == 2
    clerk = User.objects.get(username="yb_clerk")
    assert clerk.check_password("Yibao@2026") and clerk.department.name == "县医保局"
    assert clerk.role_assignments.get().role == Role.DEPARTMENT
    assert User.objects.get(username="lw_cadre").role_assignments.get().region.name == "柳湾村"


# Bad files ------------------------------------------------------------------------------------------


def test_it_refuses_a_regions_file_with_several_bad_rows_naming_each_row_and_column(world):
    file = xlsx(
        REGION_HEADER,
        ["428521103000", "新港镇", "乡镇（街道）", "镇", "428521000000"],  # row 2: fine on its own
        ["4285211032", "短码村", "村（社区）", "村", "428521103000"],  # row 3: 10 digits
        ["428521199201", "无主村", "村（社区）", "村", "428521199000"],  # row 4: unknown parent
        ["428521104000", "错类镇", "乡镇（街道）", "村", "428521000000"],  # row 5: 村 is not a township kind
        ["428521103000", "重复镇", "乡镇（街道）", "镇", "428521000000"],  # row 6: duplicate of row 2
        ["428522101000", "东岭新镇", "乡镇（街道）", "镇", "428522000000"],  # row 7: the neighbour's county
    )
    errors = refusal(import_regions, actor=world.admin, fileobj=file, filename="bad.xlsx")
    assert errors[0] == "第 3 行“区划代码”：“4285211032”不是 12 位数字。"
    assert "第 4 行“上级区划代码”：“428521199000”既不在系统中，也不在本文件此行之前。" in errors
    assert any(e.startswith("第 5 行“类型”：“村”不适用于乡镇（街道）级") for e in errors)
    assert "第 6 行“区划代码”：“428521103000”在本文件中重复（第 2 行已出现）。" in errors
    assert "第 7 行“上级区划代码”：“东岭县”不在您的管辖范围内。" in errors
    assert len(errors) == 5
    assert not any(e.startswith("第 2 行") for e in errors)
    assert not Region.objects.filter(code="428521103000").exists()


def test_it_refuses_a_file_with_a_missing_column(world):
    header = [c for c in REGION_HEADER if c != "类型"]
    errors = refusal(
        import_regions,
        actor=None,
        fileobj=xlsx(header, ["428521103000", "新港镇", "乡镇（街道）", "428521000000"]),
    )
    assert errors == ["第 1 行（表头）缺少列：类型。应包含：区划代码、名称、层级、类型、上级区划代码"]


def test_it_refuses_a_file_that_is_not_excel_or_has_no_rows(world):
    errors = refusal(import_regions, actor=None, fileobj=io.BytesIO("区划代码,名称\n1,2\n".encode()))
    assert errors[0].startswith("文件无法作为 Excel（.xlsx）读取")
    assert refusal(import_regions, actor=None, fileobj=xlsx(REGION_HEADER)) == ["文件中没有数据行。"]


def test_it_refuses_a_users_file_with_a_bad_password_and_out_of_scope_regions(world):
    file = xlsx(
        USER_HEADER,
        ["ok_user", "好用户", "", "428521101000", "", "乡镇（街道）", "", "Good#Pass2026"],
        ["weak_user", "弱密码", "", "428521101000", "", "乡镇（街道）", "", "password"],
        ["dl_user", "东岭用户", "", "428522100000", "", "乡镇（街道）", "", "Dongling#2026"],
        ["grant_out", "越权授权", "", "428521101000", "", "乡镇（街道）", "428522100000", "Grant#2026x"],
        ["no_dept", "无部门", "", "428521000000", "", "职能部门", "", "NoDept#2026"],
        ["ok_user", "重复", "", "428521101000", "", "乡镇（街道）", "", "Good#Pass2026"],
        ["no_pw", "无密码", "", "428521101000", "", "乡镇（街道）", "", ""],
        ["bad_role", "坏角色", "", "428521101000", "", "超级用户", "", "BadRole#2026"],
    )
    errors = refusal(import_users, actor=world.admin, fileobj=file)
    by_row: dict[int, list[str]] = {}
    for error in errors:
        by_row.setdefault(int(error.split(" ")[1]), []).append(error)
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9}
    assert (
        by_row[3][0].startswith("第 3 行“初始密码”：")
        and "密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 类" in by_row[3][0]
    )
    assert by_row[4] == [
        "第 4 行“所属区划代码”：不在您的管辖范围内。",
        "第 4 行“授权区划代码”：不在您的管辖范围内。",
    ]
    assert by_row[5] == ["第 5 行“授权区划代码”：不在您的管辖范围内。"]
    assert by_row[6] == ["第 6 行“所属部门”：部门角色须填写所属部门。"]
    assert by_row[7] == ["第 7 行“账号”：与第 2 行重复。"]
    assert by_row[8] == ["第 8 行“初始密码”：新账号须设置初始密码。"]
    assert by_row[9][0].startswith("第 9 行“角色”：“超级用户”无法识别")
    assert not User.objects.filter(username="ok_user").exists()


def test_it_refuses_a_departments_file_outside_the_actors_county(world):
    file = xlsx(
        DEPARTMENT_HEADER,
        ["县医保局", "", "428521000000", "政府部门", "是"],
        ["东岭县医保局", "", "428522000000", "政府部门", "否"],
        ["县医保局", "", "428521000000", "政府部门", "是"],
        ["乡镇医保所", "", "428521999000", "外星部门", "也许"],
    )
    errors = refusal(import_departments, actor=world.admin, fileobj=file)
    assert errors == [
        "第 3 行“所属区划代码”：“东岭县”不在您的管辖范围内。",
        "第 4 行“名称”：与第 2 行重复。",
        "第 5 行“所属区划代码”：“428521999000”不是系统中的省、市、县或乡镇区划。",
        "第 5 行“类别”：“外星部门”无法识别，应为：党委部门、政府部门、纪检监察机关、群团组织、乡镇（街道）党委政府、其他单位。",
        "第 5 行“成员单位”：“也许”应填“是”或“否”。",
    ]


# Round trips ----------------------------------------------------------------------------------------


def _saved(workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    ("kind", "importer", "source"),
    [
        ("regions", import_regions, lambda: Region.objects.order_by("code")),
        ("departments", import_departments, lambda: Department.objects.all()),
        ("users", import_users, lambda: User.objects.all()),
    ],
)
def test_it_round_trips_an_export_with_nothing_created(world, kind, importer, source):
    before = counts()
    result = importer(actor=None, fileobj=_saved(export_workbook(kind, source())), filename=f"{kind}.xlsx")
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == (RoleAssignment.objects.count() if kind == "users" else source().count())
    assert counts() == before  # an unchanged file writes not even an audit row


def test_it_round_trips_users_holding_several_roles(world):
    services.role_grant(actor=None, user=world.dept_clerk, role=Role.MONITOR, region=world.county)
    file = _saved(export_workbook("users", User.objects.all()))
    result = import_users(actor=None, fileobj=file)
    assert (result.created, result.updated) == (0, 0)


def _import_on_the_page(client, run_tasks, kind, upload):
    """Post the file (the worker checks and writes it), run the worker, and read the work page."""
    response = client.post("/orgs/import/", {"kind": kind, "file": upload})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/work/"), response
    assert run_tasks() == 1
    return client.get(response["Location"]).content.decode()


def test_it_round_trips_through_the_pages_for_a_county_admin(world, client, login, run_tasks):
    login(world.admin)
    for kind in ("regions", "departments", "users"):
        exported = client.get(f"/orgs/export/{kind}.xlsx")
        upload = io.BytesIO(exported.content)
        upload.name = f"{kind}.xlsx"
        before = counts()
        html = _import_on_the_page(client, run_tasks, kind, upload)
        assert "导入成功：新增 0 条，更新 0 条" in html, (kind, html[-3000:])
        after = counts()
        assert after.pop("AuditRecord") == before.pop("AuditRecord") + 1  # the request for the work itself
        assert after == before


# Pages ----------------------------------------------------------------------------------------------


def test_it_shows_every_error_on_the_import_page(world, client, login, run_tasks):
    login(world.admin)
    file = xlsx(
        REGION_HEADER,
        ["4285211032", "短码村", "村（社区）", "村", "428521103000"],
        ["428522101000", "东岭新镇", "乡镇（街道）", "镇", "428522000000"],
    )
    before = counts()
    html = _import_on_the_page(client, run_tasks, "regions", file)
    assert "未通过校验，未做任何修改" in html and "本次没有导入任何数据" in html
    assert "第 2 行“区划代码”：“4285211032”不是 12 位数字。" in html
    assert "第 3 行“上级区划代码”：“东岭县”不在您的管辖范围内。" in html
    after = counts()
    assert after.pop("AuditRecord") == before.pop("AuditRecord") + 2  # the request, and the refusal itself
    assert after == before
    refusal = AuditRecord.objects.order_by("-seq").first()
    assert (refusal.action, refusal.success, refusal.actor_id) == ("region.import", False, world.admin.pk)


def test_it_imports_a_good_file_on_the_page(world, client, login, run_tasks):
    login(world.admin)
    file = xlsx(DEPARTMENT_HEADER, ["县医保局", "医保局", "428521000000", "政府部门", "是"])
    assert "导入成功：新增 1 条" in _import_on_the_page(client, run_tasks, "departments", file)
    assert Department.objects.filter(name="县医保局", region=world.county).exists()


@pytest.mark.parametrize("kind", ["regions", "departments", "users"])
def test_it_exports_an_xlsx_that_reads_back_with_the_right_header(world, client, login, kind):
    login(world.admin)
    response = client.get(f"/orgs/export/{kind}.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{kind}-')
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS[kind]
    if kind == "regions":  # only the admin's own county, not the neighbour
        codes = [r[0] for r in rows[1:]]
        assert "428521101201" in codes and not any(c.startswith("428522") for c in codes)
        assert len(codes) == Region.objects.filter(code__startswith="428521").count()


def test_it_keeps_the_import_page_from_people_who_do_not_manage_orgs(world, client, login):
    login(world.town_hk)
    assert client.get("/orgs/import/").status_code == 403
    file = xlsx(DEPARTMENT_HEADER, ["河口镇医保站", "", "428521101000", "政府部门", "否"])
    assert client.post("/orgs/import/", {"kind": "departments", "file": file}).status_code == 403
    assert not Department.objects.filter(name="河口镇医保站").exists()


def test_it_names_a_formula_cell_by_row_and_column_instead_of_calling_it_empty(world):
    file = xlsx(REGION_HEADER, ["428521103000", '=A2&"镇"', "乡镇（街道）", "镇", "428521000000"])
    errors = refusal(import_regions, actor=world.admin, fileobj=file, filename="formula.xlsx")
    assert errors == ['第 2 行“名称”（B 列）是公式 =A2&"镇"，请改为直接填写的值（复制后“选择性粘贴—数值”）。']
    assert not Region.objects.filter(code="428521103000").exists()


def test_it_never_shows_a_library_class_name_for_a_file_that_is_not_excel(world):
    errors = refusal(import_regions, actor=None, fileobj=io.BytesIO(b"PK\x03\x04 broken zip"))
    assert errors == ["文件无法作为 Excel（.xlsx）读取，请用 Excel 或 WPS 另存为 .xlsx 后再导入。"]
