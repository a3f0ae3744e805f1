"""Sample records for `make demo`. Idempotent: a second run changes nothing.

清河县's base table (population, households, area, collective income, low-income households, people over 80 …)
with values for every village and community for last year and this year, two validation rules, last year locked
in 河口镇; 县人社局's form approved into this year's list, its quarters opened on schedule (河口镇 fills it half-
yearly) and reported by most villages, some of them late and a few not at all; 县民政局's form rejected because
its fields duplicate 县人社局's; last year's forms for the year-on-year figures, the listed one reported over the
whole year; and a few work channels, two of them flagged for closure and one already closed.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from jianfu.orgs.models import Department, Level, Region, subtree_q

from . import periods, services
from .models import BaseValue, Category, CategoryCombo, DepartmentForm, FormTask, Indicator
from .services import rollup

COUNTY = "428521000000"
INDICATORS = [  # code, name, unit, type, min, max, owner, definition
    ("JC-001", "常住人口", "人", "integer", 0, 200000, "县统计局", "在本村（社区）居住半年以上的人口"),
    ("JC-002", "户籍户数", "户", "integer", 0, 100000, "县公安局", "户籍登记在本村（社区）的户数"),
    ("JC-003", "户籍人口", "人", "integer", 0, 200000, "县公安局", ""),
    ("JC-004", "行政区域面积", "平方公里", "decimal", 0, 1000, "县自然资源和规划局", ""),
    ("JC-005", "村集体经济收入", "万元", "decimal", 0, 100000, "县农业农村局", "上年度村集体经营性收入"),
    ("JC-006", "低保户数", "户", "integer", 0, 10000, "县民政局", ""),
    ("JC-007", "80岁以上老人数", "人", "integer", 0, 20000, "县民政局", ""),
    ("JC-008", "外出务工人数", "人", "integer", 0, 100000, "县人社局", ""),
    ("JC-009", "本村常住人口数", "人", "integer", 0, 200000, "县统计局", "（与 JC-001 重复，待合并）"),
]


def load_demo_records() -> str:
    county = Region.objects.filter(code=COUNTY).first()
    if county is None:
        return "一张表：没有演示县，跳过"
    if Indicator.objects.filter(region=county, code="JC-001").exists():
        with transaction.atomic():
            added = _categories(county)
        if added:
            return f"一张表：补充分类演示数据（{added}）"
        return "一张表：演示数据已存在，未变"
    with transaction.atomic():
        made = _indicators(county)
        villages = list(
            Region.objects.filter(subtree_q([county.prefix]), level=Level.VILLAGE, is_active=True)
        )
        year = timezone.localdate().year
        for period in (str(year - 1), str(year)):
            for n, village in enumerate(villages):
                services.values_enter(
                    actor=None, village=village, period=period, values=_values(made, n, period)
                )
        lock = services.period_lock(
            actor=None,
            township=Region.objects.get(code="428521101000"),
            period=str(year - 1),
            note="经审核，各村数据无误",
        )
        services.unlock_request(
            actor=None, lock=lock, reason="桃园村上年度外出务工人数漏报一个村民小组，需重新录入后再锁定"
        )
        forms = _forms(county, made, year)
        rollup.rebuild()  # the back-dated reports above were dated around the services
        channels = _channels(county)
        added = _categories(county)
    return (
        f"一张表：{len(made)} 个基础指标，{len(villages)} 个村（社区）两年的基础数据，{forms} 张报表，"
        f"{channels} 个工作群和APP，{added or '分类已存在'}"
    )


TAOYUAN = "428521101201"
AGE_BANDS = ["0–17 岁", "18–59 岁", "60 岁及以上"]
# Per cent of 常住人口 in each cell but the last (女 · 60 岁及以上 takes the rest).
SHARES = [9, 30, 11, 8, 29]


def _categories(county) -> str:
    """性别 and 年龄段, their combination, 常住人口 broken down by it, and 桃园村's cells for this year (adding up to
    the value it had typed). Skipped when the county already has the combination."""
    if CategoryCombo.objects.filter(region=county, name="性别×年龄段").exists():
        return ""
    indicator = Indicator.objects.filter(region=county, code="JC-001").first()
    if indicator is None or indicator.category_combo_id is not None:
        return ""
    sex = Category.objects.filter(region=county, name="性别").first() or services.category_save(
        actor=None, region=county, name="性别", options=["男", "女"]
    )
    age = Category.objects.filter(region=county, name="年龄段").first() or services.category_save(
        actor=None, region=county, name="年龄段", options=AGE_BANDS
    )
    combo = services.combo_save(actor=None, region=county, name="性别×年龄段", categories=[sex, age])
    indicator = services.indicator_combo_set(actor=None, indicator=indicator, combo=combo)
    village = Region.objects.filter(code=TAOYUAN, is_active=True).first()
    period = str(timezone.localdate().year)
    filled = ""
    if village is not None and not services.is_locked(village, period):
        typed = BaseValue.objects.filter(village=village, indicator=indicator, period=period).first()
        total = int(typed.number) if typed is not None and typed.number is not None else 1000
        numbers = [total * share // 100 for share in SHARES]
        numbers.append(total - sum(numbers))
        keys = [key for key, _ in services.cells(combo)]
        services.breakdown_enter(
            actor=None,
            village=village,
            indicator=indicator,
            period=period,
            values={k: str(n) for k, n in zip(keys, numbers, strict=True)},
        )
        filled = f"，{village.name}已填 {period} 年分项"
    return f"分类 2 个，分类组合“{combo.name}”，{indicator.name}按其分项填报{filled}"


def _department(name: str) -> Department | None:
    return Department.objects.filter(name=name, region__code=COUNTY).first()


def _indicators(county) -> dict:
    made = {}
    for code, name, unit, kind, low, high, owner, definition in INDICATORS:
        made[code] = services.indicator_save(
            actor=None,
            region=county,
            code=code,
            name=name,
            unit=unit,
            value_type=kind,
            period="yearly",
            min_value=low,
            max_value=high,
            owner_department=_department(owner),
            definition=definition,
        )
    services.rule_save(
        actor=None,
        left=made["JC-002"],
        operator="le",
        right=made["JC-001"],
        message="户籍户数不应超过常住人口",
    )
    services.rule_save(
        actor=None,
        left=made["JC-007"],
        operator="le",
        right=made["JC-001"],
        message="80岁以上老人数不应超过常住人口",
    )
    services.rule_save(
        actor=None,
        left=made["JC-006"],
        operator="le",
        right=made["JC-002"],
        factor="0.3",
        severity="warning",
        message="低保户超过户数的三成，请核实",
    )
    return made


def _values(made, n: int, period: str) -> dict:
    growth = 1.0 if period.endswith(("0", "2", "4", "6", "8")) else 0.98
    people = int((900 + 137 * n) * growth)
    return {
        made["JC-001"]: people,
        made["JC-002"]: people // 3,
        made["JC-003"]: int(people * 1.1),
        made["JC-004"]: f"{3.5 + n * 0.7:.2f}",
        made["JC-005"]: f"{12 + n * 3.5:.1f}",
        made["JC-006"]: 200 if n == 6 else 8 + n % 7,
        made["JC-007"]: people // 25,
        made["JC-008"]: people // 5,
    }


def _forms(county, made, year) -> int:
    rs, mz = _department("县人社局"), _department("县民政局")
    if rs is None or mz is None:
        return 0
    listed = services.form_register(
        actor=None,
        department=rs,
        region=county,
        year=year,
        name=f"{year}年村（社区）就业和社保基础信息表",
        legal_basis="《中华人民共和国就业促进法》第十一条",
        frequency="quarterly",
        list_item_code="SZ-RS-XZ-001",
        fields=[
            {"label": "常住人口数", "unit": "人", "indicator": made["JC-001"]},
            {"label": "户籍户数", "unit": "户", "indicator": made["JC-002"]},
            {"label": "外出务工人数", "unit": "人", "indicator": made["JC-008"]},
            {
                "label": "公益性岗位在岗人数",
                "unit": "人",
                "justification": "公益性岗位季度核查需要，基础表无此项",
            },
            {"label": "本季度新增就业人数", "unit": "人", "justification": "就业目标考核按季度统计"},
        ],
    )
    services.form_submit(actor=None, form=listed)
    listed = services.form_approve(actor=None, form=listed, note="服务依法协助事项，栏目已对应基础表")
    hekou = Region.objects.filter(code="428521101000").first()
    if hekou is not None:
        services.township_schedule_set(
            actor=None,
            form=listed,
            township=hekou,
            frequency="half_yearly",
            due_day=5,
            note="河口镇外出务工人员季节性强，按半年汇总",
        )
    _report_history(listed)
    duplicate = services.form_register(
        actor=None,
        department=mz,
        region=county,
        year=year,
        name=f"{year}年村（社区）公益性岗位和就业情况统计表",
        legal_basis="县民政局工作安排",
        frequency="monthly",
        list_item_code="SZ-RS-XZ-001",
        fields=[
            {"label": "公益性岗位在岗人员数", "unit": "人", "justification": "掌握岗位情况"},
            {"label": "本季度新增就业人员数量", "unit": "人", "justification": "掌握就业情况"},
        ],
    )
    services.form_submit(actor=None, form=duplicate)
    services.form_reject(
        actor=None,
        form=duplicate,
        note=f"栏目与县人社局《{listed.name}》重复，改由该表导出共享，不再向村（社区）下发",
    )
    _last_year(county, rs, mz, year - 1)
    return 2 + 3


def _last_year(county, rs, mz, year) -> None:
    """Last year's inventory before the clean-up: three forms, one listed, one merged into it, one rejected."""
    new = [{"label": "就业困难人员数", "unit": "人", "justification": "就业援助"}]
    kept = services.form_register(
        actor=None,
        department=rs,
        region=county,
        year=year,
        name=f"{year}年就业援助台账",
        legal_basis="《就业促进法》",
        frequency="quarterly",
        list_item_code="SZ-RS-XZ-001",
        fields=new,
    )
    services.form_submit(actor=None, form=kept)
    kept = services.form_approve(actor=None, form=kept)
    _report_history(kept)
    for name, department, into in (
        (f"{year}年失业人员月报", rs, kept),
        (f"{year}年养老服务需求摸底表", mz, None),
    ):
        other = services.form_register(
            actor=None,
            department=department,
            region=county,
            year=year,
            name=name,
            legal_basis="部门通知",
            frequency="monthly",
            fields=new,
        )
        services.form_submit(actor=None, form=other)
        services.form_reject(
            actor=None, form=other, note="并入已列入的报表" if into else "无法律依据", merge_into=into
        )


# Of every ten villages, per period past its due date: seven report on time, two late, one not at all.
LATE, MISSING = (7, 8), (9,)


def _report_history(form: DepartmentForm) -> None:
    """Open every period of the form that has begun (as the daily job would have) and have the villages report:
    past periods mostly on time, some late, a few never; the current period about a third so far."""
    today = timezone.localdate()
    plan = services.township_plan(form)
    new_fields = list(form.fields.filter(indicator__isnull=True))
    for kind in sorted({k for k, _ in plan.values()}):
        for key in periods.keys(kind, form.year):
            if periods.bounds(key)[0] > today:
                continue
            issue, _ = services.open_period(form, key, actor=None, scheduled=True)
            for n, task in enumerate(issue.tasks.order_by("village__code")):
                _report(task, n, today, {f.pk: str(5 + n % 7) for f in new_fields})


def _report(task: FormTask, n: int, today, typed: dict) -> None:
    due_on = task.due_on
    assert due_on is not None  # opened on schedule: every task has its due date
    past = due_on < today
    if (past and n % 10 in MISSING) or (not past and n % 3):
        return
    services.task_submit(actor=None, task=task, typed=typed)
    # Demo history: the report is dated when a village would have sent it, not when the demo was loaded.
    days = 6 if past and n % 10 in LATE else -2 - n % 5
    sent = timezone.make_aware(datetime.combine(due_on + timedelta(days=days), time(10)))
    sent = min(sent, timezone.now())
    on_time = timezone.localdate(sent) <= due_on
    FormTask.objects.filter(pk=task.pk).update(submitted_at=sent, on_time=on_time)


def _channels(county) -> int:
    rows = [
        ("wechat", "清河县村（社区）工作联络群", "县民政局", "工作通知和业务咨询", ["work"], None),
        ("wechat", "河口镇就业打卡群", "县人社局", "每日在岗打卡截图", ["checkin"], None),
        ("app", "清河积分宝", "县委宣传部", "转发文章积分排名", ["points", "voting"], None),
        (
            "qq",
            "清河县社保业务QQ群",
            "县人社局",
            "社保业务答疑",
            ["work", "service"],
            ("merged", "清河县村（社区）工作联络群"),
        ),
        ("official", "清河投票助手", "县创文办", "评比投票拉票", ["voting"], ("closed", "")),
    ]
    for kind, name, department, purpose, uses, outcome in rows:
        owner = _department(department)
        if owner is None:
            continue
        channel = services.channel_register(
            actor=None, kind=kind, name=name, department=owner, region=county, purpose=purpose, uses=uses
        )
        if outcome:
            services.channel_set_status(
                actor=None, channel=channel, status=outcome[0], merged_into=outcome[1], note="专项清理"
            )
    return len(rows)
