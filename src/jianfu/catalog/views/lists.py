"""Staff pages for the lists: browse, draft a version, edit items, import, publish with approval, retire."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.audit.exports import XLSX
from jianfu.core.jobs import start_operation
from jianfu.core.uploads import download_name
from jianfu.core.views_util import add_service_errors
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

from .. import cards, selectors, services
from ..classify import classify, verdict_as_dict
from ..excel import export_items, format_legal_basis, parse_legal_basis
from ..forms import (
    ClassifyForm,
    DraftEditForm,
    DraftStartForm,
    ItemForm,
    ItemImportForm,
    PublishForm,
    RetireForm,
)
from ..matching import text_problem
from ..models import ListStatus, WorkList
from ..rules import diff_items


def _managed_regions(user):
    return (
        Region.objects.visible_to(user).filter(level__lte=Level.COUNTY, is_active=True).order_by("code")
        if (user.has_capability(Capability.CATALOG_MANAGE))
        else Region.objects.none()
    )


def _can_manage(user, work_list) -> bool:
    if work_list.is_national:  # reference data: loaded from the published texts, not kept here
        return False
    return user.has_capability(Capability.CATALOG_MANAGE) and user.can(
        Capability.CATALOG_MANAGE, work_list.region
    )


@login_required
def index(request):
    today = timezone.localdate()
    in_force, drafts, region = selectors.staff_lists(request.user, today)
    form = (
        DraftStartForm(regions=_managed_regions(request.user))
        if _managed_regions(request.user).exists()
        else None
    )
    national, local = selectors.split_national(in_force)
    return render(
        request,
        "catalog/index.html",
        {
            "national": national,
            "in_force": local,
            "drafts": drafts,
            "region": region,
            "today": today,
            "start_form": form,
        },
    )


@login_required
@require_POST
def draft_start(request):
    if not request.user.has_capability(Capability.CATALOG_MANAGE):
        raise PermissionDenied("您没有维护清单的权限（由准入审核委员会办公室维护）。")
    form = DraftStartForm(request.POST, regions=_managed_regions(request.user))
    if form.is_valid():
        try:
            draft = services.worklist_start_draft(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已生成草稿：{draft}。")
            return redirect("catalog:detail", pk=draft.pk)
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    return redirect("catalog:index")


@login_required
def detail(request, pk):
    work_list = selectors.worklist_get(request.user, pk)
    context = _detail_context(request, work_list)
    context["can_manage"] = _can_manage(request.user, work_list)
    context["editable"] = context["can_manage"] and work_list.is_draft
    context["has_draft"] = selectors.worklist_history(work_list).filter(status=ListStatus.DRAFT).exists()
    return render(request, "catalog/detail.html", context)


def _detail_context(request, work_list, *, public: bool = False) -> dict:
    query = request.GET.get("q", "").strip()
    history = selectors.worklist_history(work_list)
    if public:
        history = history.exclude(status=ListStatus.DRAFT)
    else:
        history = history.filter(pk__in=WorkList.objects.visible_to(request.user))
    return {
        "work_list": work_list,
        "items": selectors.worklist_items(work_list, query),
        "query": query,
        "history": history,
        "today": timezone.localdate(),
        "public": public,
        "cards": cards.accepted_for_list(work_list),
    }


def _diff_base(work_list):
    if work_list.is_draft:
        return selectors.latest_issued(work_list.kind, work_list.region)
    return work_list.previous


@login_required
def diff(request, pk):
    work_list = selectors.worklist_get(request.user, pk)
    return render(request, "catalog/diff.html", _diff_context(work_list))


def _diff_context(work_list) -> dict:
    base = _diff_base(work_list)
    return {
        "work_list": work_list,
        "base": base,
        "diff": diff_items(base.items.all() if base else [], work_list.items.all()),
    }


@login_required
def draft_edit(request, pk):
    work_list = _managed_draft(request, pk)
    form = DraftEditForm(
        request.POST or None,
        initial={
            "title": work_list.title,
            "revision": work_list.revision,
            "document_number": work_list.document_number,
            "change_note": work_list.change_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        try:
            services.worklist_update_draft(
                actor=request.user, work_list=work_list, expected_revision=revision, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("catalog:detail", pk=pk)
    return render(
        request, "catalog/form.html", {"form": form, "work_list": work_list, "title": "修改清单信息"}
    )


def _managed_draft(request, pk):
    work_list = selectors.worklist_get(request.user, pk)
    if not _can_manage(request.user, work_list):
        raise PermissionDenied("您没有维护该清单的权限。")
    return work_list


def _item_initial(item) -> dict:
    initial = {name: getattr(item, name) for name in ItemForm.base_fields if hasattr(item, name)}
    initial.update(
        legal_basis="\n".join(format_legal_basis([c]) for c in item.legal_basis),
        departments="、".join(item.departments),
        examples="\n".join(item.examples),
    )
    return initial


def _item_fields(cleaned: dict) -> dict:
    fields = {k: v for k, v in cleaned.items() if k != "revision"}
    fields["legal_basis"] = parse_legal_basis(fields.get("legal_basis", ""))
    fields["departments"] = [
        d.strip() for d in fields.get("departments", "").replace("，", "、").split("、") if d.strip()
    ]
    if "examples" in fields:
        fields["examples"] = [e.strip() for e in fields["examples"].splitlines() if e.strip()]
    return fields


@login_required
def item_edit(request, pk, item_pk=None):
    work_list = _managed_draft(request, pk)
    item = get_object_or_404(work_list.items, pk=item_pk) if item_pk else None
    form = ItemForm(request.POST or None, kind=work_list.kind, initial=_item_initial(item) if item else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_save(
                actor=request.user,
                work_list=work_list,
                item=item,
                expected_revision=form.cleaned_data.get("revision"),
                **_item_fields(form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "事项已保存。")
            return redirect("catalog:detail", pk=pk)
    title = f"修改事项 {item.code}" if item else "新增事项"
    return render(request, "catalog/form.html", {"form": form, "work_list": work_list, "title": title})


@login_required
@require_POST
def item_remove(request, pk, item_pk):
    work_list = _managed_draft(request, pk)
    item = get_object_or_404(work_list.items, pk=item_pk)
    try:
        services.item_remove(actor=request.user, item=item)
        messages.success(request, f"已从草稿中删除事项 {item.code}。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("catalog:detail", pk=pk)


@login_required
def items_import(request, pk):
    work_list = _managed_draft(request, pk)
    form = ItemImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            work = start_operation(
                actor=request.user,
                kind="catalog.import_items",
                params={"list_id": work_list.pk},
                upload=upload,
                label=f"导入清单事项：{upload.name}"[:200],
                back_url=reverse("catalog:detail", args=[pk]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("jobs:work_detail", pk=work.pk)
    return render(request, "catalog/import.html", {"form": form, "work_list": work_list, "errors": errors})


@login_required
def export(request, pk):
    return export_response(selectors.worklist_get(request.user, pk))


def export_response(work_list) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    download_name(response, f"{work_list.title}（第{work_list.version_no}版）.xlsx")
    export_items(work_list).save(response)
    return response


@login_required
def print_view(request, pk):
    work_list = selectors.worklist_get(request.user, pk)
    return render(
        request, "catalog/print.html", {"work_list": work_list, "items": selectors.worklist_items(work_list)}
    )


@login_required
def publish(request, pk):
    work_list = _managed_draft(request, pk)
    form = PublishForm(
        request.POST or None,
        initial={"revision": work_list.revision, "document_number": work_list.document_number},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        try:
            services.worklist_publish(
                actor=request.user, work_list=work_list, expected_revision=revision, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "清单已发布。")
            return redirect("catalog:detail", pk=pk)
    return render(request, "catalog/publish.html", {"form": form, **_diff_context(work_list)})


@login_required
def retire(request, pk):
    work_list = _managed_draft(request, pk)
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.worklist_retire(actor=request.user, work_list=work_list, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "清单已废止。")
            return redirect("catalog:detail", pk=pk)
    return render(request, "catalog/form.html", {"form": form, "work_list": work_list, "title": "废止清单"})


@login_required
@require_POST
def discard(request, pk):
    work_list = _managed_draft(request, pk)
    try:
        services.worklist_discard_draft(actor=request.user, work_list=work_list)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("catalog:detail", pk=pk)
    messages.success(request, "草稿已删除。")
    return redirect("catalog:index")


@login_required
def classify_page(request):
    assignment = request.user.primary_assignment
    region = assignment.region if assignment else request.user.home_region
    form = ClassifyForm(request.POST or None)
    results = []
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["on"] or timezone.localdate()
        lines = [line.strip() for line in form.cleaned_data["texts"].splitlines() if line.strip()][:200]
        for text in lines:
            problem = text_problem(text)
            verdict = (
                None
                if problem
                else verdict_as_dict(classify(text, region, on, mode=form.cleaned_data["mode"]))
            )
            results.append((text, verdict, problem))
        if not lines:
            form.add_error("texts", text_problem(""))
    office = request.user.can(Capability.ADMISSION_REVIEW, region) or request.user.can(
        Capability.CATALOG_MANAGE, region
    )
    context = {
        "form": form,
        "results": results,
        "region": region,
        "office": office,
        "sees_confidence": office or request.user.can(Capability.MONITORING_PUBLISH, region),
        "mode": form.cleaned_data.get("mode", "work") if form.is_bound and form.is_valid() else "work",
    }
    return render(request, "catalog/classify.html", context)
