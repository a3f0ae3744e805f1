"""Sample applications for `make demo`: a realistic queue for the office, in every state of the procedure.

Idempotent: nothing is added when 清河县 already has applications. Every record goes through the services, so
the numbers, notices, transitions and audit rows are the real ones.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jianfu.orgs.models import Department, Region, User

from . import services
from .models import Application
from .services import filing, review

COUNTY = "428521000000"
BASE = {
    "plan_requirements": "按县里统一部署推进，数据真实准确，按时报送。",
    "plan_division": "部门负责方案、系统和培训；乡镇（街道）负责组织；村（社区）协助入户和信息核对。",
    "plan_process": "部门下发名单→村（社区）核对→部门复核→结果反馈。",
    "plan_milestones": "第一个月培训，第二个月实施，第三个月底前完成。",
    "people": "部门派出工作人员2名驻乡镇指导。",
    "funds_amount": Decimal("50000.00"),
    "funds_source": "部门年度业务经费",
    "training": "集中培训一次，建立工作群答疑（不要求村干部打卡）。",
    "consultation_record": "已与审核委员会办公室沟通，书面征求了各乡镇（街道）意见。",
}
SAMPLES = [
    (
        "企业用工情况季度调查协助",
        "协助每季度开展辖区企业用工情况调查，填报企业用工台账，核对新增就业人数。",
        "draft",
        {},
    ),
    (
        "农村户用光伏安装意向摸底协助",
        "协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积和安装意愿。",
        "submitted",
        {},
    ),
    ("高龄津贴发放对象年度核查协助", "协助开展高龄津贴发放对象年度核查，核对健在情况。", "overdue", {}),
    (
        "退役军人信息采集更新协助",
        "协助更新退役军人和其他优抚对象基础信息，核对联系方式和现居住地。",
        "returned",
        {},
    ),
    (
        "农村电商站点运营情况统计协助",
        "协助统计村级电商服务站点运营情况，每月报送网店数量和交易额。",
        "coordinating",
        {"township_stance": "objection"},
    ),
    (
        "城乡居民医保参保动员协助",
        "协助开展城乡居民医疗保险年度参保动员，发放宣传资料，统计未参保人员。",
        "meeting",
        {"township_stance": "objection"},
    ),
    ("就业困难人员入户走访协助", "协助对就业困难人员开展入户走访，登记就业意愿和培训需求。", "decision", {}),
    (
        "汛期山洪危险区人员转移名单核对",
        "汛期协助核对山洪灾害危险区人员转移名单，明确转移责任人。",
        "urgent",
        {"urgency": "urgent", "urgency_reason": "主汛期临近，须在两周内完成名单核对。"},
    ),
    (
        "公益性岗位人员在岗情况核实协助",
        "协助每月核实村级公益性岗位人员在岗情况，签字确认考勤。",
        "approved",
        {},
    ),
    ("农民工工资支付情况排查协助", "协助排查辖区在建工地农民工工资支付情况并每周报告。", "rejected", {}),
    ("技能培训补贴申领宣传协助", "协助宣传职业技能培训补贴政策，张贴宣传海报。", "withdrawn", {}),
    ("创业担保贷款政策宣传协助", "协助宣传创业担保贷款政策，收集有创业意向人员名单。", "ended", {}),
]


def _people():
    get = User.objects.get
    return {
        "clerk": get(username="rs_clerk"),
        "office": get(username="mz_office"),
        "chair": get(username="chair"),
        "member": get(username="member_bb"),
        "village": get(username="taoyuan"),
        "town": get(username="hk_town"),
    }


def _submit(p, application, stance: str = "no_objection"):
    """Submit; each township asked answers itself (河口镇 by its own clerk, the others' staff are not demo
    personas). ``pending`` leaves the townships still to answer."""
    application = services.application_submit(
        actor=p["clerk"], application=application, expected_version=application.version
    )
    if stance == "pending":
        return application
    for consult in application.consults.select_related("township"):
        services.township_stance_give(
            actor=p["town"] if consult.township.code == "428521101000" else None,
            consult=consult,
            stance=stance,
            note="本镇村（社区）人手不足，建议部门增派指导人员。" if stance == "objection" else "",
        )
    application.refresh_from_db()
    return application


def _review(p, application, outcome):
    return review.application_initial_review(
        actor=p["office"],
        application=application,
        expected_version=application.version,
        outcome=outcome,
        opinion="材料齐全，符合准入条件。" if outcome != "return" else "请补充经费测算依据。",
    )


def _to_meeting(p, application, stance):
    application = _review(p, _submit(p, application, stance), "ordinary")
    application = review.application_coordinate(
        actor=p["office"],
        application=application,
        expected_version=application.version,
        note="河口镇提出人手不足，部门同意增派指导人员。",
    )
    meeting = review.meeting_record(
        actor=p["office"],
        application=application,
        held_on=timezone.localdate(),
        place="县政府三楼会议室",
        convener="李建国（审核委员会主任）",
        applicant_report="县人社局汇报了实施方案和保障措施。",
    )
    review.meeting_opinion_add(
        actor=p["member"],
        meeting=meeting,
        stance="agree",
        text="同意，建议明确经费拨付时间。",
        department=Department.objects.get(name="县委编办"),
    )
    return application


def _decide(p, application, outcome, reason=""):
    application.refresh_from_db()
    return review.application_decide(
        actor=p["chair"],
        application=application,
        expected_version=application.version,
        outcome=outcome,
        reason=reason,
    )


def _advance(p, application, state, stance="no_objection"):
    """Walk one sample to its state through the real services."""
    if state == "draft":
        return application
    if state in ("submitted", "overdue", "withdrawn"):
        application = _submit(p, application, "pending" if state == "submitted" else stance)
        if state == "overdue":  # submitted long ago: the office's initial review is past its deadline
            Application.objects.filter(pk=application.pk).update(
                step_due_on=timezone.localdate() - timedelta(days=3)
            )
        if state == "withdrawn":
            application = services.application_withdraw(
                actor=p["clerk"], application=application, reason="政策调整，暂缓实施。"
            )
        return application
    if state == "returned":
        return _review(p, _submit(p, application, stance), "return")
    if state == "coordinating":
        return _review(p, _submit(p, application, stance), "ordinary")
    if state == "meeting":
        return _to_meeting(p, application, stance)
    if state == "urgent":
        return _review(p, _submit(p, application, stance), "urgent")
    application = _review(p, _submit(p, application, stance), "simple")
    if state == "rejected":
        return _decide(p, application, "reject", "属于部门自身职责，应由部门派员完成，不予准入。")
    if state in ("approved", "ended"):
        application = _decide(p, application, "approve")
        if state == "ended":
            filing.item_end(
                actor=p["clerk"],
                item=application.admitted_item,
                end_on=timezone.localdate(),
                reason="宣传活动已按期完成。",
            )
        else:
            recipient = application.notice.recipients.get(region__code="428521101201")  # 桃园村 signs for it
            filing.notice_acknowledge(actor=p["village"], recipient=recipient)
    return application


@transaction.atomic
def _second_county_limits() -> None:
    """东岭县 gives its initial review 7 working days (清河县 keeps the default 5): its own setting."""
    from django.utils import timezone

    from jianfu.orgs import services as orgs_services
    from jianfu.orgs.models import RegionSetting

    county = Region.objects.filter(code="428522000000").first()
    if county is None or RegionSetting.objects.filter(region=county, key__startswith="admission.").exists():
        return
    orgs_services.region_setting_set(
        actor=None,
        region=county,
        key="admission.step_limit.submitted",
        value=7,
        effective_from=timezone.localdate(),
        reason="东岭县审核委员会会议决定（演示）",
    )


PREFECTURE = "428500000000"


def _prefecture_sample() -> str:
    """清江市人社局's item reaching both counties, taken through the joint meeting (市县联席会议): each county's
    office gives its county's opinion, and it waits for the convener's decision."""
    prefecture = Region.objects.filter(code=PREFECTURE).first()
    if prefecture is None or Application.objects.filter(county=prefecture).exists():
        return ""
    get = User.objects.get
    clerk, office = get(username="qj_rs"), get(username="qj_office")
    application = services.application_create(
        actor=clerk,
        applicant=clerk.department,
        **{
            **BASE,
            "title": "全市零工市场用工需求摸底协助",
            "description": "协助摸排辖区零工市场和灵活就业人员用工需求，每季度汇总报市人社局。",
            "plan_division": "市人社局负责方案和系统；县人社局组织；乡镇（街道）和村（社区）协助入户登记。",
            "consultation_record": "已与市、县两级审核委员会办公室沟通，征求了两县意见。",
        },
    )
    application = services.application_submit(
        actor=clerk, application=application, expected_version=application.version
    )
    application = review.application_initial_review(
        actor=office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="涉及两县，提请市县联席会议审议。",
    )
    application = review.application_coordinate(
        actor=office,
        application=application,
        expected_version=application.version,
        note="东岭县提出季度汇总与本县就业监测重复，市人社局同意共用县里已有数据。",
    )
    meeting = review.meeting_record(
        actor=office,
        application=application,
        held_on=timezone.localdate(),
        place="市民政局二楼会议室",
        convener="何志远（州县联席会议召集人）",
        applicant_report="市人社局汇报了实施方案、经费和人员保障。",
    )
    for username, code, stance, text in (
        ("mz_office", "428521000000", "agree", "同意，本县各乡镇已征求意见。"),
        ("dl_office", "428522000000", "changes", "原则同意，建议直接共用县就业监测数据，不再另行入户。"),
    ):
        review.meeting_opinion_add(
            actor=get(username=username),
            meeting=meeting,
            stance=stance,
            text=text,
            region=Region.objects.get(code=code),
        )
    application.refresh_from_db()
    review.meeting_conclude(actor=office, application=application, expected_version=application.version)
    return "，1 件市级申请经市县联席会议审议待核准"


def load_demo_records() -> str:
    _second_county_limits()
    county = Region.objects.filter(code=COUNTY).first()
    if county is None or Application.objects.filter(county=county).exists():
        return "准入示例：已存在，未变"
    p = _people()
    department = Department.objects.get(name="县人社局")
    for title, description, state, extra in SAMPLES:
        extra = dict(extra)
        stance = extra.pop("township_stance", "no_objection")
        application = services.application_create(
            actor=p["clerk"],
            applicant=department,
            **{**BASE, "title": title, "description": description, **extra},
        )
        _advance(p, application, state, stance)
    retroactive = services.application_create(
        actor=p["office"],
        applicant=Department.objects.get(name="县农业农村局"),
        origin="retroactive",
        **{
            **BASE,
            "title": "耕地“非粮化”情况月度巡查（补办确认）",
            "description": "已由县农业农村局下派各村每月巡查耕地种植情况，现按第九条补办准入确认。",
        },
    )
    services.application_submit(
        actor=p["office"], application=retroactive, expected_version=retroactive.version
    )
    filing.work_decline(
        actor=p["village"],
        region=Region.objects.get(code="428521101201"),
        text="请各村每周五前上报辖区个体工商户经营情况统计表",
        department=None,
        department_name="县市场监管局",
        received_on=timezone.localdate(),
    )
    prefecture = _prefecture_sample()
    filing.send_reminders()
    from .funding.demo import load_funding_demo

    funding = load_funding_demo()
    return f"准入示例：{len(SAMPLES) + 1} 件申请（各环节，含 1 件补办确认），1 条拒绝执行记录{prefecture}{funding}"
