"""The automatic check of one burden event, by its type (seed 000 art. 15, seed 002, seed 004).

Each type asks the app that holds the rule: a task the lists classifier (lists in force and admitted items),
an inspection supervision's approved plans, a form the annual form list, a certificate demand the certificate
lists, a placard the county's placard standard, a work group the channel registry, a meeting the county's meeting rule (``local_rules``).
An app check-in, points or quota demand is always a violation (黔西南州 cleaned up the APPs "仅用于投票、积分、
摊派指标、签到打卡"). A kind with no rule of its own is never 合规: it is 未能判定, for the inspector to judge.
"""

import re

from jianfu.catalog.classify import classify
from jianfu.core.checks import Check
from jianfu.orgs.models import Level

from .models import BurdenEvent, EventKind

# Rules as a department reads them in a bulletin: the documents by their titles (the list and item that a
# verdict rests on are in the check's detail, from the classifier's explanation).
CERT_GUIDANCE = "《关于改进和规范基层群众性自治组织出具证明工作的指导意见》（民发〔2020〕20号）"
RULE_NEGATIVE = "负面清单所列事项不得交由村（社区）承担"
RULE_UNLISTED = "清单之外的工作须经审核准入，未经准入不得交由村（社区）承担（《关于建立社区工作事项准入、变更及退出制度的指导意见》）"
RULE_LISTED = "清单之内必执行"
RULE_CERT_FORBIDDEN = f"不应由村（社区）出具的证明事项不得要求出具（{CERT_GUIDANCE}）"
RULE_CERT_UNLISTED = f"证明事项清单外的证明不得要求村（社区）出具（{CERT_GUIDANCE}）"
RULE_CERT_ALLOWED = "证明事项清单内，可由村（社区）出具"
RULE_APP = "不得通过政务APP要求村（社区）签到打卡、积分排名或摊派指标（《整治形式主义为基层减负若干规定》）"
RULE_NONE = "此类负担没有自动核验规则，由纪检监察人员研判"
RULE_MEETING_SUMMONER = "未经统筹不得直接召集村（社区）干部参加会议"
RULE_MEETING_TOO_OFTEN = "召集村（社区）干部参加会议超过规定次数"
RULE_MEETING_OK = "会议召集符合规定"

QUOTED = re.compile(r"[“\"'‘「『]([^”\"'’」』]{2,40})[”\"'’」』]")


def check_event(event) -> Check:
    """The Check for ``event`` (unsaved or saved); never raises for a missing provider: that is 未能判定."""
    handler = HANDLERS.get(event.kind, _no_rule)
    try:
        return handler(event)
    except NotImplementedError as exc:
        return Check.unknown(f"核验服务尚未启用：{exc}")


def _text(event) -> str:
    return (event.subject or "").strip() or event.description


def _task(event) -> Check:
    verdict = classify(_text(event), event.village, event.occurred_on)
    detail = verdict.explanation  # list title, item and legal basis; never a code or a score
    if verdict.needs_review:
        detail += "（系统把握不足，待人工研判）"
    if verdict.verdict == "negative":
        return Check.broken(RULE_NEGATIVE, detail)
    if verdict.verdict == "unlisted":
        return Check.broken(RULE_UNLISTED, detail)
    return Check.ok(RULE_LISTED, detail)


def _inspection(event) -> Check:
    from jianfu.supervision.checks import inspection_check
    from jianfu.supervision.rules import week_of

    start, end = week_of(event.occurred_on)
    earlier = (
        BurdenEvent.objects.counted()
        .filter(
            village=event.village, kind=EventKind.INSPECTION, occurred_on__gte=start, occurred_on__lte=end
        )
        .exclude(pk=event.pk)
        .values_list("department_id", "occurred_on")
    )
    return inspection_check(
        department=event.department,
        village=event.village,
        on=event.occurred_on,
        kind=event.subject,
        demanded_materials=event.demanded_materials,
        earlier_this_week=list(earlier),
    )


def _form(event) -> Check:
    """The annual form list: a form not in it, or a listed form recorded again within one of its listed periods
    (the earlier records of the same village that matched the same listed form)."""
    from jianfu.forms.checks import form_check, form_url, listed_form, repeat_check

    from .models import BurdenEvent, EventKind

    found = dict(department=event.department, village=event.village, on=event.occurred_on, title=_text(event))
    check = form_check(**found)
    form = listed_form(**found) if check.passed else None
    if form is None:
        return check
    earlier = (
        BurdenEvent.objects.filter(village=event.village, kind=EventKind.FORM, check_url=form_url(form))
        .exclude(pk=event.pk)
        .values_list("occurred_on", flat=True)
    )
    return repeat_check(form, event.village, event.occurred_on, list(earlier)) or check


def _certificate(event) -> Check:
    from jianfu.certificates.selectors import standing_for

    if event.certificate_code:
        standing = standing_for(event.village, event.certificate_code, event.occurred_on)
        if standing is None:
            return Check.broken(
                RULE_CERT_UNLISTED, f"编码 {event.certificate_code} 不在当日有效的证明事项清单中。"
            )
        label = f"{standing.list_title} {standing.code} {standing.name}"
        if standing.allowed:
            return Check.ok(RULE_CERT_ALLOWED, label)
        return Check.broken(RULE_CERT_FORBIDDEN, label)
    verdict = classify(_text(event), event.village, event.occurred_on, mode="certificate")
    detail = verdict.explanation
    if verdict.verdict == "cert_forbidden":
        return Check.broken(RULE_CERT_FORBIDDEN, detail)
    if verdict.verdict == "cert_allowed":
        return Check.ok(RULE_CERT_ALLOWED, detail)
    return Check.broken(RULE_CERT_UNLISTED, detail)


def _name(event) -> str:
    """The name of the placard or group demanded: the subject, else the first quoted name in the description."""
    if (event.subject or "").strip():
        return event.subject.strip()
    quoted = QUOTED.search(event.description or "")
    return quoted.group(1) if quoted else (event.description or "").strip()


def _placard(event) -> Check:
    from jianfu.supervision.checks import placard_demand_check

    return placard_demand_check(village=event.village, title=_name(event))


def _group(event) -> Check:
    from jianfu.forms.checks import channel_check

    return channel_check(village=event.village, name=_name(event))


def _meeting(event) -> Check:
    """Against the county's meeting rule in force on the day (region settings: who may summon, how often)."""
    from .local_rules import meetings_per_month, summon_levels

    levels = summon_levels(event.village, event.occurred_on)
    limit = meetings_per_month(event.village, event.occurred_on)
    per_month, source = int(limit.value), limit.describe()
    level = event.department.region.level
    if level not in levels:
        allowed = "、".join(Level(v).label for v in levels) or "无"
        return Check.broken(
            RULE_MEETING_SUMMONER,
            f"{event.department.name}（{Level(level).label}）不在{event.village.name}所在地"
            f"可直接召集村（社区）干部的单位之列（{allowed}）。",
        )
    held = (
        BurdenEvent.objects.counted()
        .filter(
            village=event.village,
            department=event.department,
            kind=EventKind.MEETING,
            occurred_on__year=event.occurred_on.year,
            occurred_on__month=event.occurred_on.month,
        )
        .exclude(pk=event.pk)
        .count()
    )
    if held + 1 > per_month:
        return Check.broken(
            RULE_MEETING_TOO_OFTEN,
            f"{event.department.name}本月已召集{event.village.name}干部参加会议{held}次，每月至多{source}。",
        )
    return Check.ok(RULE_MEETING_OK, f"本月第{held + 1}次，每月至多{source}。")


def _app(event) -> Check:
    return Check.broken(RULE_APP, "政务APP签到打卡、积分、考核指标一律清理，不得向村（社区）提出。")


def _no_rule(event) -> Check:
    return Check.unknown(RULE_NONE)


HANDLERS = {
    EventKind.TASK: _task,
    EventKind.INSPECTION: _inspection,
    EventKind.FORM: _form,
    EventKind.CERTIFICATE: _certificate,
    EventKind.APP: _app,
    EventKind.PLACARD: _placard,
    EventKind.GROUP: _group,
    EventKind.MEETING: _meeting,
}
