"""Sample records for `make demo`. Idempotent: a second run changes nothing.

The residents, ID numbers (well-formed, GB 11643 check digit, invented) and institutions are fictional.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from jianfu.orgs.models import Region

from . import services
from .idnumbers import sample_id
from .models import Commitment, Issuance, Refusal
from .reference import load_certificate_types

TAOYUAN, JIEFANG = "428521101201", "428521001001"


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _samples(taoyuan: Region, jiefang: Region) -> list[tuple]:
    """(service, village, days ago, arguments) in the order they happened."""
    return [
        (
            services.issuance_create,
            taoyuan,
            75,
            dict(
                type_code="ZM-001",
                resident_name="李秀英",
                resident_id_number=sample_id("428521", date(1968, 3, 12), 24),
                values={"address": "三组12号", "since": "2009-05-01", "verified_by": "入户走访核实"},
                institution_kind="school",
                institution_name="清河县第一中学",
                purpose="子女入学",
            ),
        ),
        (
            services.refusal_create,
            taoyuan,
            60,
            dict(
                type_code="BZ-001",
                request_text="银行要开亲属关系证明",
                resident_name="王建国",
                institution_kind="bank",
                institution_name="清河农商银行河口支行",
            ),
        ),
        (
            services.issuance_create,
            taoyuan,
            40,
            dict(
                type_code="ZM-003",
                resident_name="王建国",
                resident_id_number=sample_id("428521", date(1975, 8, 2), 51),
                values={
                    "household_size": "4",
                    "hardship": "户主因病长期治疗，家庭主要劳动力丧失劳动能力",
                    "visited_on": (timezone.localdate() - timedelta(days=42)).isoformat(),
                },
                institution_kind="school",
                institution_name="清江职业技术学院",
                purpose="申请国家助学金",
            ),
        ),
        (
            services.commitment_create,
            taoyuan,
            30,
            dict(
                type_code="BZ-008",
                resident_name="张伟",
                resident_id_number=sample_id("428521", date(1990, 11, 23), 37),
                values={"marital_status": "未婚"},
                institution_kind="bank",
                institution_name="清河农商银行河口支行",
                purpose="办理个人住房贷款",
            ),
        ),
        (
            services.refusal_create,
            taoyuan,
            12,
            dict(
                type_code="BZ-005",
                request_text="公司入职要无犯罪记录证明",
                institution_kind="enterprise",
                institution_name="清河县顺达物流有限公司",
            ),
        ),
        (
            services.refusal_create,
            jiefang,
            20,
            dict(
                type_code="BZ-008",
                request_text="开婚姻状况证明",
                institution_kind="bank",
                institution_name="清河农商银行河口支行",
            ),
        ),
        (
            services.issuance_create,
            jiefang,
            8,
            dict(
                type_code="ZM-001",
                resident_name="陈静",
                resident_id_number=sample_id("428521", date(1986, 1, 30), 62),
                values={"address": "解放路88号3栋201室", "since": "2016-09-01", "verified_by": "网格员核实"},
                institution_kind="government",
                institution_name="清河县人力资源和社会保障局",
                purpose="申领居住地社保卡",
            ),
        ),
        (
            services.refusal_create,
            jiefang,
            3,
            dict(
                request_text="证明我家房子是我的",
                institution_kind="enterprise",
                institution_name="清河小额贷款有限公司",
            ),
        ),
    ]


@transaction.atomic
def _load_samples() -> int:
    villages = {r.code: r for r in Region.objects.filter(code__in=(TAOYUAN, JIEFANG))}
    if len(villages) < 2:
        return 0
    for model in (Issuance, Refusal, Commitment):
        if model.objects.filter(village__in=villages.values()).exists():
            return 0
    samples = _samples(villages[TAOYUAN], villages[JIEFANG])
    for service, village, days_ago, arguments in samples:
        service(actor=None, village=village, at=_at(days_ago), **arguments)
    return len(samples)


def load_demo_records() -> str:
    """Load the templates and the sample records; return one line saying what was added."""
    types = load_certificate_types()
    samples = _load_samples()
    return f"证明事项：新增模板 {len(types)} 个，示例记录 {samples} 条（居民、身份证号和单位均为虚构）"
