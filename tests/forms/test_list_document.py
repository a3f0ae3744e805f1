"""The annual form list as the official document the county hands to the townships (DOCX, read back), from the
public page with no login; and a department clerk's reporting rates for the department's own forms."""

from io import BytesIO
from urllib.parse import unquote

from docx import Document

from jianfu.forms.selectors import reporting_rates, reporting_rates_live
from tests.forms.conftest import YEAR


def test_anyone_downloads_the_countys_list_as_an_official_document(world, table, client):
    page = client.get("/public/forms/list/", {"county": world.county.code, "year": YEAR}).content.decode()
    assert "下载清单公文" in page
    answer = client.get("/public/forms/list/document.docx", {"county": world.county.code, "year": YEAR})
    assert answer.status_code == 200
    assert f"{world.county.name}{YEAR}年村（社区）填报表格清单.docx" in unquote(answer["Content-Disposition"])
    doc = Document(BytesIO(answer.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{world.county.name}村（社区）减负工作领导小组办公室" in text
    assert "环县开展社区减负专项行动的实施方案" in text and "清单共列入报表1张" in text
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0][:3] == ["序号", "清单编号", "报表名称"]
    assert rows[1][1] == table.form.number and rows[1][2] == table.form.name
    assert rows[1][3] == world.dept_rs.name and rows[1][4] == "每季度" and "次月10日前" in rows[1][5]


def test_a_department_clerk_sees_the_reporting_of_the_departments_own_forms(world, table, client):
    mine = reporting_rates(world.dept_clerk, year=YEAR)
    assert mine == reporting_rates_live(world.dept_clerk, year=YEAR)
    assert mine["total"]["expected"] == table.task.issue.tasks.count() > 1
    assert [f["form_name"] for f in mine["forms"]] == [table.form.name]
    assert reporting_rates(world.member, year=YEAR)["total"]["expected"] == 0  # 县委编办 has no form here
    client.force_login(world.dept_clerk)
    page = client.get("/forms/reporting/", {"year": YEAR}).content.decode()
    assert table.form.name in page and world.township_hk.name in page
    listed = client.get("/forms/tasks/", {"year": YEAR, "township": world.township_hk.code})
    assert (
        len(listed.context["page"].object_list) == world.township_hk.children.filter(is_active=True).count()
    )
