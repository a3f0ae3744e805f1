"""Sample records for `make demo`. Idempotent: a second run changes nothing."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jianfu.orgs.models import Department, Region

from . import services
from .models import (
    AgencyEvaluation,
    Campaign,
    ClassificationRound,
    CommunityWorker,
    EvaluationScheme,
    JointMeeting,
    ProgressReport,
)
from .reference import load_task_table

COUNTY = "428521000000"
TITLE = "2026年全县村（社区）减负专项行动"
# Seed 002 三、进度安排, moved to the demo year.
PHASES = (
    ("implementation", date(2026, 7, 1), date(2026, 12, 31), "全面摸排，细化任务，明确责任分工和完成时限"),
    ("inspection", date(2027, 1, 1), date(2027, 1, 31), "县民政、组织部门初步评估，省、市联合检查组明察暗访"),
    (
        "rectification",
        date(2027, 2, 1),
        date(2027, 2, 28),
        "对照问题明确整改措施和时限，2月25日前报送总体情况",
    ),
    ("consolidation", date(2027, 3, 1), None, "建立健全常态化工作机制，持续巩固工作成果"),
)
# 清河县's townships: population (万人), revenue (万元), area (km²) — invented demo figures.
FIGURES = {
    "428521001000": (6.8, 42000, 38),
    "428521101000": (3.9, 16800, 126),
    "428521102000": (2.6, 9200, 142),
    "428521201000": (1.5, 3100, 188),
    "428521202000": (1.2, 2600, 96),
}


def load_demo_records() -> str:
    county = Region.objects.filter(code=COUNTY).first()
    if county is None:
        return "专项行动与考评：未找到演示县，跳过"
    with transaction.atomic():
        made = [
            _campaign(county),
            _evaluation(),
            _agencies(),
            _classification(county),
            _workers(),
            _second_county_rules(),
        ]
    return "专项行动与考评：" + ("；".join(m for m in made if m) or "演示数据已存在，未改动")


# 东岭县 runs its own regime (区划设置): weights 4:4:2, a lower bar for 优秀, a committee of up to 4 members.
SECOND_COUNTY = "428522000000"
SECOND_COUNTY_RULES = {
    "campaign.class_weights": {"population": 40, "revenue": 40, "area": 20},
    "campaign.agency_excellent_rate": 85,
    "campaign.committee_composition": {
        "secretary": {"min": 1, "max": 1},
        "director": {"min": 1, "max": 1},
        "member": {"min": 2, "max": 4},
    },
}


def _second_county_rules() -> str:
    from jianfu.orgs import services as orgs_services
    from jianfu.orgs.models import RegionSetting

    county = Region.objects.filter(code=SECOND_COUNTY).first()
    if county is None or RegionSetting.objects.filter(region=county, key__startswith="campaign.").exists():
        return ""
    for key, value in SECOND_COUNTY_RULES.items():
        orgs_services.region_setting_set(
            actor=None,
            region=county,
            key=key,
            value=value,
            effective_from=timezone.localdate(),
            reason="东岭县委常委会会议研究决定（演示）",
        )
    return f"{county.name}的分类权重、派驻机构优秀线和社区“两委”构成按本县设置"


def _campaign(county) -> str:
    if Campaign.objects.filter(region=county, title=TITLE).exists():
        return ""
    campaign = services.campaign_create(
        actor=None,
        region=county,
        title=TITLE,
        starts_on=date(2026, 7, 1),
        ends_on=date(2027, 6, 30),
        document_number="清减负办〔2026〕1号",
    )
    for phase, start, end, note in PHASES:
        services.phase_set(
            actor=None, campaign=campaign, phase=phase, starts_on=start, ends_on=end, note=note
        )
    count = load_task_table(actor=None, campaign=campaign)
    _reports(campaign)
    _meeting(county, campaign)
    return f"专项行动 1 项、任务 {count} 项"


def _reports(campaign) -> None:
    today = timezone.localdate()
    for number, progress, completes in ((2, 100, True), (9, 60, False), (11, 40, False), (15, 100, True)):
        task = campaign.tasks.get(number=number)
        monday = today - timedelta(days=today.weekday() + 7)
        if ProgressReport.objects.filter(task=task).exists():
            continue
        services.report_file(
            actor=None,
            task=task,
            kind="weekly",
            period_start=monday,
            progress=progress,
            completes=completes,
            summary=f"{task.area}：本周按计划推进，完成进度 {progress}%。",
            problems="个别乡镇摸排数据报送滞后。",
            next_steps="下周督促各乡镇补报。",
        )
        if number == 15:  # the office has checked one reported task and closed it; task 2 still waits for it
            services.task_close(
                actor=None, task=task, close=True, note="经核实，监测点已设立、监测员已聘任。"
            )


def _meeting(county, campaign) -> None:
    if JointMeeting.objects.filter(region=county).exists():
        return
    units = list(
        Department.objects.filter(name__in=["县委办", "县政府办", "县委组织部", "县民政局", "县财政局"])
    )
    meeting = services.meeting_record(
        actor=None,
        region=county,
        campaign=campaign,
        title="村（社区）减负工作第一次联席会议",
        held_on=date(2026, 9, 15),
        place="县委第二会议室",
        agenda="一、通报任务分工推进情况\n二、研究村（社区）干部误餐费、交通费补助\n三、部署监测点设立",
        attendees=units,
        minutes="会议听取各牵头单位进展汇报，议定以下事项。",
    )
    finance = Department.objects.get(name="县财政局")
    decision = services.decision_add(
        actor=None,
        meeting=meeting,
        lead_department=finance,
        deadline=date(2026, 12, 31),
        content="县财政局会同县民政局拟定村（社区）干部工作补助标准，报县政府常务会审定。",
    )
    services.decision_to_task(actor=None, decision=decision, campaign=campaign)


def _evaluation() -> str:
    township = Region.objects.get(code="428521101000")
    if EvaluationScheme.objects.filter(township=township, year=2026).exists():
        return ""
    scheme = services.scheme_create(actor=None, township=township, year=2026)
    services.scheme_open(actor=None, scheme=scheme, version=scheme.version)
    scheme.refresh_from_db()
    indicators = list(scheme.indicators.filter(is_satisfaction=False))
    for n, village in enumerate(Region.objects.filter(parent=township).order_by("code")):
        codes = services.codes_issue(actor=None, scheme=scheme, village=village, count=5)
        for k, code in enumerate(codes[:3]):
            marks = [("3", "3", "2", "3", "3"), ("2", "3", "2", "2", "2"), ("3", "2", "1", "3", "2")][
                (n + k) % 3
            ]
            answers = dict(zip(("service", "openness", "conduct", "problems", "overall"), marks, strict=True))
            services.survey_answer(code=code.code, answers=answers)
        for m, indicator in enumerate(indicators):
            services.score_enter(
                actor=None, scheme=scheme, village=village, indicator=indicator, score=92 - 3 * n - 2 * m
            )
    return "河口镇村（社区）综合考评 1 项（含答卷和评分）"


def _agencies() -> str:
    township = Region.objects.get(code="428521101000")
    if AgencyEvaluation.objects.filter(township=township).exists():
        return ""
    # The township's part only: 55/60 for the first (may become 优秀), 51/60 = 85% for the second (may not).
    rows = (("县人社局", "河口镇劳动保障所", "刘洋", 37, 18), ("县民政局", "河口镇民政办", "陈红", 34, 17))
    for name, agency, head, territorial, satisfaction in rows:
        item = services.agency_register(
            actor=None,
            township=township,
            department=Department.objects.get(name=name),
            agency_name=agency,
            head_name=head,
            year=2026,
        )
        services.agency_score_township(
            actor=None,
            evaluation=item,
            territorial=territorial,
            satisfaction=satisfaction,
            version=item.version,
        )
    return "派驻机构 2 个"


def _classification(county) -> str:
    if ClassificationRound.objects.filter(county=county).exists():
        return ""
    round = services.round_create(actor=None, county=county, year=2026)
    for code, (population, revenue, area) in FIGURES.items():
        services.figures_set(
            actor=None,
            round=round,
            township=Region.objects.get(code=code),
            population=population,
            revenue=revenue,
            area=area,
        )
    return "乡镇分类 1 轮"


def _workers() -> str:
    community = Region.objects.get(code="428521001001")
    if CommunityWorker.objects.filter(community=community).exists():
        return ""
    services.profile_set(actor=None, community=community, residents=8600)
    people = (
        ("郑芳", "elected", "director"),
        ("黄伟", "appointed", "secretary"),
        ("李娜", "recruited", "service"),
        ("王磊", "recruited", "service"),
        ("张敏", "recruited", "service"),
        ("赵倩", "recruited", "service"),
    )
    for name, origin, post in people:
        worker = services.worker_add(
            actor=None,
            community=community,
            name=name,
            origin=origin,
            post=post,
            joined_on=date(2021, 9, 1),
            term="第十一届（2021—2026）",
            contract_starts=date(2021, 9, 1),
            contract_ends=date(2026, 8, 31),
        )
        services.training_record(
            actor=None,
            worker=worker,
            kind="initial",
            title="社区工作者初任培训",
            held_on=date(2021, 10, 12),
            hours=16,
        )
        services.appraisal_record(actor=None, worker=worker, year=2025, grade="competent")
    return "解放路社区工作者 6 名"
