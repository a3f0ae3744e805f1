"""Sample records for `make demo`. Idempotent: a second run changes nothing.

解放路社区 consulted on replacing its street lamps and adopted it (measures tracked, one done, one under way,
residents followed up); 桃园村 consulted on the use of its collective pond, could not agree, and sent it to the
villagers' meeting. A handful of ledger opinions wait in both.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from jianfu.orgs.models import Region

from . import services
from .models import ConsultForm, Council, Opinion, Outcome, Topic, VoteRule
from .services import outcomes

JIEFANG, TAOYUAN = "428521001001", "428521101201"
OPINIONS = {
    JIEFANG: [
        ("box", "3号楼到5号楼之间的路灯坏了一半，晚上出门不安全。", "王大爷"),
        ("visit", "小区路灯太暗，老人晚上散步容易摔倒。", ""),
        ("forum", "希望在小区里划一些电动车充电车位，楼道里充电太危险。", "李女士"),
        ("meeting", "垃圾分类投放点离7号楼太远，希望增设一个。", ""),
    ],
    TAOYUAN: [
        ("visit", "村集体鱼塘承包到期，大家对重新发包还是改成公共用地意见不一。", "赵某"),
        ("box", "村里的文化广场晚上没有照明。", ""),
        ("visit", "希望村卫生室每周多开半天。", "孙大娘"),
    ],
}
COUNCIL_MEMBERS = {
    JIEFANG: (
        "解放路社区居民议事会",
        "社区党组织书记 张建华",
        [
            ("刘红梅", "chair"),
            ("陈志强", "party"),
            ("周丽", "committee"),
            ("吴国平", "representative"),
            ("郑海", "grid"),
            ("何静", "owners"),
        ],
    ),
    TAOYUAN: (
        "桃园村村民议事会",
        "村党组织书记 李德明",
        [
            ("赵守田", "chair"),
            ("钱军", "party"),
            ("孙梅", "committee"),
            ("李长青", "collective"),
            ("周小平", "representative"),
        ],
    ),
}


def _at(day, hour=19):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _walk(region, title, opinion_texts, form, people, yes, start):
    """One topic through the seven steps by the system, dated from ``start``."""
    picked = list(Opinion.objects.filter(region=region, content__in=opinion_texts))
    topic = services.topic_create(
        actor=None,
        region=region,
        title=title,
        opinions=picked,
        background="由群众意见箱和入户走访收集的意见形成。",
    )
    topic = services.topic_settle(actor=None, topic=topic, on=start)
    day = topic.plan_due
    topic = services.topic_plan(
        actor=None,
        topic=topic,
        form=form,
        scheduled_at=_at(day + timedelta(days=5)),
        place=f"{region.name}议事厅",
        plan_content=title,
        on=day,
        plan_participants="议事会成员、居民代表、驻社区单位和利益相关方",
    )
    topic = services.topic_notice(actor=None, topic=topic, notice_text=services.default_notice(topic), on=day)
    for name, capacity in people:
        services.participant_add(actor=None, topic=topic, name=name, capacity=capacity)
    topic, _ = services.participants_settle(actor=None, topic=topic)
    vote = outcomes.vote_open(actor=None, topic=topic, question=f"同意：{title}", rule=VoteRule.HALF)
    for index, person in enumerate(topic.participants.all()):
        services.participant_record(
            actor=None,
            participant=person,
            attended=index < len(people) - 1,
            opinion="同意" if index < yes else "有不同意见",
        )
        if index < len(people) - 1:
            outcomes.ballot_cast(
                actor=None, vote=vote, participant=person, choice="yes" if index < yes else "no"
            )
    vote = outcomes.vote_close(actor=None, vote=vote)
    held = day + timedelta(days=5)
    outcome = Outcome.AGREED if vote.status == "passed" else Outcome.DISAGREED
    topic = outcomes.topic_hold(
        actor=None, topic=topic, outcome=outcome, on=held, minutes="与会人员逐一发表意见，经充分讨论后表决。"
    )
    return outcomes.topic_announce(
        actor=None,
        topic=topic,
        on=held,
        announcement=f"“{title}”协商情况：{vote.question}，"
        f"同意 {vote.yes} 票，不同意 {vote.no} 票，{vote.get_status_display()}。",
    )


def _councils(regions):
    for code, (name, convener, members) in COUNCIL_MEMBERS.items():
        council = services.council_save(actor=None, region=regions[code], name=name, convener=convener)
        for person, role in members:
            services.member_add(actor=None, council=council, name=person, role=role)


@transaction.atomic
def load_demo_records() -> str:
    regions = {r.code: r for r in Region.objects.filter(code__in=[JIEFANG, TAOYUAN])}
    if len(regions) < 2:
        return "协商议事：演示区划不存在，跳过"
    if Council.objects.filter(region__code=JIEFANG).exists():
        return "协商议事：演示数据已存在"
    _councils(regions)
    for code, rows in OPINIONS.items():
        for source, content, name in rows:
            services.opinion_create(
                actor=None, region=regions[code], source=source, content=content, resident_name=name
            )
    today = timezone.localdate()
    lamps = _walk(
        regions[JIEFANG],
        "更换3号楼至7号楼之间的路灯",
        [r[1] for r in OPINIONS[JIEFANG][:2]],
        ConsultForm.MEETING,
        [
            ("刘红梅", "议事会"),
            ("吴国平", "居民代表"),
            ("何静", "业主委员会"),
            ("王大爷", "居民"),
            ("城关供电所", "驻社区单位"),
        ],
        4,
        today - timedelta(days=40),
    )
    first = outcomes.measure_add(
        actor=None,
        topic=lamps,
        title="更换 24 盏 LED 路灯",
        owner="社区物业服务中心",
        due_on=today - timedelta(days=10),
    )
    outcomes.measure_progress(
        actor=None, measure=first, progress=100, note="24 盏已全部更换并通电", on=today - timedelta(days=12)
    )
    second = outcomes.measure_add(
        actor=None,
        topic=lamps,
        title="路灯纳入网格员每周巡查",
        owner="社区网格站",
        due_on=today + timedelta(days=30),
    )
    outcomes.measure_progress(
        actor=None,
        measure=second,
        progress=60,
        note="巡查表已印发，3 个网格已开始",
        on=today - timedelta(days=5),
    )
    for who, how in (("王大爷", "satisfied"), ("7号楼住户", "satisfied"), ("", "basic")):
        outcomes.followup_add(
            actor=None, topic=lamps, respondent=who, satisfaction=how, on=today - timedelta(days=3)
        )
    pond = _walk(
        regions[TAOYUAN],
        "村集体鱼塘到期后的使用方式",
        [OPINIONS[TAOYUAN][0][1]],
        ConsultForm.MEETING,
        [
            ("赵守田", "议事会"),
            ("李长青", "集体经济组织"),
            ("周小平", "村民代表"),
            ("赵某", "承包户"),
            ("钱军", "党员代表"),
        ],
        2,
        today - timedelta(days=20),
    )
    outcomes.topic_refer(actor=None, topic=pond, note="提交下月村民代表会议表决")
    n = Topic.objects.count()
    return f"协商议事：议事会 2 个，群众意见 {Opinion.objects.count()} 条，议题 {n} 个（1 个已达成一致，1 个提交村民会议）"
