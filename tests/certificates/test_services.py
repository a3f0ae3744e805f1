"""Issuing, refusing and committing: the list decides, the template shapes, bad input changes nothing."""

import io
import json
from datetime import date, timedelta

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.audit.verify import audit_verify
from jianfu.catalog import services as catalog_services
from jianfu.catalog.models import ListKind, WorkList
from jianfu.certificates import documents, services
from jianfu.certificates.models import Commitment, Issuance, Refusal, RefusalReason
from jianfu.certificates.selectors import standing_for, verify
from jianfu.core.models import Sequence

from .conftest import GB_SAMPLE, LI_XIUYING, WANG_JIANGUO, commit, issue, refuse

pytestmark = pytest.mark.usefixtures("lists")


def counts() -> tuple:
    return (
        Issuance.objects.count(),
        Refusal.objects.count(),
        Commitment.objects.count(),
        sum(Sequence.objects.filter(key__startswith="certificate:").values_list("last", flat=True)),
        AuditRecord.objects.count(),
    )


# Issuing ---------------------------------------------------------------------------------------------------


def test_it_numbers_certificates_by_village_year_and_serial(world):
    first, second = issue(world), issue(world, resident_name="王建国", resident_id_number=WANG_JIANGUO)
    other = issue(world, actor=world.community_cadre, village=world.community_jiefang)
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"428521101201-{year}-0001", f"428521101201-{year}-0002")
    assert other.number == f"428521001001-{year}-0001"
    assert first.verification_code != second.verification_code and len(first.verification_code) == 12


def test_it_fills_the_template_with_the_residents_facts(world):
    issuance = issue(world)
    assert issuance.body_text.splitlines()[0] == (
        f"兹证明李秀英（公民身份号码：{LI_XIUYING}）自2009年5月1日起实际居住在桃园村桃花巷7号，经入户走访核实，情况属实。"
    )
    assert issuance.values == {"address": "桃花巷7号", "since": "2009年5月1日", "verified_by": "入户走访核实"}
    assert issuance.list_item.work_list.kind == ListKind.CERT_ALLOWED and issuance.list_item.code == "ZM-001"
    assert (issuance.title, issuance.type_name, issuance.created_by) == (
        "居住证明",
        "居住证明",
        world.village_cadre,
    )


def test_it_keeps_the_docx_readable_with_the_verification_code_and_qr(world):
    issuance = issue(world, base_url="https://jianfu.example.gov.cn/")
    document = docx.Document(io.BytesIO(bytes(issuance.document)))
    text = [p.text for p in document.paragraphs if p.text]
    assert text[0] == "居住证明" and text[1] == f"编号：{issuance.number}"
    assert f"公民身份号码：{LI_XIUYING}" in text[2] and text[3].startswith("特此证明")
    assert (
        "桃园村村民委员会（盖章）" in text
        and f"{issuance.on.year}年{issuance.on.month}月{issuance.on.day}日" in text
    )
    code = issuance.verification_code
    assert f"核验码：{code[:4]}-{code[4:8]}-{code[8:]}" in text
    url = f"https://jianfu.example.gov.cn/public/certificates/v/{code}/"
    assert any(url in line for line in text)
    assert document.core_properties.identifier == issuance.number
    [picture] = document.inline_shapes
    blob = document.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob == documents.qr_png(url)


def test_it_refuses_a_forbidden_type_naming_it_and_changes_nothing(world):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        issue(world, type_code="BZ-001")
    assert "“亲属关系证明”（BZ-001）列入不应出具证明事项清单" in caught.value.message_dict["type_code"][0]
    assert counts() == before


@pytest.mark.parametrize(("code", "words"), [("ZM-999", "“ZM-999”不在桃园村"), ("", "“未选择”不在桃园村")])
def test_it_refuses_a_type_on_no_list(world, code, words):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        issue(world, type_code=code)
    assert words in caught.value.message_dict["type_code"][0] and counts() == before


def test_it_refuses_a_wrong_id_number_and_missing_fields_all_at_once(world):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        issue(
            world,
            resident_name=" ",
            resident_id_number="428521196803120241",
            values={"address": "三组"},
            institution_kind="",
            institution_name="",
        )
    errors = caught.value.message_dict
    assert "校验码错误" in errors["resident_id_number"][0]
    assert errors["since"] == ["请填写“居住起始日期”。"] and errors["verified_by"] == ["请填写“核实方式”。"]
    assert {"resident_name", "institution_kind", "institution_name"} <= set(errors)
    assert counts() == before
    assert issue(world).serial == 1  # the refused attempt used no number


def test_it_accepts_the_gb_worked_example_and_stores_it_normalised(world):
    assert issue(world, resident_id_number="110105 19491231 002x").resident_id_number == GB_SAMPLE


@pytest.mark.parametrize("who", ["community_cadre", "town_hk", "office", "inspector", "outsider", "admin"])
def test_it_lets_only_the_villages_own_cadre_issue_there(world, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        issue(world, actor=world.people[who])
    assert counts() == before


def test_it_issues_only_in_a_village_or_community(world):
    with pytest.raises(ValidationError) as caught:
        issue(world, actor=None, village=world.township_hk)
    assert "不是有效的村（社区）" in caught.value.message_dict["village"][0]


def test_it_audits_the_issue_without_the_whole_id_number(world):
    issuance = issue(world)
    record = AuditRecord.objects.get(action="certificate.issue")
    assert (record.object_id, record.actor_username) == (str(issuance.pk), "taoyuan")
    dumped = json.dumps(record.after, ensure_ascii=False) + record.object_repr + record.message
    assert LI_XIUYING not in dumped and "428521********0244" in dumped and "李*英" in record.object_repr
    assert audit_verify().ok


def test_it_leaves_no_numbered_record_when_the_document_fails_to_render(world, monkeypatch):
    def broken(sheet):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(documents, "build_docx", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        issue(world)
    with pytest.raises(RuntimeError):
        commit(world)
    assert (
        counts() == before
        and not Sequence.objects.filter(key__startswith="certificate:", last__gt=0).exists()
    )
    monkeypatch.undo()
    assert issue(world).serial == 1 and commit(world).serial == 1


# The lists decide, on the day ------------------------------------------------------------------------------


def _republish_allowed(world, *, drop=(), add=()):
    """The county office adjusts the allowed list and republishes it from today."""
    current = WorkList.objects.issued().get(kind=ListKind.CERT_ALLOWED, region=world.county)
    draft = catalog_services.worklist_start_draft(
        actor=world.office, kind=ListKind.CERT_ALLOWED, region=world.county
    )
    for item in draft.items.filter(code__in=drop):
        catalog_services.item_remove(actor=world.office, item=item)
    for code, content in add:
        catalog_services.item_save(actor=world.office, work_list=draft, code=code, content=content)
    draft.refresh_from_db()
    today = timezone.localdate()
    catalog_services.worklist_publish(
        actor=world.office2,
        work_list=draft,
        effective_from=today,
        studied_by="县政府常务会议",
        studied_on=today,
        approved_by="县委常委会会议",
        approved_on=today,
    )
    return current


def test_it_follows_the_list_as_republished(world):
    issue(world)
    _republish_allowed(world, drop=["ZM-001"], add=[("ZM-010", "独生子女家庭情况证明")])
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        issue(world)
    assert "“ZM-001”不在桃园村" in caught.value.message_dict["type_code"][0]
    assert standing_for(
        world.village_taoyuan, "ZM-001", today - timedelta(days=1)
    ).allowed  # yesterday's list
    with pytest.raises(ValidationError) as caught:
        issue(world, type_code="ZM-010")
    assert "尚无出具模板" in caught.value.message_dict["type_code"][0]


def test_it_treats_a_code_on_both_lists_as_forbidden(world):
    draft = catalog_services.worklist_start_draft(
        actor=None, kind=ListKind.CERT_FORBIDDEN, region=world.province, title="省不应出具证明事项清单"
    )
    catalog_services.item_save(
        actor=None,
        work_list=draft,
        code="ZM-001",
        content="居住证明",
        alternative="由公安机关居住登记信息查询",
        responsible_department="公安机关",
    )
    draft.refresh_from_db()
    catalog_services.worklist_publish(
        actor=None,
        work_list=draft,
        effective_from=date(2024, 1, 1),
        approved_by="省政府",
        approved_on=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        issue(world)
    assert "列入不应出具证明事项清单" in caught.value.message_dict["type_code"][0]


# Refusing --------------------------------------------------------------------------------------------------


def test_it_records_a_refusal_with_the_route_and_the_demanding_institution(world):
    refusal = refuse(world, resident_name="王建国")
    item = refusal.list_item
    assert (refusal.reason, refusal.type_code, refusal.type_name) == (
        RefusalReason.FORBIDDEN,
        "BZ-001",
        "亲属关系证明",
    )
    assert refusal.alternative == item.alternative and "公安" in refusal.alternative
    assert refusal.responsible_department == "公安机关（户籍管理部门）"
    assert (refusal.institution_kind, refusal.institution_name) == ("bank", "清河农商银行河口支行")
    assert refusal.number == f"428521101201-{refusal.year}-BY0001"
    assert AuditRecord.objects.filter(action="certificate.refuse", object_id=str(refusal.pk)).exists()


def test_it_refuses_an_unlisted_request_with_the_general_routes(world):
    refusal = refuse(world, type_code="", request_text="证明我家房子是我的")
    assert (refusal.reason, refusal.type_code, refusal.type_name) == (
        RefusalReason.UNLISTED,
        "",
        "证明我家房子是我的",
    )
    assert "数据共享" in refusal.alternative and "书面告知承诺" in refusal.alternative


def test_it_needs_a_reason_to_refuse_an_allowed_certificate(world):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        refuse(world, type_code="ZM-001")
    assert "不予出具须写明无法核实的原因" in caught.value.message_dict["note"][0] and counts() == before
    refusal = refuse(world, type_code="ZM-001", note="申请人近三年未在本村居住，无法核实")
    assert refusal.reason == RefusalReason.CANNOT_VERIFY


def test_it_names_the_missing_parts_of_a_refusal(world):
    with pytest.raises(ValidationError) as caught:
        refuse(world, type_code="", request_text="", institution_kind="", institution_name=" ")
    assert set(caught.value.message_dict) == {"request_text", "institution_kind", "institution_name"}
    assert Refusal.objects.count() == 0


# Written commitments ---------------------------------------------------------------------------------------


def test_it_records_a_commitment_from_the_types_own_template(world):
    commitment = commit(world)
    assert commitment.number == f"428521101201-{commitment.year}-CN0001"
    assert (commitment.matter, commitment.title) == ("婚姻状况证明", "告知承诺书（婚姻状况证明）")
    assert (
        "因办理个人住房贷款，清河农商银行河口支行要求提供婚姻状况证明。现郑重承诺：本人目前的婚姻状况为未婚。"
        in commitment.body_text
        and "记入个人信用记录" in commitment.body_text
    )
    text = [p.text for p in docx.Document(io.BytesIO(bytes(commitment.document))).paragraphs]
    assert "承诺人（签名并按手印）：____________" in text and "见证单位：桃园村村民委员会" in text


def test_it_uses_the_generic_commitment_for_an_unlisted_matter(world):
    commitment = commit(world, type_code="", matter="独居情况", values={"fact": "本人目前独自居住"})
    assert (
        commitment.type_code == ""
        and "要求提供“独居情况”。现郑重承诺：本人目前独自居住。" in commitment.body_text
    )
    with pytest.raises(ValidationError) as caught:
        commit(world, type_code="", matter="", purpose="", values={})
    assert {"matter", "purpose", "fact"} <= set(caught.value.message_dict)


# Revoking and whole ID numbers -----------------------------------------------------------------------------


def test_it_revokes_once_and_verification_says_so(world):
    issuance = issue(world)
    with pytest.raises(PermissionDenied):
        services.document_revoke(actor=world.town_hk, document=issuance, reason="信息有误")
    with pytest.raises(ValidationError):
        services.document_revoke(actor=world.village_cadre, document=issuance, reason=" ")
    services.document_revoke(actor=world.village_cadre, document=issuance, reason="地址填错")
    assert verify(issuance.verification_code).status_label == "已作废"
    with pytest.raises(ValidationError):
        services.document_revoke(actor=world.village_cadre, document=issuance, reason="再次作废")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("village_cadre", True),
        ("inspector", True),
        ("town_hk", False),
        ("office", False),
        ("community_cadre", False),
    ],
)
def test_it_shows_the_whole_id_only_to_the_issuing_village_and_the_inspector(world, who, allowed):
    issuance = issue(world)
    views = AuditRecord.objects.filter(action="certificate.view_id", success=True)
    before = views.count()
    if allowed:
        assert services.full_id_view(actor=world.people[who], document=issuance, how="测试") == LI_XIUYING
        record = views.first()
        assert record.actor_username == world.people[who].username and record.object_id == str(issuance.pk)
    else:
        with pytest.raises(PermissionDenied):
            services.full_id_view(actor=world.people[who], document=issuance, how="测试")
    assert views.count() == before + allowed
