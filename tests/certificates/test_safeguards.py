"""What the review found and these tests keep fixed: other people's ID numbers typed into free text are stored
masked, only a role on the village itself acts for it, refused looks at a whole number are audited, and a
template's {number} prints the document's own number."""

import io
import json

import docx
import pytest
from django.core.exceptions import PermissionDenied

from jianfu.audit.models import AuditRecord
from jianfu.audit.verify import audit_verify
from jianfu.certificates import services
from jianfu.certificates.idnumbers import ID_PATTERN, found_id
from jianfu.certificates.models import CertificateType, Issuance
from jianfu.orgs.models import RoleAssignment, User

from .conftest import LI_XIUYING, RESIDENCE, WANG_JIANGUO, commit, issue, refuse
from .test_services import counts

pytestmark = pytest.mark.usefixtures("lists")


OTHER = "11010519491231002X"  # someone else's number, typed into free text
TYPED = {
    "ASCII": OTHER,
    "spaced": "110105 19491231 002X",
    "full-width": "１１０１０５１９４９１２３１００２ｘ",
}


def _whole_numbers(text: str) -> set[str]:
    return {found_id(m) for m in ID_PATTERN.findall(text)}


@pytest.mark.parametrize("form", TYPED)
def test_it_stores_free_text_with_id_numbers_masked(world, form):
    typed = TYPED[form]
    issuance = issue(
        world,
        type_code="ZM-003",
        purpose=f"为{typed}办理",
        request_text=f"要开 {typed} 的证明",
        values={"household_size": "3", "visited_on": "2024-01-02", "hardship": f"其子{typed}重病"},
    )
    refusal = refuse(world, type_code="ZM-001", request_text=f"证明{typed}", note=f"{typed}无法核实")
    commitment = commit(world, purpose=f"为{typed}贷款", matter="", values={"marital_status": "已婚"})
    services.document_revoke(actor=world.village_cadre, document=commitment, reason=f"应为{typed}")
    commitment.refresh_from_db()
    stored = [
        issuance.purpose,
        issuance.request_text,
        json.dumps(issuance.values, ensure_ascii=False),
        issuance.body_text,
        refusal.request_text,
        refusal.note,
        refusal.type_name,
        commitment.purpose,
        commitment.body_text,
        commitment.revoke_reason,
    ]
    assert all("110105********002X" in text for text in stored if text != refusal.type_name)
    assert _whole_numbers("\n".join(stored)) == {
        LI_XIUYING,
        WANG_JIANGUO,
    }  # the residents' own, in the bodies
    assert issuance.resident_id_number == LI_XIUYING  # the resident's own number is kept whole


def test_it_keeps_id_numbers_out_of_the_audit_trail(world):
    issue(
        world,
        type_code="ZM-003",
        purpose=f"为{TYPED['spaced']}办理",
        values={"household_size": "3", "visited_on": "2024-01-02", "hardship": f"其女{TYPED['full-width']}"},
    )
    refuse(world, type_code="", request_text=f"证明{TYPED['full-width']}是我女儿")
    certificate_type = CertificateType.objects.get(region=world.county, code="ZM-001")
    services.certificate_type_save(
        actor=world.office,
        region=world.county,
        certificate_type=certificate_type,
        conditions=f"例：{TYPED['spaced']}",
    )
    for record in AuditRecord.objects.filter(action__startswith="certificate"):
        dumped = json.dumps([record.before, record.after], ensure_ascii=False) + record.message
        assert not _whole_numbers(dumped), record.action
    assert "110105********002X" in CertificateType.objects.get(pk=certificate_type.pk).conditions


def test_it_lets_only_a_role_on_the_village_itself_act_for_it(world, client):
    issuance = issue(world)
    RoleAssignment.objects.create(user=world.town_hk, role="village", region=world.township_hk)
    clerk = User.objects.get(pk=world.town_hk.pk)  # a village role granted on 河口镇, not on 桃园村
    before = counts()
    attempts = [
        lambda: issue(world, actor=clerk),
        lambda: refuse(world, actor=clerk),
        lambda: commit(world, actor=clerk),
        lambda: services.document_revoke(actor=clerk, document=issuance, reason="越权作废"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert counts() == before
    with pytest.raises(PermissionDenied):
        services.full_id_view(actor=clerk, document=issuance, how="测试")
    client.force_login(clerk)
    body = {
        "type_code": "ZM-001",
        "resident_name": "李秀英",
        "resident_id_number": LI_XIUYING,
        "values": RESIDENCE,
        "institution_kind": "school",
        "institution_name": "清河县第一中学",
        "village_code": "428521101201",
    }
    api = client.post("/api/v1/certificates/issuances", json.dumps(body), content_type="application/json")
    assert api.status_code == 403 and Issuance.objects.count() == 1
    assert client.get(f"/api/v1/certificates/issuances/{issuance.pk}/id-number").status_code == 403
    page = client.get(f"/certificates/issued/{issuance.pk}/").content.decode()
    assert "显示完整号码" not in page and LI_XIUYING not in page


def test_it_audits_a_refused_attempt_to_see_a_whole_id_number(world):
    issuance = issue(world)
    with pytest.raises(PermissionDenied):
        services.full_id_view(actor=world.town_hk, document=issuance, how="打印")
    record = AuditRecord.objects.get(action="certificate.view_id")
    assert (record.success, record.actor_username, record.object_id) == (False, "hk_town", str(issuance.pk))
    assert "打印" in record.message and LI_XIUYING not in record.message + record.object_repr
    assert audit_verify().ok


def test_it_prints_the_documents_own_number_where_the_template_asks(world):
    for code, field in (("ZM-001", "body"), ("BZ-008", "commitment_body")):
        certificate_type = CertificateType.objects.get(region=world.county, code=code)
        changed = getattr(certificate_type, field) + "（本文书编号：{number}）"
        services.certificate_type_save(
            actor=world.office, region=world.county, certificate_type=certificate_type, **{field: changed}
        )
    for document in (issue(world), commit(world)):
        assert f"（本文书编号：{document.number}）" in document.body_text
        paragraphs = [p.text for p in docx.Document(io.BytesIO(bytes(document.document))).paragraphs]
        assert any(f"（本文书编号：{document.number}）" in p for p in paragraphs)
