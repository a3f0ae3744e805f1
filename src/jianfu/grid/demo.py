"""Sample records for `make demo`: 清河县's classification, grids for 解放路社区 and 河口社区, and a few dozen
events in every state, spread over recent months. Idempotent: a second run changes nothing."""

from datetime import timedelta

from django.utils import timezone

from jianfu.orgs.models import Department, Region, User

from . import services
from .models import DeadlineUnit, EventClass, Grid, GridEvent, Source
from .services import events as workflow

COUNTY, JIEFANG, HEKOU = "428521000000", "428521001001", "428521101001"
# (code, name, kind, department, deadline, unit, public): the county's classification, after the city's
# handbook categories (seed 003, 二(二): 市容环卫、建设管理、劳动保障、社会治安、矛盾纠纷、消防安全).
CLASSES = [
    ("SR-01", "暴露垃圾、乱堆乱放", "event", "县城管执法局", 2, DeadlineUnit.WORKDAYS, True),
    ("SS-01", "井盖、路灯等公共设施损坏", "component", "县住建局", 48, DeadlineUnit.HOURS, True),
    ("LB-01", "拖欠工资、劳动纠纷", "event", "县人社局", 5, DeadlineUnit.WORKDAYS, True),
    ("ZA-01", "治安隐患", "event", "县公安局", 24, DeadlineUnit.HOURS, False),
    ("MD-01", "邻里矛盾纠纷", "event", None, 3, DeadlineUnit.WORKDAYS, False),
    ("XF-01", "消防通道堵塞", "event", "县城管执法局", 24, DeadlineUnit.HOURS, True),
]
# Around 解放路社区 (made-up coordinates of the demo county).
BASE_LAT, BASE_LNG = 30.512300, 114.301200


def _square(dlat, dlng, size=0.002) -> dict:
    lat, lng = BASE_LAT + dlat, BASE_LNG + dlng
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def load_classes() -> list[EventClass]:
    county = Region.objects.get(code=COUNTY)
    made = []
    for code, name, kind, department, value, unit, public in CLASSES:
        found = EventClass.objects.filter(region=county, code=code).first()
        if found is None:
            dept = Department.objects.get(name=department) if department else None
            found = services.class_save(
                actor=None,
                region=county,
                code=code,
                name=name,
                kind=kind,
                department=dept,
                deadline_value=value,
                deadline_unit=unit,
                is_public=public,
            )
        made.append(found)
    return made


def load_grids() -> list[Grid]:
    jiefang, hekou = Region.objects.get(code=JIEFANG), Region.objects.get(code=HEKOU)
    worker = User.objects.filter(username="grid_jf").first()
    leader = User.objects.filter(username="jiefang").first()
    plans = [
        (jiefang, "第一网格", [f"解放路{n}号楼" for n in range(1, 7)], _square(0, 0), leader, [worker]),
        (jiefang, "第二网格", [f"解放路{n}号楼" for n in range(7, 13)], _square(0, 0.002), leader, []),
        (jiefang, "第三网格", ["解放路商业街", "农贸市场"], _square(0.002, 0), None, []),
        (hekou, "河口第一网格", ["河口一组", "河口二组"], None, None, []),
        (hekou, "河口第二网格", ["河口三组", "河口四组", "河口五组"], None, None, []),
    ]
    made = []
    for community, name, buildings, polygon, lead, workers in plans:
        found = Grid.objects.filter(community=community, name=name).first()
        if found is None:
            found = services.grid_save(
                actor=None,
                community=community,
                name=name,
                buildings=buildings,
                polygon=polygon,
                leader=lead,
                workers=[w for w in workers if w],
            )
        made.append(found)
    return made


# (class, community, building, place, description, final state, days ago)
EVENTS = [
    ("SR-01", JIEFANG, "解放路3号楼", "3号楼西侧空地", "建筑垃圾堆放两周未清运", "closed", 80),
    ("SR-01", JIEFANG, "解放路8号楼", "8号楼垃圾站", "垃圾桶满溢，异味明显", "closed", 75),
    ("SS-01", JIEFANG, "解放路商业街", "商业街北口", "井盖破损下陷，有行人绊倒风险", "closed_late", 70),
    ("LB-01", JIEFANG, "农贸市场", "农贸市场二楼", "摊位雇工反映被拖欠三个月工资", "closed", 66),
    ("XF-01", JIEFANG, "解放路5号楼", "5号楼消防通道", "电动车和杂物堵塞消防通道", "closed", 60),
    ("MD-01", JIEFANG, "解放路2号楼", "2号楼302与402", "楼上漏水引发邻里纠纷", "closed", 55),
    ("SR-01", JIEFANG, "解放路商业街", "商业街中段", "商户占道经营、乱堆乱放", "reopened_closed", 50),
    ("SS-01", JIEFANG, "解放路10号楼", "10号楼前路灯", "路灯不亮已一周", "closed", 45),
    ("ZA-01", JIEFANG, "解放路6号楼", "6号楼单元门", "单元门门禁损坏，外来人员随意进出", "closed", 40),
    ("SR-01", JIEFANG, "解放路1号楼", "1号楼绿化带", "绿化带内堆放废旧家具", "closed", 35),
    ("LB-01", JIEFANG, "解放路商业街", "商业街某餐馆", "服务员反映未签劳动合同", "handled", 30),
    ("SS-01", JIEFANG, "解放路9号楼", "9号楼旁人行道", "人行道地砖松动", "handled", 20),
    ("SR-01", JIEFANG, "农贸市场", "农贸市场东门", "污水外溢", "accepted", 12),
    ("XF-01", JIEFANG, "解放路4号楼", "4号楼楼道", "楼道内私拉电线给电动车充电", "accepted_overdue", 6),
    ("LB-01", JIEFANG, "解放路11号楼", "11号楼装修工地", "装修工人反映工钱被拖欠", "dispatched", 2),
    ("SR-01", JIEFANG, "解放路7号楼", "7号楼北侧", "小广告乱张贴", "dispatched", 1),
    ("MD-01", JIEFANG, "解放路12号楼", "12号楼车位", "车位占用引发争吵", "reported", 1),
    ("SS-01", JIEFANG, "解放路商业街", "商业街南口", "交通护栏被撞倒", "returned", 3),
    ("SR-01", HEKOU, "河口一组", "一组村道旁", "秸秆焚烧后残留杂物", "closed", 70),
    ("SS-01", HEKOU, "河口三组", "三组路口", "路灯杆倾斜", "closed", 58),
    ("LB-01", HEKOU, "河口二组", "二组砖厂", "务工人员反映工资拖欠", "closed_late", 48),
    ("XF-01", HEKOU, "河口四组", "四组仓库", "仓库门前堆放柴草", "closed", 38),
    ("MD-01", HEKOU, "河口五组", "五组宅基地", "宅基地边界纠纷", "closed", 33),
    ("SR-01", HEKOU, "河口二组", "二组池塘", "池塘漂浮垃圾", "handled", 15),
    ("SS-01", HEKOU, "河口一组", "一组桥头", "桥头护栏缺失", "accepted", 9),
    ("LB-01", HEKOU, "河口三组", "三组养殖场", "雇工反映加班无报酬", "dispatched", 4),
    ("SR-01", HEKOU, "河口四组", "四组村口", "建筑垃圾倾倒", "reported_hotline", 2),
    ("ZA-01", HEKOU, "河口五组", "五组小卖部", "夜间聚众赌博隐患", "accepted", 5),
]
RATINGS = [5, 4, 5, 3, 5, 4, 2, 5, 4, 5, 3, 5]


def _walk(event, state: str, start, i: int, department) -> None:
    """Take one event from its report to its final demo state, step by step through the services."""
    if state == "reported" or state == "reported_hotline":
        return
    if event.department is None:
        event = workflow.event_dispatch(
            actor=None, event=event, department=department, at=start + timedelta(hours=2)
        )
    if state == "dispatched":
        return
    if state == "returned":
        workflow.event_return(
            actor=None,
            event=event,
            reason="护栏属交警部门管理，不属本部门职责",
            at=start + timedelta(hours=5),
        )
        return
    event = workflow.event_accept(actor=None, event=event, at=start + timedelta(hours=3))
    if state.startswith("accepted"):
        return
    late = state == "closed_late"
    handled = event.deadline + timedelta(days=1) if late else start + timedelta(hours=20)
    event = workflow.event_feedback(actor=None, event=event, result="已现场处置完毕，拍照存档。", at=handled)
    if state == "reopened_closed":
        event = workflow.event_verify(
            actor=None, event=event, passed=False, note="复查仍有占道", at=handled + timedelta(hours=4)
        )
        handled += timedelta(hours=20)
        event = workflow.event_feedback(actor=None, event=event, result="已约谈商户并清理", at=handled)
    if state == "handled":
        return
    event = workflow.event_verify(
        actor=None, event=event, passed=True, note="现场核查属实，已整改", at=handled + timedelta(hours=6)
    )
    if event.rating_code:
        workflow.event_rate(code=event.rating_code, rating=RATINGS[i % len(RATINGS)], comment="处理及时")


def load_events() -> int:
    classes = {c.code: c for c in load_classes()}
    now = timezone.now()
    made = 0
    for i, (code, community_code, building, place, text, state, days) in enumerate(EVENTS):
        key = f"demo-{i:03d}"
        if GridEvent.objects.filter(source_system="demo", idempotency_key=key).exists():
            continue
        community = Region.objects.get(code=community_code)
        start = now - timedelta(days=days)
        hotline = state == "reported_hotline" or i % 4 == 0
        report = workflow.Report(
            event_class=classes[code],
            community=community,
            place=place,
            description=text,
            building=building,
            resident_name="群众" if hotline else "",
            resident_phone="13900000000" if hotline else "",
        )
        event, _ = workflow.event_report(
            actor=None,
            report=report,
            source=Source.HOTLINE if hotline else Source.GRID,
            source_system="demo",
            idempotency_key=key,
            at=start,
        )
        fallback = Department.objects.get(
            name="城关街道党工委办事处" if community_code == JIEFANG else "河口镇党委政府"
        )
        _walk(event, state, start, i, fallback)
        made += 1
    return made


def load_demo_records() -> str:
    classes, grids = load_classes(), load_grids()
    made = load_events()
    return f"网格化服务管理：{len(classes)} 个事件分类、{len(grids)} 个网格、新增 {made} 件网格事件"
