"""Sample records for `make demo`. Idempotent: a second run changes nothing.

Three departments' plans for two years (the later one cut by about a fifth, as seed 004 reports), one plan
waiting for approval, one draft; visits at villages, some planned, some not, one demanding briefing materials,
one under a one-vote veto item; placards and mechanisms in four villages, some over the standard, some removed.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from jianfu.orgs.models import Department, Region, subtree_q

from . import services
from .models import InspectionPlan, Placard

TAOYUAN, LIUWAN, SHIQIAO, JIEFANG, WENCHANG, BAISHI = (
    "428521101201",
    "428521101202",
    "428521101203",
    "428521001001",
    "428521001002",
    "428521102201",
)


def _year() -> int:
    """The latest year whose March–September lie in the past, so every sample visit is dated before today."""
    today = timezone.localdate()
    return today.year if today.month >= 10 else today.year - 1


def _plans(year: int, regions: dict, departments: dict) -> None:
    rs, nn, mz, zzb = (departments[n] for n in ("县人社局", "县农业农村局", "县民政局", "县委组织部"))
    hk, county = regions["河口镇"], regions["清河县"]
    tao, liu = regions[TAOYUAN], regions[LIUWAN]
    this_year = {
        rs: [
            dict(kind="inspection", subject="社保经办服务检查", month=3, villages=[tao, liu]),
            dict(kind="research", subject="就业帮扶情况调研", month=5, scope=hk, village_count=2),
            dict(
                kind="assessment",
                subject="就业工作年度考核",
                month=9,
                scope=county,
                village_count=4,
                veto=True,
            ),
        ],
        nn: [
            dict(kind="supervision", subject="高标准农田建设督查", month=4, scope=county, village_count=3),
            dict(
                kind="research",
                subject="农村集体经济调研",
                month=6,
                villages=[regions[BAISHI]],
                demands_materials=True,
            ),
        ],
        mz: [dict(kind="inspection", subject="低保动态管理检查", month=7, scope=county, village_count=4)],
    }
    # Last year 县民政局 also re-checked 4 villages in October: 20 planned village visits then, 16 now (−20%).
    for department, items in this_year.items():
        recheck = (
            [dict(items[0], subject=items[0]["subject"] + "（复查）", month=10)] if department == mz else []
        )
        _approved(department, year - 1, items + recheck)
        _approved(department, year, items)
    pending = services.plan_create(actor=None, department=zzb, year=year + 1, note="下年度村级组织建设督查")
    services.item_add(
        actor=None,
        plan=pending,
        kind="supervision",
        subject="村级组织建设督查",
        month=4,
        scope=county,
        village_count=5,
    )
    services.plan_submit(actor=None, plan=pending)
    draft = services.plan_create(actor=None, department=rs, year=year + 1)
    services.item_add(
        actor=None, plan=draft, kind="inspection", subject="社保经办服务检查", month=3, villages=[tao]
    )


def _approved(department, year: int, items: list) -> None:
    plan = services.plan_create(actor=None, department=department, year=year)
    for item in items:
        services.item_add(actor=None, plan=plan, **item)
    services.plan_submit(actor=None, plan=plan)
    services.plan_decide(actor=None, plan=plan, approve=True, note="同意")


def _visits(year: int, regions: dict, departments: dict) -> None:
    rs, nn, mz, cw = (departments[n] for n in ("县人社局", "县农业农村局", "县民政局", "县创文办"))
    samples = [
        (TAOYUAN, rs, date(year, 3, 14), "inspection", "社保经办服务检查", False),
        (LIUWAN, rs, date(year, 3, 20), "inspection", "社保经办服务检查", False),
        (SHIQIAO, rs, date(year, 5, 9), "research", "就业帮扶情况调研", False),
        (BAISHI, nn, date(year, 6, 11), "research", "农村集体经济调研", True),  # the plan demanded materials
        (JIEFANG, mz, date(year, 7, 3), "inspection", "低保动态管理检查", False),
        (TAOYUAN, rs, date(year, 9, 18), "assessment", "就业工作年度考核", False),  # one-vote veto item
        (TAOYUAN, cw, date(year, 5, 22), "inspection", "文明创建迎检", True),  # in no plan
        (WENCHANG, cw, date(year, 8, 8), "inspection", "文明创建台账检查", False),  # in no plan
        (LIUWAN, mz, date(year, 4, 15), "research", "养老服务调研", True),  # in no plan
    ]
    for code, department, on, kind, subject, materials in samples:
        services.visit_record(
            actor=None,
            village=regions[code],
            department=department,
            on=on,
            kind=kind,
            subject=subject,
            demanded_materials=materials,
        )


ALLOWED = [
    ("outside_placard", "中共{v}支部委员会"),
    ("outside_placard", "{v}村民委员会"),
    ("outside_placard", "{v}村务监督委员会"),
    ("outside_placard", "{v}股份经济合作社"),
    ("outside_sign", "{v}党群服务中心"),
    ("outside_sign", "{v}新时代文明实践站"),
    ("inside_placard", "妇女之家"),
    ("inside_placard", "共青团活动室"),
    ("wall_rule", "村务公开制度"),
]
EXTRA = [
    ("outside_placard", "{v}老年人协会", "县民政局"),
    ("outside_placard", "{v}禁毒工作站", "县公安局"),
    ("outside_placard", "{v}文明创建指挥部", "县创文办"),
    ("wall_rule", "网格化管理工作职责", "县委政法委"),
    ("wall_rule", "禁毒工作领导小组职责", "县公安局"),
    ("wall_rule", "创文工作制度", "县创文办"),
]


def _placards(year: int, regions: dict) -> None:
    for n, code in enumerate((TAOYUAN, LIUWAN, JIEFANG, BAISHI)):
        village = regions[code]
        for kind, title in ALLOWED:
            services.placard_register(
                actor=None, village=village, kind=kind, title=title.format(v=village.name)
            )
        extras = [
            services.placard_register(
                actor=None,
                village=village,
                kind=kind,
                title=title.format(v=village.name),
                department_name=department,
            )
            for kind, title, department in EXTRA
        ]
        # The first villages cleaned up most of it; the last ones have work left.
        for m, placard in enumerate(extras[: 5 - n]):
            services.placard_remove(
                actor=None, placard=placard, removed_on=date(year, 4 + n, 10 + m), note="按标准清理"
            )
        services.mechanism_register(
            actor=None,
            village=village,
            name="人民调解委员会",
            department_name="县司法局",
            legal_basis="《中华人民共和国人民调解法》第八条",
        )
        if n % 2:
            services.mechanism_register(
                actor=None, village=village, name="创文工作站", department_name="县创文办"
            )


@transaction.atomic
def load_demo_records() -> str:
    if InspectionPlan.objects.exists() or Placard.objects.exists():
        return "督查检查与机制牌子：演示数据已存在，未改动"
    regions = {r.code: r for r in Region.objects.filter(subtree_q(["428521"]))}
    regions.update({r.name: r for r in regions.values() if r.level <= 4})
    departments = {d.name: d for d in Department.objects.filter(subtree_q(["428521"], "region__code"))}
    year = _year()
    _plans(year, regions, departments)
    _visits(year, regions, departments)
    _placards(year, regions)
    return (
        f"督查检查与机制牌子：{InspectionPlan.objects.count()} 份计划、9 条到村记录、"
        f"{Placard.objects.count()} 块牌子和制度"
    )
