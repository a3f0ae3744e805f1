"""Who consultation tells: the resident whose write-in was answered (an SMS to the number they left, with
nothing personal in it) and the staff member who registered it."""

from django.urls import reverse

from jianfu.notifications.models import Kind
from jianfu.notifications.services import notify, tell_resident

from .models import Opinion

RESIDENT_TEXT = "您反映的意见已有答复，请凭提交时获得的查询码在减负平台“协商议事”公开页面查看。"


def opinion_answered(opinion_id: int) -> None:
    opinion = Opinion.objects.select_related("created_by", "region").filter(pk=opinion_id).first()
    if opinion is None:
        return
    if opinion.contact:
        tell_resident(phone=opinion.contact, text=RESIDENT_TEXT, key=f"opinion-answered:{opinion.pk}")
    if opinion.created_by_id:
        notify(
            recipients=[opinion.created_by],
            kind=Kind.WRITE_IN,
            title=f"群众意见已答复：{opinion.region.name}",
            body=opinion.content[:60],
            url=reverse("consultation:opinion_detail", args=[opinion.pk]),
            key=f"opinion-answered:{opinion.pk}",
        )
