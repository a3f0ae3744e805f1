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
            body=f"违规 {entry.violations} 起，请在 15 个工作日内报告整改情况。",
            url=url,
            key=f"bulletin:{bulletin.pk}:{entry.department_id}",
        )
