"""The cadre's desk and the records pages, through the test client as the named people use them."""

import io
from html.parser import HTMLParser

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import load_workbook

from jianfu.audit.models import AuditRecord
from jianfu.certificates import services
from jianfu.certificates.models import Commitment, Issuance, Refusal

from .conftest import LI_XIUYING, WANG_JIANGUO, commit, issue, refuse

pytestmark = pytest.mark.usefixtures("lists")
FORM = {
    "institution_kind": "school",
    "institution_name": "清河县第一中学",
    "resident_name": "李秀英",
    "resident_id_number": LI_XIUYING,
    "purpose": "子女入学",
    "t_address": "桃花巷7号",
    "t_since": "2009-05-01",
    "t_verified_by": "入户走访核实",
}


def test_it_proposes_the_type_from_the_residents_words(world, client):
    client.force_login(world.village_cadre)
    page = client.get("/certificates/check/", {"text": "银行要我开亲属关系证明"})
    assert (
        page.context["verdict"]["verdict"] == "cert_forbidden" and page.context["proposed"].code == "BZ-001"
    )
    body = page.content.decode()
    assert (
        "不予出具，告知替代途径" in body and "公安机关（户籍管理部门）" in body and "按模板出具" not in body
    )
    page = client.get("/certificates/check/", {"text": "孩子上学要开居住证明"})
    assert (
        page.context["proposed"].code == "ZM-001" and "/certificates/issue/ZM-001/" in page.content.decode()
    )


def test_it_issues_from_the_page_and_shows_the_number_masked(world, client):
    client.force_login(world.village_cadre)
    response = client.post("/certificates/issue/ZM-001/?text=居住证明", FORM)
    issuance = Issuance.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/certificates/issued/{issuance.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert issuance.number in page and "428521********0244" in page and LI_XIUYING not in page
    assert not AuditRecord.objects.filter(action="certificate.view_id").exists()


def test_it_keeps_the_form_and_names_the_fields_when_input_is_wrong(world, client):
    client.force_login(world.village_cadre)
    page = client.post(
        "/certificates/issue/ZM-001/",
        {
            **FORM,
            "resident_id_number": "428521196803120241",
            "t_since": "2099-01-01",
            "t_verified_by": "电话问的",
        },
    )
    assert page.status_code == 200 and not Issuance.objects.exists()
    errors = page.context["form"].errors
    assert "校验码错误" in errors["resident_id_number"][0]
    assert errors["t_since"] == ["“居住起始日期”不能晚于今天。"]
    assert errors["t_verified_by"] == ["“核实方式”只能选择：入户走访核实、网格员核实、邻里走访核实。"]
    assert "公民身份号码：" in page.content.decode()  # the page names the field beside its message


def test_it_refuses_to_open_the_form_for_a_forbidden_type(world, client):
    client.force_login(world.village_cadre)
    page = client.get("/certificates/issue/BZ-005/", {"text": "无犯罪记录"})
    assert page.status_code == 200 and "列入不应出具证明事项清单" in page.content.decode()
    assert (
        client.post("/certificates/issue/BZ-005/", FORM).status_code == 200 and not Issuance.objects.exists()
    )


def test_it_registers_a_refusal_and_prints_the_explanation(world, client):
    client.force_login(world.village_cadre)
    response = client.post(
        "/certificates/refuse/?code=BZ-001",
        {
            "type_code": "BZ-001",
            "institution_kind": "bank",
            "institution_name": "清河农商银行河口支行",
            "request_text": "银行要开亲属关系证明",
        },
    )
    refusal = Refusal.objects.get()
    assert response["Location"] == f"/certificates/refused/{refusal.pk}/"
    printed = client.get(f"/certificates/refused/{refusal.pk}/print/").content.decode()
    assert (
        "不予出具证明告知书" in printed and refusal.alternative in printed and "民发〔2020〕20号" in printed
    )
    assert "公安机关（户籍管理部门）" in printed and "清河农商银行河口支行" in printed


def test_it_records_a_commitment_with_the_types_template(world, client):
    client.force_login(world.village_cadre)
    form = client.get("/certificates/commit/", {"code": "BZ-008"}).context["form"]
    assert "t_marital_status" in form.fields and "matter" not in form.fields
    response = client.post(
        "/certificates/commit/?code=BZ-008",
        {
            **FORM,
            "resident_name": "王建国",
            "resident_id_number": WANG_JIANGUO,
            "purpose": "贷款",
            "t_marital_status": "未婚",
        },
    )
    commitment = Commitment.objects.get()
    assert response["Location"] == f"/certificates/commitments/{commitment.pk}/"
    assert commitment.matter == "婚姻状况证明" and "未婚" in commitment.body_text


def test_it_shows_the_whole_number_on_request_and_audits_it(world, client):
    issuance = issue(world)
    client.force_login(world.village_cadre)
    page = client.get(f"/certificates/issued/{issuance.pk}/id/").content.decode()
    assert LI_XIUYING in page and "本次查看已记入审计日志" in page
    printed = client.get(f"/certificates/issued/{issuance.pk}/print/").content.decode()
    assert LI_XIUYING in printed and "<svg" in printed and issuance.number in printed
    download = client.get(f"/certificates/issued/{issuance.pk}/document.docx")
    named = f"{issuance.type_name}-{issuance.number}.docx"
    assert download["Content-Disposition"] == content_disposition_header(True, named)
    assert docx.Document(io.BytesIO(download.content)).paragraphs[0].text == "居住证明"
    hows = list(AuditRecord.objects.filter(action="certificate.view_id").values_list("message", flat=True))
    assert sorted(hows) == sorted(
        f"查看完整身份证号码：{h}" for h in ("查看记录页面", "打印", "下载 DOCX 文书")
    )


def test_it_lets_the_township_see_its_villages_records_masked_but_not_the_whole_number(world, client):
    issuance = issue(world)
    client.force_login(world.town_hk)
    page = client.get(f"/certificates/issued/{issuance.pk}/").content.decode()
    assert "428521********0244" in page and "显示完整号码" not in page and "打印" not in page
    assert client.get(f"/certificates/issued/{issuance.pk}/id/").status_code == 403
    assert client.get(f"/certificates/issued/{issuance.pk}/print/").status_code == 403
    client.force_login(world.town_cg)  # 城关街道: another township's village is a 404
    assert client.get(f"/certificates/issued/{issuance.pk}/").status_code == 404


def test_it_revokes_from_the_page(world, client):
    issuance = issue(world)
    client.force_login(world.village_cadre)
    client.post(f"/certificates/issued/{issuance.pk}/revoke/", {"reason": ""})
    issuance.refresh_from_db()
    assert issuance.status == "issued"
    response = client.post(f"/certificates/issued/{issuance.pk}/revoke/", {"reason": "地址填错"}, follow=True)
    issuance.refresh_from_db()
    assert issuance.status == "revoked" and "已作废" in response.content.decode()


def test_it_filters_the_records_the_statistics_link_to(world, client):
    issue(world)
    refuse(world)
    refuse(world, type_code="BZ-005", institution_kind="enterprise", institution_name="顺达物流")
    commit(world)
    client.force_login(world.town_hk)
    stats = client.get("/certificates/stats/").context
    by_institution = {row.label: row for row in dict((d, r) for d, _, r, _ in stats["tables"])["institution"]}
    bank = by_institution["清河农商银行河口支行（银行等金融机构）"]
    assert (bank.count("issuance"), bank.count("refusal"), bank.count("commitment")) == (0, 1, 1)
    page = client.get("/certificates/records/", {"kind": "refusal", **bank.filters})
    assert [r.institution_name for r in page.context["page"]] == ["清河农商银行河口支行"]
    chart = stats["type_chart"]
    assert chart["labels"][0].startswith(("BZ-001", "BZ-005", "BZ-008", "ZM-001"))
    link = chart["series"][1]["links"][chart["labels"].index("BZ-005 无犯罪记录证明")]
    assert [r.type_code for r in client.get(link).context["page"]] == ["BZ-005"]


def test_it_exports_statistics_and_ledgers_to_excel(world, client):
    issue(world)
    refuse(world)
    client.force_login(world.office)
    workbook = load_workbook(
        io.BytesIO(client.get("/certificates/stats/export.xlsx").content), read_only=True
    )
    assert workbook.sheetnames == [
        "按证明事项",
        "按村（社区）",
        "按要求出具的单位",
        "按月份",
        "索要不应出具证明的单位",
    ]
    rows = list(workbook["按村（社区）"].iter_rows(values_only=True))
    assert rows[1] == ("村（社区）", "出具", "不予出具", "告知承诺", "合计") and rows[2] == (
        "桃园村",
        1,
        1,
        0,
        2,
    )
    ledger = load_workbook(
        io.BytesIO(client.get("/certificates/records/export.xlsx").content), read_only=True
    )
    row = list(ledger.worksheets[0].iter_rows(min_row=2, values_only=True))[0]
    assert row[5:7] == ("李秀英", "428521********0244")


def test_it_refuses_records_to_roles_without_the_capability(world, client):
    for who in ("admin", "dept_clerk", "grid_worker", "outsider"):
        client.force_login(world.people[who])
        assert client.get("/certificates/records/").status_code == 403
        assert client.get("/certificates/stats/").status_code == 403
        assert client.get("/certificates/").status_code == 200


def test_it_keeps_the_records_query_count_flat(world, client, django_assert_max_num_queries):
    issue(world)
    client.force_login(world.town_hk)
    client.get("/certificates/records/")
    with CaptureQueriesContext(connection) as few:
        client.get("/certificates/records/")
    for _ in range(8):
        issue(world)
    with django_assert_max_num_queries(len(few)):
        page = client.get("/certificates/records/")
    assert len(page.context["page"]) == 9


def test_it_lets_the_office_edit_a_template_and_refuses_a_broken_one(world, client):
    from jianfu.certificates.models import CertificateType

    certificate_type = CertificateType.objects.get(region=world.county, code="ZM-001")
    client.force_login(world.office)
    form = client.get(f"/certificates/types/{certificate_type.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items()}
    page = client.post(
        f"/certificates/types/{certificate_type.pk}/edit/", {**data, "body": "{resident_name}{unknown}"}
    )
    assert "占位符 {unknown} 没有对应的字段" in page.content.decode()
    certificate_type.refresh_from_db()
    assert certificate_type.revision == 1
    data["conditions"] = "新的出具条件"
    response = client.post(f"/certificates/types/{certificate_type.pk}/edit/", data)
    certificate_type.refresh_from_db()
    assert response.status_code == 302 and certificate_type.conditions == "新的出具条件"
    assert certificate_type.revision == 2 and certificate_type.fields[1]["not_future"] is True


def test_it_names_the_institutions_that_keep_demanding_forbidden_certificates(world, client):
    refuse(world)
    refuse(world, type_code="BZ-008", request_text="婚姻状况证明")
    refuse(world, actor=world.community_cadre, village=world.community_jiefang, type_code="BZ-002")
    refuse(world, type_code="", request_text="证明房子是我的")  # unlisted: not a forbidden demand
    refuse(world, type_code="BZ-005", institution_kind="enterprise", institution_name="顺达物流")
    client.force_login(world.monitor)
    tables = {d: rows for d, _, rows, _ in client.get("/certificates/stats/").context["tables"]}
    demanders = [(r.label, r.count("refusal")) for r in tables["demanders"]]
    assert demanders == [("清河农商银行河口支行（银行等金融机构）", 3), ("顺达物流（企业）", 1)]
    page = client.get("/certificates/records/", {"kind": "refusal", **tables["demanders"][0].filters})
    assert sorted(r.type_code for r in page.context["page"]) == ["BZ-001", "BZ-002", "BZ-008"]
    assert (
        client.get("/certificates/records/", {"kind": "issuance", "reason": "forbidden"}).status_code == 200
    )


def test_it_stamps_a_revoked_documents_docx(world, client):
    issuance = issue(world)
    issued = bytes(issuance.document)
    services.document_revoke(actor=world.village_cadre, document=issuance, reason="地址填错")
    issuance.refresh_from_db()
    client.force_login(world.village_cadre)
    download = client.get(f"/certificates/issued/{issuance.pk}/document.docx")
    assert download["Content-Disposition"] == content_disposition_header(
        True, f"{issuance.type_name}-{issuance.number}（已作废）.docx"
    )
    document = docx.Document(io.BytesIO(download.content))
    day = timezone.localdate(issuance.revoked_at)
    assert document.paragraphs[0].text == f"已作废：{day.year}年{day.month}月{day.day}日作废，原因：地址填错"
    assert (
        document.paragraphs[1].text == "居住证明"
        and "已作废" in document.sections[0].header.paragraphs[0].text
    )
    assert document.core_properties.title == "【已作废】居住证明"
    assert (
        bytes(Issuance.objects.get(pk=issuance.pk).document) == issued
    )  # the stored original stays as issued
    assert "下载 DOCX（标注已作废）" in client.get(f"/certificates/issued/{issuance.pk}/").content.decode()


class _Described(HTMLParser):
    """The page's element ids, and the ids each named form control's aria-describedby points at."""

    def __init__(self, html: str):
        super().__init__()
        self.ids, self.described = set(), {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("name") and attrs.get("aria-describedby") is not None:
            self.described[attrs["name"]] = attrs["aria-describedby"].split()


def _assert_errors_described(html: str, expected: dict[str, list[str]]) -> None:
    page = _Described(html)
    for name, ids in expected.items():
        assert page.described.get(name) == ids, name
    dangling = {name: [i for i in ids if i not in page.ids] for name, ids in page.described.items()}
    assert not any(dangling.values()), dangling


def test_it_points_screen_readers_at_each_fields_errors(world, client):
    client.force_login(world.village_cadre)
    page = client.post(
        "/certificates/issue/ZM-001/",
        {**FORM, "resident_name": "", "t_since": "2099-01-01", "resident_id_number": "428521196803120241"},
    )
    _assert_errors_described(
        page.content.decode(),
        {
            "resident_name": ["id_resident_name_error"],
            "resident_id_number": ["id_resident_id_number_help", "id_resident_id_number_error"],
            "t_since": ["id_t_since_error"],
            "purpose": ["id_purpose_help"],
        },
    )
    assert 'id="id_resident_id_number_error"' in page.content.decode()


def test_it_points_screen_readers_at_errors_in_the_shared_form_partial(world, client):
    from jianfu.certificates.models import CertificateType

    certificate_type = CertificateType.objects.get(region=world.county, code="ZM-001")
    client.force_login(world.office)
    url = f"/certificates/types/{certificate_type.pk}/edit/"
    data = dict(client.get(url).context["form"].initial)
    page = client.post(url, {**data, "name": ""})  # required: the form's own error, on a field without help
    _assert_errors_described(page.content.decode(), {"name": ["id_name_error"], "title": ["id_title_help"]})
    page = client.post(url, {**data, "fields": "bad name|显示"})  # the service's error, on a field with help
    _assert_errors_described(page.content.decode(), {"fields": ["id_fields_help", "id_fields_error"]})
