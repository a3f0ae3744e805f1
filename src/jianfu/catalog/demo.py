"""Sample process cards for `make demo` (idempotent): 县人社局 wrote three cards for items of the city's assist and
undertaken lists; the review office (县民政局) accepted two and returned one."""

from django.db import transaction

from jianfu.orgs.models import Department, User

from . import cards
from .models import ProcessCard
from .reference import REFERENCE_DIR, load_reference_file

CARDS: list[tuple[str, dict[str, str], str]] = [
    (
        "SZ-RS-XZ-001",
        {
            "basis": "《中华人民共和国就业促进法》第五十二条",
            "standard": "登记信息与身份证件一致；受理后 3 个工作日内报街道（乡镇）人社服务站",
            "conditions": "本村（社区）常住、有劳动能力和就业要求的失业人员",
            "materials": "居民身份证；《就业创业证》申请表",
            "steps": "1. 受理登记 2. 初审并在村务公开栏公示 3. 报乡镇人社服务站",
            "forms_used": "就业失业登记表",
        },
        "accept",
    ),
    (
        "SZ-RS-CB-004",
        {
            "basis": "《社会保险法》第十六条；《城乡居民基本养老保险经办规程》",
            "standard": "每年一次养老金领取资格认证，村（社区）只做告知和协助，认证由人社部门完成",
            "conditions": "本村（社区）领取养老金的退休人员和城乡居民",
            "materials": "无（人脸识别认证由本人手机完成）",
            "steps": "1. 告知认证时间和方式 2. 协助行动不便的老人预约上门认证",
            "forms_used": "",
        },
        "accept",
    ),
    (
        "SZ-RS-XZ-002",
        {
            "basis": "县人社局工作要求",
            "standard": "",
            "conditions": "",
            "materials": "",
            "steps": "村（社区）摸清底数并录入系统",
            "forms_used": "",
        },
        "return",
    ),
]


def load_demo_records() -> str:
    department = Department.objects.filter(name="县人社局").first()
    clerk = User.objects.filter(username="rs_clerk").first()
    office = User.objects.filter(username="mz_office").first()
    if not (department and clerk and office):
        return "办理流程卡：缺少演示部门或人员，跳过"
    if ProcessCard.objects.filter(department=department).exists():
        return "办理流程卡：演示数据已存在"
    for name in ("city_assist.yaml", "city_undertaken.yaml"):
        load_reference_file(REFERENCE_DIR / name)
    with transaction.atomic():
        for code, fields, decision in CARDS:
            card = cards.card_save(actor=clerk, department=department, item_code=code, card=None, **fields)
            card = cards.card_submit(actor=clerk, card=card)
            note = "" if decision == "accept" else "请写明法律法规依据和条款，补充办理标准和材料"
            cards.card_decide(actor=office, card=card, accept=decision == "accept", note=note)
    return "办理流程卡：县人社局 3 张（采用 2 张，退回 1 张）"
