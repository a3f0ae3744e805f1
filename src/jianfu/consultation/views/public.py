"""Public pages, no login: a resident writes in (name and contact optional) and follows their opinion by its
query code; 村务公开 shows published consultations and the progress of adopted measures until done; invited
participants of an online consultation comment and vote with their one-time codes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from jianfu.catalog.selectors import counties_for_public
from jianfu.core import ratelimit
from jianfu.core.views_util import add_service_errors

from .. import selectors, services
from ..forms import OnlineForm, PublicOpinionForm
from ..models import ConsultForm, Opinion, TopicStatus, VoteStatus
from ..services import outcomes

PUBLIC_WRITE_LIMITED = "您所在网络提交意见过于频繁，请约 {minutes} 分钟后再试，或直接到村（社区）反映。"


def public_sender(request) -> dict:
    """The sender's digest and write-in limit, for this page and the API alike (the service never sees the
    request itself)."""
    return {
        "client_key": services.client_key_of(ratelimit.client_address(request)),
        "limit": ratelimit.limit(request, "public_write", PUBLIC_WRITE_LIMITED),
    }


def _county(request):
    """The county a public page is about: named, or the one the village named belongs to, else the first."""
    counties = counties_for_public()
    village = request.GET.get("village", "") or request.POST.get("region", "")
    code = request.GET.get("county", "") or village[:6].ljust(12, "0")
    return counties, counties.filter(code=code).first() or counties.first()


def opinion_submit(request):
    counties, county = _county(request)
    villages = list(selectors.public_villages(county))
    initial = {"region": request.GET.get("village", "")}
    form = PublicOpinionForm(request.POST or None, villages=villages, initial=initial)
    context = {"form": form, "counties": counties, "county": county}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = data.pop("region")
        region = next((v for v in villages if v.code == code), None)
        try:
            opinion = services.opinion_submit_public(region=region, **public_sender(request), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ratelimit.Throttled as exc:
            form.add_error(None, exc.message)
            return render(request, "consultation/public_opinion.html", context, status=429)
        else:
            return redirect(
                reverse("public_consultation:opinion_status") + f"?receipt={opinion.receipt}&new=1"
            )
    return render(request, "consultation/public_opinion.html", context)


def opinion_by_receipt(request, receipt: str):
    """The opinion a receipt names; unknown receipts count against the client (page and API alike)."""
    guesses = ratelimit.wrong_codes(request)
    guesses.check()
    opinion = (
        Opinion.objects.select_related("region", "topic").filter(receipt=receipt.strip().upper()).first()
    )
    if opinion is None:
        guesses.hit()
    return opinion


def opinion_status(request):
    receipt = request.GET.get("receipt", "").strip().upper()[:12]
    opinion = opinion_by_receipt(request, receipt) if receipt else None
    return render(
        request,
        "consultation/public_status.html",
        {
            "receipt": receipt,
            "opinion": opinion,
            "timeline": selectors.opinion_timeline(opinion) if opinion else [],
            "new": request.GET.get("new") == "1",
        },
    )


def board(request):
    """村务公开: consultations whose notice was published, and adopted measures with their progress."""
    counties, county = _county(request)
    villages = selectors.public_villages(county)
    region = villages.filter(code=request.GET.get("village", "")).first()
    topics = selectors.public_topics(region or county)[:30]
    measures = selectors.public_measures(region or county)[:50]
    return render(
        request,
        "consultation/public_board.html",
        {
            "counties": counties,
            "county": county,
            "groups": selectors.by_township(villages),
            "region": region,
            "topics": topics,
            "measures": measures,
        },
    )


def topic(request, pk):
    item = selectors.public_topic_get(pk)
    online = item.form == ConsultForm.ONLINE and item.status == TopicStatus.PARTICIPANTS
    votes = list(item.votes.filter(status=VoteStatus.OPEN)) if online else []
    form = OnlineForm(request.POST or None) if online else None
    if request.method == "POST" and online and form.is_valid():
        choices = {v.pk: request.POST.get(f"vote_{v.pk}", "") for v in votes}
        try:
            outcomes.online_submit(
                topic=item,
                code=form.cleaned_data["code"],
                comment=form.cleaned_data["comment"],
                choices=choices,
                limit=ratelimit.wrong_codes(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ratelimit.Throttled as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, "谢谢！您的意见和投票已经收到。")
            return redirect("public_consultation:topic", pk=pk)
    context = {
        "topic": item,
        "online": online,
        "votes": votes,
        "form": form,
        "measures": item.measures.all(),
        "comments": item.comments.select_related("participant"),
        "closed_votes": item.votes.exclude(status=VoteStatus.OPEN),
        "satisfaction": selectors.satisfaction_summary(item),
    }
    return render(request, "consultation/public_topic.html", context)
