"""Who monitoring tells: the departments a published bulletin names."""

from django.urls import reverse

from jianfu.notifications.models import Kind
from jianfu.notifications.services import notify
from jianfu.orgs.models import User

from .models import Bulletin


def bulletin_published(bulletin_id: int) -> None:
    bulletin = Bulletin.objects.filter(pk=bulletin_id).first()
    if bulletin is None:
        return
    url = reverse("monitoring:bulletin_detail", args=[bulletin.pk])
    for entry in bulletin.entries.select_related("department"):
        people = User.objects.filter(department=entry.department_id, is_active=True)
        notify(
            recipients=people,
            kind=Kind.BULLETIN,
            title=f"本单位被通报：{bulletin.number}",
            body=f"违规 {entry.violations} 起，请在 {entry.deadline:%Y年%-m月%-d日}前（{bulletin.rectify_days} 个工作日）报告整改情况。"
            if entry.deadline
            else f"违规 {entry.violations} 起，请报告整改情况。",
            url=url,
            key=f"bulletin:{bulletin.pk}:{entry.department_id}",
        )


def rectification_overdue(entry_id: int) -> None:
    from .models import BulletinEntry

    entry = BulletinEntry.objects.filter(pk=entry_id).select_related("bulletin").first()
    if entry is None:
        return
    notify(
        recipients=User.objects.filter(department=entry.department_id, is_active=True),
        kind=Kind.BULLETIN,
        title=f"整改已逾期：{entry.bulletin.number}",
        body=f"整改期限为 {entry.deadline:%Y年%-m月%-d日}，请尽快报告整改情况。",
        url=reverse("monitoring:bulletin_detail", args=[entry.bulletin_id]),
        key=f"overdue:{entry.pk}:{entry.reminded_on}",
    )


def point_return_overdue(point_id: int, period_start: str) -> None:
    """The monitors of a point whose return for a closed period is past its grace: once per point and period."""
    from datetime import date

    from .models import MonitoringPoint, period_of
    from .services.returns import period_kind

    point = MonitoringPoint.objects.filter(pk=point_id).select_related("village").first()
    if point is None:
        return
    start = date.fromisoformat(period_start)
    period = period_of(start, period_kind(point.village, start))
    monitors = User.objects.filter(
        pk__in=point.assignments.filter(is_active=True).values("monitor"), is_active=True
    )
    notify(
        recipients=monitors,
        kind=Kind.DEADLINE_PASSED,
        title=f"{point.village.name}监测点未报送{period.label}负担情况",
        body="请报送本期负担情况；本期没有新增负担的，也请报送“本期无新增负担”。",
        url=reverse("monitoring:returns"),
        key=f"point-return:{point.pk}:{period.start.isoformat()}",
    )
