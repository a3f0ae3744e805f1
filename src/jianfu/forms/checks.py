"""What monitoring asks of the one table: is a form a department sent to a village in the annual form list?

Contract (monitoring calls it; keep the signature): returns a ``Check``.
"""

from datetime import date

from django.urls import reverse
from rapidfuzz import fuzz

from jianfu.core.checks import Check

from .dedup import normalise
from .models import DepartmentForm, FormStatus
from .services.schedules import NOT_LISTED

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
    forms = DepartmentForm.objects.filter(department=department, year=on.year, status=FormStatus.APPROVED)
    covering = [f for f in forms.select_related("region") if village.code.startswith(f.region.prefix)]
    scored = sorted(((title_score(title or "", f.name), f) for f in covering), key=lambda p: -p[0])
    if scored and scored[0][0] >= TITLE_MATCH:
        form = scored[0][1]
        url = reverse("forms:form_detail", kwargs={"pk": form.pk})
        return Check.ok(NOT_LISTED, f"已列入{on.year}年填报表格清单：{form.number} {form.name}", url)
    if not covering:
        detail = f"{department.name}在{on.year}年没有覆盖{village.name}的报表列入填报表格清单"
    else:
        detail = f"“{title}”与{department.name}列入清单的报表（{'、'.join(f.name for _, f in scored[:3])}）都不相符"
    return Check.broken(NOT_LISTED, detail)


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
