"""Certificate fixtures: 清河县's two certificate lists (data/lists) and the templates (data/certificates)."""

from datetime import date

import pytest

from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file
from jianfu.certificates import services
from jianfu.certificates.idnumbers import sample_id
from jianfu.certificates.reference import load_certificate_types

# Well-formed, invented ID numbers (GB 11643 check digit computed).
LI_XIUYING = sample_id("428521", date(1968, 3, 12), 24)
WANG_JIANGUO = sample_id("428521", date(1975, 8, 2), 51)
GB_SAMPLE = "11010519491231002X"  # the worked example printed in GB 11643-1999
CADRE = object()  # the helpers' default actor: 桃园村's cadre (None means the system)
RESIDENCE = {"address": "桃花巷7号", "since": "2009-05-01", "verified_by": "入户走访核实"}


def load_certificate_lists():
    for name in ("certificates_allowed.yaml", "national_certificates_forbidden.yaml"):
        load_reference_file(REFERENCE_DIR / name)
    return load_certificate_types()


@pytest.fixture
def lists(world):
    """清河县's allowed (ZM-001…009) and forbidden (BZ-001…020) lists in force, with the templates."""
    return load_certificate_lists()


def issue(world, *, actor=CADRE, village=None, **overrides):
    """A 居住证明 for 李秀英 issued by 桃园村's cadre, unless told otherwise."""
    arguments = dict(
        type_code="ZM-001",
        resident_name="李秀英",
        resident_id_number=LI_XIUYING,
        values=RESIDENCE,
        institution_kind="school",
        institution_name="清河县第一中学",
        purpose="子女入学",
    )
    arguments.update(overrides)
    return services.issuance_create(
        actor=world.village_cadre if actor is CADRE else actor,
        village=village or world.village_taoyuan,
        **arguments,
    )


def refuse(world, *, actor=CADRE, village=None, **overrides):
    arguments = dict(
        type_code="BZ-001",
        request_text="银行要开亲属关系证明",
        institution_kind="bank",
        institution_name="清河农商银行河口支行",
    )
    arguments.update(overrides)
    return services.refusal_create(
        actor=world.village_cadre if actor is CADRE else actor,
        village=village or world.village_taoyuan,
        **arguments,
    )


def commit(world, *, actor=CADRE, village=None, **overrides):
    arguments = dict(
        type_code="BZ-008",
        resident_name="王建国",
        resident_id_number=WANG_JIANGUO,
        values={"marital_status": "未婚"},
        institution_kind="bank",
        institution_name="清河农商银行河口支行",
        purpose="办理个人住房贷款",
    )
    arguments.update(overrides)
    return services.commitment_create(
        actor=world.village_cadre if actor is CADRE else actor,
        village=village or world.village_taoyuan,
        **arguments,
    )
