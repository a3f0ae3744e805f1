"""Crawl every certificates page, API endpoint and export as the named people and the public: a whole ID number
appears only where the issuing village's cadre or the inspector asked for it (and the view was audited), and
the public pages show nothing personal beyond a masked name."""

import io
import json
import re
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from jianfu.audit.models import AuditRecord
from jianfu.certificates import services
from jianfu.certificates.idnumbers import ID_PATTERN, found_id, sample_id
from jianfu.certificates.models import CertificateType
from tests.matrix.base import ANON
from tests.test_permission_matrix import walk

from .conftest import WANG_JIANGUO, commit, issue, refuse

pytestmark = pytest.mark.usefixtures("lists")
CHEN_JING = sample_id("428521", date(1986, 1, 30), 62)
ZHAO_LEI = sample_id("428521", date(1990, 1, 1), 77)
# The ways people type a number into free text: whole, grouped by spaces or hyphens, in full-width digits.
SPACED = f"{ZHAO_LEI[:6]} {ZHAO_LEI[6:14]} {ZHAO_LEI[14:]}"
HYPHENED = f"{CHEN_JING[:6]}-{CHEN_JING[6:14]}-{CHEN_JING[14:]}"
FULL_WIDTH = ZHAO_LEI.translate({ord("0") + i: 0xFF10 + i for i in range(10)})
NAMESPACES = ("certificates:", "public_certificates:", "api:certificate_")
FULL_ROUTES = {
    "certificates:issuance_id",
    "certificates:issuance_print",
    "certificates:issuance_docx",
    "certificates:commitment_id",
    "certificates:commitment_print",
    "certificates:commitment_docx",
    "api:certificate_issuance_id_number",
    "api:certificate_commitment_id_number",
}
PERSONAS = [
    "village_cadre",
    "community_cadre",
    "town_hk",
    "town_cg",
    "office",
    "chair",
    "monitor",
    "inspector",
    "admin",
    "dept_clerk",
    "grid_worker",
    "outsider",
    ANON,
]
QUERIES = {
    "certificates:check": {"text": "居住证明"},
    "certificates:records": {"kind": "issuance"},
    "certificates:records_export": {"kind": "issuance"},
    "public_certificates:lookup": {"village": "428521101201", "q": "居住证明"},
    "api:certificate_types": {"region_code": "428521101201"},
    "api:certificate_lookup": {"region_code": "428521101201", "q": "居住证明"},
    "api:certificate_stats": {"date_from": "2000-01-01", "date_to": "2100-01-01"},
}


@pytest.fixture
def records(world):
    """Certificates, commitments and refusals in 桃园村 and 解放路社区, one revoked; other people's ID numbers typed
    into every free-text field (purpose, request, note, template values, a template's texts, the revoke reason)
    whole, space- or hyphen-grouped and in full-width digits."""
    made = {
        "issuance": [
            issue(world),
            issue(
                world,
                actor=world.community_cadre,
                village=world.community_jiefang,
                resident_name="陈静",
                resident_id_number=CHEN_JING,
            ),
        ],
        "commitment": [commit(world)],
        "refusal": [refuse(world, resident_name="王建国")],
    }
    # An ID number typed into any free-text field must be masked like the resident's own, however it is typed.
    made["issuance"].append(
        issue(
            world,
            type_code="ZM-003",
            resident_name="王建国",
            resident_id_number=WANG_JIANGUO,
            purpose=f"为其子{CHEN_JING}办理助学",
            request_text=f"其子 {SPACED} 助学",
            values={
                "household_size": "3",
                "visited_on": "2024-01-02",
                "hardship": f"其子（{CHEN_JING}）重病，其女{FULL_WIDTH}、{SPACED}",
            },
        )
    )
    made["commitment"].append(
        commit(
            world, purpose=f"为{SPACED}办理贷款", request_text=FULL_WIDTH, values={"marital_status": "已婚"}
        )
    )
    made["refusal"] += [
        refuse(world, type_code="", request_text=f"证明{FULL_WIDTH}是本人子女", resident_name="赵磊"),
        refuse(
            world,
            type_code="ZM-001",
            request_text=f"居住证明 {HYPHENED}",
            note=f"{SPACED} 近三年未在本村居住；{FULL_WIDTH}",
        ),
    ]
    template = CertificateType.objects.get(region=world.county, code="ZM-001")
    services.certificate_type_save(
        actor=world.office,
        region=world.county,
        certificate_type=template,
        conditions=f"如 {SPACED}、{FULL_WIDTH}",
        materials=f"样例：{CHEN_JING}",
    )
    services.document_revoke(
        actor=world.village_cadre, document=made["issuance"][0], reason=f"号码应为 {SPACED}"
    )
    return made


def _ids(text: str) -> set[str]:
    """Every whole ID number in the text, however typed, as the 18 characters it stands for."""
    return {found_id(m) for m in ID_PATTERN.findall(text)}


def _owner(record) -> str:
    return "village_cadre" if record.village.code == "428521101201" else "community_cadre"


def _targets(name: str, pattern: str, made: dict, world) -> list[tuple[str, object]]:
    """(url, record or None) for each object the route can be asked about."""
    from django.urls import reverse

    params = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
    if not params:
        return [(reverse(name), None)]
    if params == ["code"] and name.endswith("issue"):
        return [(reverse(name, kwargs={"code": "ZM-001"}), None)]
    if params == ["code"]:
        documents = made["issuance"] + made["commitment"]
        return [(reverse(name, kwargs={"code": d.verification_code}), d) for d in documents]
    kind = next((k for k in ("issuance", "commitment", "refusal") if k in name), "type")
    objects = (
        made[kind] if kind != "type" else list(CertificateType.objects.filter(code__in=["ZM-001", "BZ-008"]))
    )
    return [(reverse(name, kwargs={"pk": o.pk}), o) for o in objects]


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row
        )
    if "json" in kind:  # Chinese comes \u-escaped: compare the text, not the escapes
        return json.dumps(json.loads(body), ensure_ascii=False)
    if "wordprocessingml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


def _crawl(world, client, made):
    routes = [r for r in walk() if r.name and r.name.startswith(NAMESPACES)]
    for persona in PERSONAS:
        client.logout()
        if persona != ANON:
            client.force_login(world.people[persona])
        for route in routes:
            for url, record in _targets(route.name, route.pattern, made, world):
                response = client.get(url, QUERIES.get(route.name, {}))
                yield persona, route.name, record, response


def test_it_shows_whole_id_numbers_only_to_the_issuing_village_and_the_inspector(world, client, records):
    leaks, full_views, crawled = [], 0, set()
    for persona, name, record, response in _crawl(world, client, records):
        crawled.add(name)
        if response.status_code != 200:
            continue
        found = _ids(_text(response))
        allowed = set()
        if name in FULL_ROUTES and persona in (_owner(record), "inspector"):
            allowed = {record.resident_id_number}  # others' numbers typed in free text are stored masked
            full_views += 1
            if record.resident_id_number not in found:
                leaks.append(f"{persona} {name}: the whole number it asked for is missing")
        if found - allowed:
            leaks.append(f"{persona} GET {response.request['PATH_INFO']} ({name}): {sorted(found - allowed)}")
    assert not leaks, "\n".join(leaks)
    assert full_views > 0
    assert AuditRecord.objects.filter(action="certificate.view_id", success=True).count() == full_views
    routes = {r.name for r in walk() if r.name and r.name.startswith(NAMESPACES)}
    assert crawled == routes  # a new route is crawled as soon as it exists


def test_it_shows_the_public_nothing_personal(world, client, records):
    personal = ["李秀英", "王建国", "陈静", "清河县第一中学", "子女入学", "桃花巷7号", "清河农商银行河口支行"]
    numbers = [r.number for kind in records.values() for r in kind]
    shown = []
    for persona, name, record, response in _crawl(world, client, records):
        if persona != ANON or response.status_code != 200:
            continue
        text = _text(response)
        shown += [f"{name}: {w}" for w in personal + numbers if w in text]
        if name.endswith(("verify", "verify_code")) and record is not None:
            assert record.masked_name in text and record.village.name in text
    assert not shown, shown


def test_it_masks_an_id_number_typed_into_a_template_field(world, client, records):
    issuance = records["issuance"][2]
    client.force_login(world.town_hk)
    page = client.get(f"/certificates/issued/{issuance.pk}/").content.decode()
    assert CHEN_JING not in page and f"{CHEN_JING[:6]}********{CHEN_JING[-4:]}" in page
