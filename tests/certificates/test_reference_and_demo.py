"""Templates as data: loading them (idempotent, errors named), the office editing them, and the demo records."""

import io

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file
from jianfu.certificates import services
from jianfu.certificates.demo import load_demo_records
from jianfu.certificates.models import CertificateType, Commitment, Issuance, Refusal
from jianfu.certificates.reference import TYPES_FILE, load_certificate_types
from jianfu.core.exceptions import StaleWriteError


def test_it_loads_the_templates_once_and_keeps_the_offices_edits(world):
    created = load_certificate_types()
    expected = ["BZ-001", "BZ-008", "BZ-015", "BZ-020"] + [f"ZM-00{n}" for n in range(1, 10)]
    assert sorted(t.code for t in created) == expected
    assert all(t.is_demo and t.region == world.county for t in created)
    residence = CertificateType.objects.get(code="ZM-001")
    services.certificate_type_save(
        actor=world.office,
        region=world.county,
        certificate_type=residence,
        expected_revision=1,
        conditions="县民政局调整后的条件",
    )
    assert load_certificate_types() == []
    assert CertificateType.objects.get(code="ZM-001").conditions == "县民政局调整后的条件"


def test_it_names_the_item_of_a_broken_file(world, tmp_path):
    data = yaml.safe_load(TYPES_FILE.read_text(encoding="utf-8"))
    data["types"][1]["body"] += "{no_such_field}"
    broken = tmp_path / "types.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_certificate_types(broken)
    assert (
        "types.yaml 第 2 项（ZM-002）" in caught.value.messages[0]
        and "{no_such_field}" in caught.value.messages[0]
    )
    assert not CertificateType.objects.filter(code="ZM-002").exists()


def test_it_loads_the_templates_from_the_command_line(world):
    out = io.StringIO()
    call_command("load_certificate_types", stdout=out)
    assert "已载入：清河县 ZM-001 居住证明" in out.getvalue() and "新增模板 13 个" in out.getvalue()
    out = io.StringIO()
    call_command("load_certificate_types", stdout=out)
    assert out.getvalue().strip() == "新增模板 0 个。"


def test_it_keeps_templates_to_the_county_office(world):
    load_certificate_types()
    residence = CertificateType.objects.get(code="ZM-001")
    for who in ("village_cadre", "town_hk", "admin", "inspector", "outsider"):
        with pytest.raises(PermissionDenied):
            services.certificate_type_save(
                actor=world.people[who], region=world.county, certificate_type=residence, name="改名"
            )
    with pytest.raises(StaleWriteError):
        services.certificate_type_save(
            actor=world.office,
            region=world.county,
            certificate_type=residence,
            expected_revision=0,
            name="改名",
        )
    with pytest.raises(ValidationError) as caught:
        services.certificate_type_save(
            actor=world.office,
            region=world.county,
            certificate_type=residence,
            fields=[{"name": "resident_id", "label": "身份证"}],
        )
    assert "平台保留的占位符" in caught.value.message_dict["fields"][0]
    assert CertificateType.objects.get(code="ZM-001").revision == 1


def test_it_loads_the_demo_records_once(world):
    for name in ("certificates_allowed.yaml", "national_certificates_forbidden.yaml"):
        load_reference_file(REFERENCE_DIR / name)
    first = load_demo_records()
    assert "新增模板 13 个，示例记录 8 条" in first
    counts = (Issuance.objects.count(), Refusal.objects.count(), Commitment.objects.count())
    assert counts == (3, 4, 1)
    assert "新增模板 0 个，示例记录 0 条" in load_demo_records()
    assert (Issuance.objects.count(), Refusal.objects.count(), Commitment.objects.count()) == counts
    dates = sorted(Refusal.objects.values_list("on", flat=True))
    assert dates[0] < dates[-1]  # spread over the months, so the statistics have a shape
