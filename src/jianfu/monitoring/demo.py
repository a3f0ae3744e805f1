"""Sample records for `make demo`. Idempotent: a second run changes nothing.

Three monitoring points (桃园村, 柳湾村 of 河口镇 and 解放路社区 of 城关街道) served by the demo monitor, about
thirty burdens over the last four months (some of them violations), two clues (one anonymous), and a
published bulletin in which 县人社局 reported its rectification and the monitor confirmed it; the last closed
period's returns of two points (the third, 解放路社区, is silent). Tasks and
certificate demands are checked against the lists, so the demo loads the reference lists first.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file
from jianfu.orgs.models import Department, Region, User, subtree_q

from . import services
from .models import Finding, MonitoringPoint
from .services import bulletins

POINTS = ("428521101201", "428521101202", "428521001001")
# (days ago, point, kind, department, hours, subject, description, extra)
EVENTS = [
    (110, 0, "meeting", "县人社局", 3, "", "参加县人社局社保扩面动员会", {}),
    (104, 0, "form", "县人社局", 2, "灵活就业人员摸底表", "要求三天内报送灵活就业人员摸底表", {}),
    (101, 1, "app", "县人社局", 1, "", "要求村干部每天在“就业通”APP签到打卡", {}),
    (
        98,
        2,
        "inspection",
        "县创文办",
        4,
        "文明创建督查",
        "县创文办到社区督查创文工作，要求准备汇报材料",
        {"demanded_materials": True},
    ),
    (
        95,
        0,
        "certificate",
        "县公安局",
        0.5,
        "",
        "派出所要求村里开具亲属关系证明",
        {"certificate_code": "BZ-001"},
    ),
    (
        92,
        1,
        "task",
        "县农业农村局",
        6,
        "为企业开展招商引资并下达招商任务指标",
        "镇里转来招商引资任务指标",
        {},
    ),
    (88, 2, "group", "县委宣传部", 1, "", "拉社区干部进4个工作群，要求每天转发截图", {}),
    (85, 0, "meeting", "河口镇党委政府", 2, "", "参加镇里的周例会", {}),
    (80, 1, "form", "县民政局", 1.5, "低保对象年审表", "按年度填报表格清单报送", {}),
    (77, 2, "app", "县委组织部", 1, "", "要求社区干部在学习APP上完成积分排名", {}),
    (72, 0, "placard", "县创文办", 2, "", "要求村委会门口挂“文明创建指挥部”牌子", {}),
    (
        70,
        1,
        "certificate",
        "县人社局",
        0.5,
        "",
        "为就业登记要求村里出具居住证明",
        {"certificate_code": "ZM-001"},
    ),
    (66, 2, "task", "县住建局", 3, "出面调解两户居民的邻里民间纠纷", "社区出面调解邻里纠纷", {}),
    (61, 0, "inspection", "县人社局", 3, "就业工作检查", "县人社局到村检查就业工作", {}),
    (58, 1, "meeting", "县农业农村局", 2, "", "参加高标准农田建设推进会", {}),
    (54, 2, "form", "县人社局", 2, "社区人员技能培训需求调查表", "要求社区逐户填报培训需求", {}),
    (50, 0, "app", "县人社局", 1, "", "“就业通”APP下达每村30人注册指标", {}),
    (47, 1, "task", "县城管执法局", 5, "对辖区违法建设进行执法拆除", "要求村里组织拆除违建", {}),
    (
        43,
        2,
        "certificate",
        "县民政局",
        0.5,
        "",
        "要求社区为居民出具婚姻状况证明",
        {"certificate_code": "BZ-008"},
    ),
    (40, 0, "group", "县人社局", 0.5, "", "新建“社保扩面”微信群要求每日报数", {}),
    (36, 1, "meeting", "河口镇党委政府", 1.5, "", "参加镇里的安全生产会", {}),
    (33, 2, "inspection", "县民政局", 2, "养老服务检查", "县民政局到社区检查养老服务站", {}),
    (29, 0, "form", "县农业农村局", 2, "农村人居环境整治进度表", "要求每周报送进度", {}),
    (25, 1, "app", "县委宣传部", 0.5, "", "要求在融媒体APP上每天点赞转发", {}),
    (21, 2, "task", "县人社局", 4, "为企业开展招商引资并下达招商任务指标", "要求社区完成招聘会招商任务", {}),
    (17, 0, "meeting", "县民政局", 2, "", "参加村（社区）减负工作培训", {}),
    (13, 1, "other", "县财政局", 1, "", "要求村里垫付活动经费", {}),
    (9, 2, "form", "县人社局", 1, "就业困难人员台账", "要求社区重复报送已在系统中的数据", {}),
    (6, 0, "app", "县人社局", 0.5, "", "要求在“就业通”APP上每周打卡", {}),
    (3, 1, "inspection", "县创文办", 3, "创文复查", "再次到村督查创文工作", {"demanded_materials": True}),
]


def load_demo_records() -> str:
    villages = {r.code: r for r in Region.objects.filter(code__in=POINTS)}
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["mz_office", "monitor", "jw_inspector", "taoyuan", "grid_jf", "rs_clerk"]
        )
    }
    if len(villages) < len(POINTS) or len(people) < 6:
        return "减负监测：缺少演示区划或人员，跳过"
    if MonitoringPoint.objects.filter(village__code__in=POINTS).exists():
        return "减负监测：演示数据已存在"
    for path in sorted(REFERENCE_DIR.glob("*.yaml")):
        load_reference_file(path)
    with transaction.atomic():
        counts = _load(villages, people)
    return f"减负监测：{len(POINTS)} 个监测点，{counts['events']} 条负担事件（违规 {counts['violations']} 条），2 条问题线索，1 份通报，2 份定期报送（1 个监测点未报送）"


def _load(villages, people) -> dict:
    office, monitor, inspector = people["mz_office"], people["monitor"], people["jw_inspector"]
    points = []
    for code in POINTS:
        point = services.point_designate(actor=office, village=villages[code], note="演示监测点")
        services.monitor_assign(actor=office, point=point, monitor=monitor)
        points.append(point)
    departments = {d.name: d for d in Department.objects.filter(subtree_q(["428521"], "region__code"))}
    today, violations = timezone.localdate(), 0
    for days, n, kind, department, hours, subject, description, extra in EVENTS:
        event, _ = services.event_record(
            actor=monitor,
            village=points[n].village,
            kind=kind,
            department=departments[department],
            occurred_on=today - timedelta(days=days),
            hours=hours,
            subject=subject,
            description=description,
            **extra,
        )
        violations += event.is_violation
    clue, _ = services.clue_report(
        actor=people["taoyuan"],
        village=villages[POINTS[0]],
        kind="form",
        department=departments["县人社局"],
        occurred_on=today - timedelta(days=15),
        subject="",
        description="县人社局一个月内三次要求报送同一张花名册",
        hours=3,
        anonymous=True,
    )
    services.clue_review(actor=inspector, event=clue, accept=True, note="经核实属实")
    services.clue_report(
        actor=people["grid_jf"],
        village=villages[POINTS[2]],
        kind="app",
        department=departments["县委宣传部"],
        occurred_on=today - timedelta(days=2),
        description="网格员被要求每天在APP上打卡三次",
        origin="grid",
    )
    _bulletin(villages, people, today)
    _returns(points, monitor, today)
    return {"events": len(EVENTS), "violations": violations}


def _returns(points, monitor, today) -> None:
    """桃园村 and 柳湾村 filed the last closed period's return (events counted, or 本期无新增负担); 解放路社区
    filed nothing, so the dashboard shows it as silent."""
    for point in points[:2]:
        period = services.returns.current_period(point, today).previous()
        quiet = services.returns.events_in(point, period) == 0
        services.point_return_file(
            actor=monitor,
            point=point,
            day=period.start,
            nothing_new=quiet,
            note="本期未接到新的会议、检查和表格要求" if quiet else "",
        )


def _bulletin(villages, people, today) -> None:
    county = Region.objects.get(code="428521000000")
    inspector, monitor = people["jw_inspector"], people["monitor"]
    start, end = today - timedelta(days=120), today - timedelta(days=30)
    # The inspector has judged the older findings the automatic check called violations; the recent ones and
    # those it could not decide wait in the queue.
    judged = Finding.objects.filter(
        automatic="violation", occurred_on__gte=start, occurred_on__lte=end, department__isnull=False
    )
    if judged.exists():
        services.findings_decide(
            actor=inspector,
            items=[(f.pk, f.version) for f in judged],
            decision="confirm",
            reason="经核实，情况属实",
        )
    draft = bulletins.bulletin_draft(
        actor=inspector,
        region=county,
        period_start=start,
        period_end=end,
    )
    published = bulletins.bulletin_publish(actor=inspector, bulletin=draft)
    entry = published.entries.filter(department__name="县人社局").first()
    if entry is not None:
        entry = bulletins.entry_rectify(
            actor=people["rs_clerk"],
            entry=entry,
            rectification="已停用“就业通”APP签到打卡和注册指标，撤销摸底表重复报送要求。",
        )
        bulletins.entry_confirm(actor=monitor, entry=entry, note="到桃园村、柳湾村核实，已无打卡要求")
