"""Process-card pages: the department's items and its cards, the office's review, one card (and its public page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jianfu.core.views_util import add_service_errors
from jianfu.orgs import access
from jianfu.orgs.models import Department
from jianfu.orgs.roles import Capability

from .. import cards
from ..forms import CardForm
from ..models import CARD_FLOW, ProcessCard


def _my_departments(user) -> list[Department]:
    return list(Department.objects.filter(pk__in=access.department_ids(user, Capability.CATALOG_CARD)))


@login_required
def index(request):
    user = request.user
    departments = _my_departments(user)
    reviews = [r for r in access.regions(user, Capability.CATALOG_MANAGE)]
    if not departments and not reviews:
        raise PermissionDenied("您没有编写或审核办理流程卡的权限。")
    context = {
        "mine": [(d, cards.department_items(d)) for d in departments],
        "pending": cards.visible_cards(user).filter(state="submitted", region__in=reviews),
        "missing": [(r, cards.missing_by_department(r)) for r in reviews],
    }
    return render(request, "catalog/cards.html", context)


def _card(user, pk) -> ProcessCard:
    return get_object_or_404(cards.visible_cards(user), pk=pk)


@login_required
def edit(request, pk=None):
    user = request.user
    card = _card(user, pk) if pk else None
    if card is not None:
        access.require_for(
            user, Capability.CATALOG_CARD, card.department, message="只有交办部门可以修改本部门的流程卡。"
        )
    departments = [card.department] if card else _my_departments(user)
    if not departments:
        raise PermissionDenied("只有交办部门可以编写本部门事项的流程卡。")
    code = card.item_code if card else request.GET.get("code", "") or request.POST.get("code", "")
    initial = {name: getattr(card, name) for name in (*cards.CARD_FIELDS, "version")} if card else None
    if card:
        initial["form_ids"] = list(card.forms.values_list("pk", flat=True))
    choices = [
        (f.pk, f"{f.year}年 {f.department.name}：{f.name}（{f.get_frequency_display()}）")
        for f in cards.form_choices(departments[0].region)
    ]
    form = CardForm(request.POST or None, initial=initial, form_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            saved = cards.card_save(
                actor=user,
                department=departments[0],
                item_code=code,
                card=card,
                version=form.cleaned_data.get("version"),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "流程卡已保存。提交审核后，准入审核委员会办公室审核采用。")
            return redirect("catalog:card", pk=saved.pk)
    return render(request, "catalog/card_form.html", {"form": form, "card": card, "code": code})


@login_required
def detail(request, pk):
    card = _card(request.user, pk)
    history = cards.visible_cards(request.user).filter(region=card.region, item_code=card.item_code)
    may_write = access.acts_for(request.user, Capability.CATALOG_CARD, card.department)
    may_review = access.may(request.user, Capability.CATALOG_MANAGE, card.region)
    context = {
        "card": card,
        "history": history,
        "may_edit": may_write and card.state in ("draft", "returned"),
        "may_submit": may_write and CARD_FLOW.may(card, "submit"),
        "may_decide": may_review and CARD_FLOW.may(card, "accept"),
    }
    return render(request, "catalog/card.html", context)


@login_required
@require_POST
def submit(request, pk):
    card = _card(request.user, pk)
    try:
        cards.card_submit(actor=request.user, card=card, version=_version(request))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已提交审核。")
    return redirect("catalog:card", pk=pk)


@login_required
@require_POST
def decide(request, pk):
    card = _card(request.user, pk)
    try:
        cards.card_decide(
            actor=request.user,
            card=card,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", "")[:300],
            version=_version(request),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已审核。")
    return redirect("catalog:card", pk=pk)


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def public_card(request, pk):
    card = get_object_or_404(ProcessCard.objects.accepted().select_related("department", "region"), pk=pk)
    return render(request, "catalog/card.html", {"card": card, "public": True, "history": []})
