"""Permission-matrix cases for the certificates app (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- a village or community cadre issues, refuses and records commitments in their own village only;
- the records and statistics are seen by the cadres of the village, its township, the county's review-committee
  office and chair, the monitor and the inspector (not the administrator, departments or grid workers);
- the whole ID number (record page with the number, print view, DOCX, API id-number) only by the issuing
  village's cadre and the inspector; others who see the record get 403, others 404;
- templates are public documents; only the county office (catalog.manage) edits its own county's;
- the public pages and the public API answer everyone.
"""

from datetime import date

from jianfu.catalog import services as catalog_services
from jianfu.certificates import services
from jianfu.certificates.forms import TypeForm
from jianfu.certificates.idnumbers import sample_id
from jianfu.certificates.models import CertificateType
from tests.conftest import PERSONAS
from tests.matrix.base import ANON, LOGIN, Case, Redirect, everyone, pk, scoped, signed_in

ISSUERS = {"village_cadre", "community_cadre"}
COUNTY_VIEWERS = {"office", "chair", "monitor", "inspector"}
VIEWERS = COUNTY_VIEWERS | {"town_hk", "town_cg"} | ISSUERS
TAOYUAN = COUNTY_VIEWERS | {"town_hk", "village_cadre"}
JIEFANG = COUNTY_VIEWERS | {"town_cg", "community_cadre"}
RESIDENT = sample_id("428521", date(1980, 6, 1), 7)
RESIDENCE = {"address": "矩阵路1号", "since": "2015-03-01", "verified_by": "入户走访核实"}


def _setup(w) -> dict:
    """Lists, templates and one record of each kind in 桃园村, 解放路社区 and 东岭村; made once per world."""
    if "_certificates" in w.__dict__:
        return w.__dict__["_certificates"]
    from tests.certificates.conftest import commit, issue, load_certificate_lists, refuse

    load_certificate_lists()
    other_type = _other_county(w)
    made = {
        "cert_issued": issue(w),
        "cert_issued_jiefang": issue(w, actor=w.community_cadre, village=w.community_jiefang),
        "cert_issued_other": issue(w, actor=None, village=w.other_village),
        "cert_refused": refuse(w),
        "cert_refused_other": refuse(
            w, actor=None, village=w.other_village, type_code="ZM-001", note="无法核实"
        ),
        "cert_committed": commit(w),
        "cert_committed_other": commit(
            w, actor=None, village=w.other_village, type_code="ZM-001", values={"fact": "本人在东岭村居住"}
        ),
        "cert_type": CertificateType.objects.get(region=w.county, code="ZM-001"),
        "cert_type_other": other_type,
    }
    w.__dict__["_certificates"] = made
    return made


def _other_county(w) -> CertificateType:
    """东岭县 allows 居住证明 too, with its own template."""
    draft = catalog_services.worklist_start_draft(
        actor=None,
        kind="certificate_allowed",
        region=w.other_county,
        title="东岭县村（社区）出具证明事项清单",
    )
    catalog_services.item_save(actor=None, work_list=draft, code="ZM-001", content="居住证明")
    draft.refresh_from_db()
    catalog_services.worklist_publish(
        actor=None,
        work_list=draft,
        effective_from=date(2024, 1, 1),
        studied_by="东岭县政府常务会议",
        studied_on=date(2023, 12, 20),
        approved_by="东岭县委常委会会议",
        approved_on=date(2024, 1, 1),
    )
    source = CertificateType.objects.get(region=w.county, code="ZM-001")
    return services.certificate_type_save(
        actor=None,
        region=w.other_county,
        code="ZM-001",
        name=source.name,
        fields=source.fields,
        body=source.body,
    )


RECORDS = (
    "cert_issued",
    "cert_issued_jiefang",
    "cert_issued_other",
    "cert_refused",
    "cert_refused_other",
    "cert_committed",
    "cert_committed_other",
    "cert_type",
    "cert_type_other",
)
OBJECTS = {label: (lambda w, label=label: _setup(w)[label]) for label in RECORDS}
OBJECTS["code:ZM-001"] = lambda w: "ZM-001"
SEES = {
    "cert_issued": TAOYUAN,
    "cert_issued_jiefang": JIEFANG,
    "cert_issued_other": set(),  # 东岭县's only persona is its administrator, who sees no certificates
    "cert_refused": TAOYUAN,
    "cert_refused_other": set(),
    "cert_committed": TAOYUAN,
    "cert_committed_other": set(),
    "cert_type": set(PERSONAS),
    "cert_type_other": set(PERSONAS),
    "code:ZM-001": set(PERSONAS),
}
OWNER = {
    "cert_issued": "village_cadre",
    "cert_issued_jiefang": "community_cadre",
    "cert_committed": "village_cadre",
}
ISSUED = ("cert_issued", "cert_issued_jiefang", "cert_issued_other")
COMMITTED = ("cert_committed", "cert_committed_other")
REFUSED = ("cert_refused", "cert_refused_other")
TYPES = ("cert_type", "cert_type_other")


# Policies ---------------------------------------------------------------------------------------------------


def issuers(ok, anon=LOGIN):
    def expect(p, t):
        return anon if p == ANON else (ok if p in ISSUERS else 403)

    expect.writes = True
    return expect


def viewers(ok=200, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (ok if p in VIEWERS else 403)


def full_id(ok=200, anon=LOGIN):
    """The whole ID number: the record's own village cadre and the inspector; 403 to others who see it."""
    return lambda p, t: (
        anon if p == ANON else 404 if p not in SEES[t] else ok if p in (OWNER.get(t), "inspector") else 403
    )


def owner_writes(ok, anon=LOGIN):
    def expect(p, t):
        if p == ANON:
            return anon
        if p not in SEES[t]:
            return 404
        return ok if p == OWNER.get(t) else 403

    expect.writes = True
    return expect


def office_edits(ok, anon=LOGIN):
    def expect(p, t):
        return anon if p == ANON else (ok if (p, t) == ("office", "cert_type") else 403)

    expect.writes = True
    return expect


def _issue_form(_):
    return {
        "institution_kind": "bank",
        "institution_name": "矩阵银行",
        "resident_name": "矩阵居民",
        "resident_id_number": RESIDENT,
        **{f"t_{k}": v for k, v in RESIDENCE.items()},
    }


def _api_issue(_):
    return {
        "type_code": "ZM-001",
        "resident_name": "矩阵居民",
        "resident_id_number": RESIDENT,
        "values": RESIDENCE,
        "institution_kind": "bank",
        "institution_name": "矩阵银行",
    }


def _code(record):
    return {"code": record.verification_code}


TO_ISSUED, TO_COMMITTED = Redirect("/certificates/issued/"), Redirect("/certificates/commitments/")
YEAR = {"date_from": "2020-01-01", "date_to": "2035-12-31"}

ROUTES = {
    "certificates:index": Case(signed_in(200)),
    "certificates:check": Case(signed_in(200), query=lambda o: {"text": "银行要开亲属关系证明"}),
    "certificates:issue": (
        Case(issuers(200), targets=("code:ZM-001",), kwargs=lambda c: {"code": c}),
        Case(issuers(TO_ISSUED), "post", ("code:ZM-001",), lambda c: {"code": c}, _issue_form),
    ),
    "certificates:refuse": (
        Case(issuers(200)),
        Case(
            issuers(Redirect("/certificates/refused/")),
            "post",
            data=lambda o: {
                "type_code": "BZ-001",
                "institution_kind": "bank",
                "institution_name": "矩阵银行",
            },
        ),
    ),
    "certificates:commit": (
        Case(issuers(200)),
        Case(
            issuers(TO_COMMITTED),
            "post",
            query=lambda o: {"code": "BZ-008"},
            data=lambda o: {
                "institution_kind": "bank",
                "institution_name": "矩阵银行",
                "resident_name": "矩阵居民",
                "resident_id_number": RESIDENT,
                "purpose": "贷款",
                "t_marital_status": "未婚",
            },
        ),
    ),
    "certificates:records": (Case(viewers()), Case(viewers(), query=lambda o: {"kind": "refusal"})),
    "certificates:records_export": Case(viewers(), query=lambda o: {"kind": "commitment"}),
    "certificates:issuance_detail": Case(scoped(), targets=ISSUED, kwargs=pk),
    "certificates:issuance_id": Case(full_id(), targets=ISSUED, kwargs=pk),
    "certificates:issuance_print": Case(full_id(), targets=ISSUED, kwargs=pk),
    "certificates:issuance_docx": Case(full_id(), targets=ISSUED, kwargs=pk),
    "certificates:issuance_revoke": (
        Case(lambda p, t: LOGIN if p == ANON else 405, targets=("cert_issued",), kwargs=pk),
        Case(owner_writes(TO_ISSUED), "post", ISSUED, pk, lambda o: {"reason": "矩阵作废"}),
    ),
    "certificates:commitment_detail": Case(scoped(), targets=COMMITTED, kwargs=pk),
    "certificates:commitment_id": Case(full_id(), targets=COMMITTED, kwargs=pk),
    "certificates:commitment_print": Case(full_id(), targets=COMMITTED, kwargs=pk),
    "certificates:commitment_docx": Case(full_id(), targets=COMMITTED, kwargs=pk),
    "certificates:commitment_revoke": (
        Case(lambda p, t: LOGIN if p == ANON else 405, targets=("cert_committed",), kwargs=pk),
        Case(owner_writes(TO_COMMITTED), "post", COMMITTED, pk, lambda o: {"reason": "矩阵作废"}),
    ),
    "certificates:refusal_detail": Case(scoped(), targets=REFUSED, kwargs=pk),
    "certificates:refusal_print": Case(scoped(), targets=REFUSED, kwargs=pk),
    "certificates:stats": Case(viewers(), query=lambda o: YEAR),
    "certificates:stats_export": Case(viewers(), query=lambda o: YEAR),
    "certificates:types": Case(signed_in(200)),
    "certificates:type_detail": Case(signed_in(200), targets=TYPES, kwargs=pk),
    "certificates:type_edit": (
        Case(office_edits(200), targets=TYPES, kwargs=pk),
        Case(office_edits(Redirect("/certificates/types/")), "post", TYPES, pk, TypeForm.initial_for),
    ),
    "public_certificates:lookup": Case(
        everyone(200), query=lambda o: {"village": "428521101201", "q": "亲属关系"}
    ),
    "public_certificates:verify": Case(
        everyone(200), targets=("cert_issued",), query=lambda r: {"code": r.verification_code}
    ),
    "public_certificates:verify_code": Case(everyone(200), targets=ISSUED, kwargs=_code),
    "api:certificate_types": Case(everyone(200), query=lambda o: {"region_code": "428521101201"}),
    "api:certificate_lookup": Case(
        everyone(200), query=lambda o: {"region_code": "428521101201", "q": "婚姻状况"}
    ),
    "api:certificate_verify": Case(everyone(200), targets=ISSUED, kwargs=_code),
    "api:certificate_check": Case(issuers(200, anon=401), "post", data=lambda o: {"text": "开个居住证明"}),
    "api:certificate_issue": Case(issuers(201, anon=401), "post", data=_api_issue),
    "api:certificate_issuance_list": Case(viewers(anon=401)),
    "api:certificate_issuance_detail": Case(scoped(anon=401), targets=ISSUED, kwargs=pk),
    "api:certificate_issuance_id_number": Case(full_id(anon=401), targets=ISSUED, kwargs=pk),
    "api:certificate_issuance_revoke": Case(
        owner_writes(200, anon=401), "post", ISSUED, pk, lambda o: {"reason": "矩阵作废"}
    ),
    "api:certificate_refuse": Case(
        issuers(201, anon=401),
        "post",
        data=lambda o: {
            "type_code": "BZ-005",
            "institution_kind": "enterprise",
            "institution_name": "矩阵公司",
        },
    ),
    "api:certificate_refusal_list": Case(viewers(anon=401)),
    "api:certificate_refusal_detail": Case(scoped(anon=401), targets=REFUSED, kwargs=pk),
    "api:certificate_commit": Case(
        issuers(201, anon=401),
        "post",
        data=lambda o: {
            **_api_issue(o),
            "type_code": "BZ-008",
            "purpose": "贷款",
            "values": {"marital_status": "已婚"},
        },
    ),
    "api:certificate_commitment_list": Case(viewers(anon=401)),
    "api:certificate_commitment_detail": Case(scoped(anon=401), targets=COMMITTED, kwargs=pk),
    "api:certificate_commitment_id_number": Case(full_id(anon=401), targets=COMMITTED, kwargs=pk),
    "api:certificate_stats": Case(viewers(anon=401), query=lambda o: YEAR),
}
