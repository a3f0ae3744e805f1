"""The consultation desk: the opinion ledger, councils, and one page per topic that shows its step and the
form for the next one. Views parse, call a service and render; every check lives in the services."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.core.views_util import add_service_errors, paginate
from jianfu.orgs import access
from jianfu.orgs.models import Level
from jianfu.orgs.roles import Capability

from .. import documents, selectors, services
from ..forms import (
    AnswerForm,
    CouncilForm,
    MemberForm,
    OpinionForm,
    TopicForm,
)
from ..models import Council, OpinionStatus, TopicStatus
from ..topic_actions import ACTIONS, forms_for


def _convening_region(user):
    region = selectors.home_region(user)
    if region is None:
        access.refuse(Capability.CONSULTATION_MANAGE)
    return region


@login_required
def index(request):
    access.require(request.user, Capability.CONSULTATION_VIEW)
    user = request.user
    context = {
        "overdue": selectors.overdue(user),
        "topics": selectors.topic_list(user)[:10],
        "measures": selectors.measures_doing(user)[:10],
        "opinions": selectors.opinion_list(user, status=OpinionStatus.OPEN)[:10],
        "card": selectors.home_card(user),
        "region": selectors.home_region(user),
    }
    return render(request, "consultation/index.html", context)


# 群众意见台账 ------------------------------------------------------------------------------------------


@login_required
def opinions(request):
    access.require(request.user, Capability.CONSULTATION_VIEW)
    status = request.GET.get("status", "")
    page = paginate(request, selectors.opinion_list(request.user, status=status))
    return render(
        request,
        "consultation/opinions.html",
        {
            "page": page,
            "status": status,
            "statuses": OpinionStatus.choices,
            "region": selectors.home_region(request.user),
        },
    )


@login_required
def opinion_new(request):
    region = _convening_region(request.user)
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opinion = services.opinion_create(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记，查询码 {opinion.receipt}。")
            return redirect("consultation:opinion_detail", pk=opinion.pk)
    return render(request, "consultation/opinion_new.html", {"form": form, "region": region})


@login_required
def opinion_detail(request, pk):
    opinion = selectors.opinion_get(request.user, pk)
    form = AnswerForm(initial={"version": opinion.version})
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.opinion_answer(
                    actor=request.user,
                    opinion=opinion,
                    answer=form.cleaned_data["answer"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已答复。")
                return redirect("consultation:opinion_detail", pk=pk)
    may = opinion.status == OpinionStatus.OPEN and services.may_convene(request.user, opinion.region)
    return render(
        request,
        "consultation/opinion_detail.html",
        {"opinion": opinion, "form": form, "may_answer": may and selectors.may_view(request.user)},
    )


# 议事会 ------------------------------------------------------------------------------------------------


@login_required
def councils(request):
    access.require(request.user, Capability.CONSULTATION_VIEW)
    region = selectors.home_region(request.user)
    own = Council.objects.filter(region=region).first() if region else None
    return render(
        request,
        "consultation/councils.html",
        {"councils": selectors.council_list(request.user), "region": region, "own": own},
    )


@login_required
def council_edit(request):
    region = _convening_region(request.user)
    council = Council.objects.filter(region=region).first()
    initial = (
        {"name": council.name, "convener": council.convener, "version": council.version}
        if council
        else {"name": f"{region.name}{'村（居）民议事会' if region.level == Level.VILLAGE else '联席议事会'}"}
    )
    form = CouncilForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council = services.council_save(
                actor=request.user,
                region=region,
                name=data["name"],
                convener=data["convener"],
                expected_version=data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "议事会已保存。")
            return redirect("consultation:council_detail", pk=council.pk)
    return render(request, "consultation/council_edit.html", {"form": form, "region": region})


@login_required
def council_detail(request, pk):
    council = selectors.council_get(request.user, pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已增加议事会成员。")
            return redirect("consultation:council_detail", pk=pk)
    return render(
        request,
        "consultation/council_detail.html",
        {
            "council": council,
            "form": form,
            "members": council.members.all(),
            "may_edit": services.may_convene(request.user, council.region)
            and request.user.has_capability("consultation.manage"),
        },
    )


@login_required
@require_POST
def member_retire(request, pk, member_pk):
    council = selectors.council_get(request.user, pk)
    member = council.members.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    try:
        services.member_retire(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{member.name}已离任。")
    return redirect("consultation:council_detail", pk=pk)


# 议题 --------------------------------------------------------------------------------------------------


@login_required
def topics(request):
    access.require(request.user, Capability.CONSULTATION_VIEW)
    status = request.GET.get("status", "")
    page = paginate(request, selectors.topic_list(request.user, status=status, q=request.GET.get("q", "")))
    return render(
        request,
        "consultation/topics.html",
        {
            "page": page,
            "status": status,
            "statuses": TopicStatus.choices,
            "region": selectors.home_region(request.user),
        },
    )


@login_required
def topic_new(request):
    region = _convening_region(request.user)
    opinions = list(selectors.open_opinions_for(request.user, region))
    villages = list(selectors.township_villages(region)) if region.level == Level.TOWNSHIP else []
    chosen = request.GET.getlist("opinion")
    form = TopicForm(request.POST or None, opinions=opinions, villages=villages, initial={"opinions": chosen})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        picked = [o for o in opinions if str(o.pk) in data["opinions"]]
        involved = [v for v in villages if str(v.pk) in data.get("involved", [])]
        try:
            topic = services.topic_create(
                actor=request.user,
                region=region,
                title=data["title"],
                background=data["background"],
                opinions=picked,
                involved=involved,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "议题已形成，下一步：召开工作例会确定议题。")
            return redirect("consultation:topic_detail", pk=topic.pk)
    return render(request, "consultation/topic_new.html", {"form": form, "region": region})


def render_topic(request, topic, bound=None, status=200, codes=None):
    convenes = selectors.convenes(request.user, topic)
    context = {
        "topic": topic,
        "convenes": convenes,
        "forms": forms_for(topic, bound) if convenes else {},
        "participants": topic.participants.all(),
        "votes": topic.votes.prefetch_related("ballots"),
        "measures": topic.measures.prefetch_related("updates"),
        "followups": topic.followups.all(),
        "satisfaction": selectors.satisfaction_summary(topic),
        "steps": topic.steps.select_related("actor"),
        "opinions": topic.opinions.all(),
        "comments": topic.comments.select_related("participant"),
        "followers": topic.followers.all(),
        "codes": codes,
        "step_labels": ["收集意见", "确定议题", "制定方案", "发布公告", "确定人员", "开展协商", "通报情况"],
        "overdue": services.plan_overdue(topic, timezone.localdate()),
    }
    return render(request, "consultation/topic_detail.html", context, status=status)


@login_required
def topic_detail(request, pk):
    topic = selectors.topic_get(request.user, pk)
    access.require(request.user, Capability.CONSULTATION_VIEW)
    return render_topic(request, topic)


@login_required
@require_POST
def topic_action(request, pk, action):
    """One step or record on a topic: the form named ``action`` is validated and its service called."""
    topic = selectors.topic_get(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    spec = ACTIONS[action]
    form = spec.form(request.POST, **spec.form_kwargs(topic))
    if form.is_valid():
        try:
            result = spec.run(request.user, topic, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if spec.shows_codes and result:
                messages.success(request, spec.done)
                return render_topic(request, selectors.topic_get(request.user, pk), codes=result)
            messages.success(request, spec.done)
            return redirect("consultation:topic_detail", pk=pk)
    if not selectors.convenes(request.user, topic):
        raise PermissionDenied("您不能组织这个议题的协商。")
    return render_topic(request, topic, bound={action: form}, status=200)


@login_required
def topic_dossier(request, pk):
    topic = selectors.topic_get(request.user, pk)
    return _docx(documents.dossier_docx(topic), f"协商档案-{topic.pk}.docx")


@login_required
def topic_letter(request, pk):
    topic = selectors.topic_get(request.user, pk)
    return _docx(documents.letter_docx(topic), f"征求意见书-{topic.pk}.docx")


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
