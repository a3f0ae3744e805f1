"""What monitoring asks of the one table: is a form a department sent to a village in the annual form list?

Contract (monitoring calls it; keep the signature): returns a ``Check``.
"""

from datetime import date

from django.urls import reverse
from rapidfuzz import fuzz

from jianfu.core.checks import Check

from . import periods
from .dedup import normalise
from .models import DepartmentForm, FormStatus, Frequency
from .services.schedules import LIST_RULE, NOT_LISTED, issue_refusal

RULE_TOO_OFTEN = "下发频次高于年度填报表格清单规定"
TITLE_MATCH = 80  # a village names the form it was sent loosely ("人社统计表" for "2026年人社基础信息统计表")


def title_score(asked: str, listed: str) -> float:
    a, b = normalise(asked), normalise(listed)
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 4 else 0)


def form_check(*, department, village, on: date, title: str) -> Check:
    """Kept when an approved form of the department for the year of ``on``, covering the village, has a title
    that matches ``title``; broken (未列入年度填报表格清单) otherwise; unknown without department or village."""
    if department is None or village is None or on is None:
        return Check.unknown("未指明部门、村（社区）或日期，无法核对填报表格清单")
    covering, scored = _scored(department, village, on, title)
    if scored and scored[0][0] >= TITLE_MATCH:
        form = scored[0][1]
        return Check.ok(
            NOT_LISTED, f"已列入{on.year}年填报表格清单：{form.number} {form.name}", form_url(form)
        )
    if not covering:
        detail = f"{department.name}在{on.year}年没有覆盖{village.name}的报表列入填报表格清单"
    else:
        detail = f"“{title}”与{department.name}列入清单的报表（{'、'.join(f.name for _, f in scored[:3])}）都不相符"
    return Check.broken(NOT_LISTED, detail)


def _scored(department, village, on: date, title: str):
    forms = DepartmentForm.objects.filter(department=department, year=on.year, status=FormStatus.APPROVED)
    covering = [f for f in forms.select_related("region") if village.code.startswith(f.region.prefix)]
    return covering, sorted(((title_score(title or "", f.name), f) for f in covering), key=lambda p: -p[0])


def form_url(form: DepartmentForm) -> str:
    return reverse("forms:form_detail", kwargs={"pk": form.pk})


def listed_form(*, department, village, on: date, title: str) -> DepartmentForm | None:
    """The listed form ``form_check`` matched (None when it matched none)."""
    if department is None or village is None or on is None:
        return None
    _, scored = _scored(department, village, on, title)
    return scored[0][1] if scored and scored[0][0] >= TITLE_MATCH else None


def repeat_check(form: DepartmentForm, village, on: date, earlier: list[date]) -> Check | None:
    """A listed form a monitor records being sent to the village again within one of its listed periods (sent
    outside the platform, more often than listed): broken, judged by ``issue_refusal`` on the month it was sent
    in; None when no earlier sending falls in the same period."""
    if periods.period_frequency(form.frequency) not in periods.MONTHS:
        return None  # weekly and daily are approved exceptions: more than one a month is what was approved
    key = periods.current(form.frequency, on)
    first, last = periods.bounds(key)
    again = sorted(d for d in earlier if first <= d <= last and d <= on)
    if not again:
        return None
    refusal = issue_refusal(form, f"{on.year}-{on.month:02d}")
    listed = Frequency(form.frequency).label
    said = (
        refusal.message
        if refusal is not None
        else f"“{form.name}”在清单中为{listed}填报，同一统计期（{on.year}年{on.month}月）内不得再次下发。"
    )
    sent = "、".join(f"{d:%Y-%m-%d}" for d in again)
    detail = f"{village.name}已于 {sent} 收到该表（统计期 {key}），{on:%Y-%m-%d} 再次收到。{said}依据：{LIST_RULE}。"
    return Check.broken(RULE_TOO_OFTEN, detail, form_url(form))


RULE_CHANNEL_UNREGISTERED = "未经登记保留的工作群、政务APP不得面向村（社区）使用"
RULE_CHANNEL_CLOSED = "已关停或整合的工作群、政务APP不得继续要求村（社区）使用"
RULE_CHANNEL_KEPT = "登记保留的工作群、政务APP"


def channel_check(*, village, name: str) -> Check:
    """A demand to join a WeChat/QQ group or use an APP, against the channel registry of the village's region
    and those above: kept only when the registry keeps it; broken when it was closed or merged, when it serves
    only voting, points, quotas or check-ins, or when it is not registered at all; still being cleaned up:
    unknown (for the inspector)."""
    from jianfu.orgs.models import ancestor_codes_of

    from .models import ChannelStatus, WorkChannel

    name = (name or "").strip()
    if village is None or not name:
        return Check.unknown("未写明村（社区）或工作群、APP名称，无法核对登记")
    channels = WorkChannel.objects.filter(region__code__in=ancestor_codes_of(village.code))
    scored = sorted(((title_score(name, c.name), c) for c in channels), key=lambda p: (-p[0], p[1].pk))
    if not scored or scored[0][0] < TITLE_MATCH:
        return Check.broken(RULE_CHANNEL_UNREGISTERED, f"“{name}”不在工作群、政务APP登记中。")
    channel = scored[0][1]
    url = reverse("forms:channel_detail", kwargs={"pk": channel.pk})
    label = f"{channel.get_kind_display()}“{channel.name}”（{channel.department.name}）"
    if channel.status in (ChannelStatus.CLOSED, ChannelStatus.MERGED):
        return Check.broken(RULE_CHANNEL_CLOSED, f"{label}已{channel.get_status_display()}。", url)
    if channel.flagged_for_closure:
        return Check.broken(RULE_CHANNEL_CLOSED, f"{label}仅用于{channel.uses_display()}，应予清理。", url)
    if channel.status == ChannelStatus.KEPT:
        return Check.ok(RULE_CHANNEL_KEPT, f"{label}登记为保留。", url)
    return Check.unknown(f"{label}在登记中仍为待清理，由纪检监察人员研判。")
