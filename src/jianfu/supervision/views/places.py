"""Pages: a village's placards and mechanisms against the standard, removals, summaries and the standard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianfu.core.uploads import file_response
from jianfu.core.views_util import add_service_errors, paginate
from jianfu.core.years import year_param
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from .. import rules, selectors, services, stats
from ..forms import MechanismForm, PlacardForm, RemoveForm, StandardForm
from ..models import PlacardKind, PlacardStandard, PlacardStatus
from .plans import _year


@login_required
def village(request, code):
    """The village's register: what hangs, what must come down under the standard, what was removed."""
    place = selectors.village_get(request.user, code)
    check = rules.check_village(place)
    over = {id(f.obj): f.reason for f in check.over}
    placards = [(p, over.get(id(p), ""), check.kept.get(p.pk, "")) for p in check.placards]
    mechanisms = [(m, over.get(id(m), "")) for m in check.mechanisms]
    removed = selectors.placard_list(request.user, {"region": place.code, "status": PlacardStatus.REMOVED})
    return render(
        request,
        "supervision/village.html",
        {
            "village": place,
            "check": check,
            "placards": placards,
            "mechanisms": mechanisms,
            "removed": removed[:50],
            "can_record": request.user.can(Capability.SUPERVISION_RECORD, place),
            "kinds": PlacardKind.choices,
        },
    )


@login_required
def placard_add(request, code):
    place = selectors.village_get(request.user, code)
    services.require_recorder(request.user, place)
    form = PlacardForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.placard_register(actor=request.user, village=place, **form.cleaned_data)
            messages.success(request, "已登记。")
            return redirect("supervision:village", code=place.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "supervision/placard_form.html",
        {"village": place, "form": form, "title": "登记牌子或制度"},
        status=400 if form.errors else 200,
    )


@login_required
def mechanism_add(request, code):
    place = selectors.village_get(request.user, code)
    services.require_recorder(request.user, place)
    form = MechanismForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mechanism_register(actor=request.user, village=place, **form.cleaned_data)
            messages.success(request, "已登记工作机制。")
            return redirect("supervision:village", code=place.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "supervision/placard_form.html",
        {"village": place, "form": form, "title": "登记工作机制"},
        status=400 if form.errors else 200,
    )


def _remove(request, obj, remove):
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的摘除日期。")
    else:
        try:
            remove(
                actor=request.user,
                removed_on=form.cleaned_data["removed_on"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, f"已记录摘除：{obj}。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("supervision:village", code=obj.village.code)


@login_required
@require_POST
def placard_remove(request, pk):
    placard = selectors.placard_get(request.user, pk)

    def remove(**kw):
        return services.placard_remove(placard=placard, note=request.POST.get("note", ""), **kw)

    return _remove(request, placard, remove)


@login_required
@require_POST
def mechanism_remove(request, pk):
    mechanism = selectors.mechanism_get(request.user, pk)
    return _remove(request, mechanism, lambda **kw: services.mechanism_remove(mechanism=mechanism, **kw))


@login_required
def placard_photo(request, pk):
    placard = selectors.placard_get(request.user, pk)
    if not placard.photo:
        raise Http404("这块牌子没有照片。")
    name = placard.photo.name.rsplit("/", 1)[-1]
    return file_response(placard.photo.open("rb"), filename=name, as_attachment=False)


@login_required
def placards(request):
    """Township and county summary: per child region, what hangs, what is over the standard, what came down."""
    access.require(request.user, Capability.SUPERVISION_VIEW)
    region = selectors.home_region(request.user)
    if request.GET.get("region"):
        region = selectors.region_get(request.user, request.GET["region"])
    if region is None:
        raise PermissionDenied("您没有查看牌子清理情况的权限。")
    year = _year(request)
    return render(
        request,
        "supervision/placards.html",
        {
            "region": region,
            "year": year,
            "summary": stats.placard_summary(region, year),
            "removals": selectors.placard_removals(region=region, year=year),
            "seed": stats.SEED_REMOVED,
        },
    )


@login_required
def placard_list(request):
    access.require(request.user, Capability.SUPERVISION_VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in ("region", "kind", "status")}
    if request.GET.get("year", "").strip():
        filters["year"] = year_param(request)
    page = paginate(request, selectors.placard_list(request.user, filters))
    return render(
        request,
        "supervision/placard_list.html",
        {"page": page, "filters": filters, "kinds": PlacardKind.choices},
    )


@login_required
def standard(request):
    """The office keeps its county's placard standard (defaults: seeds 001 and 004)."""
    user = request.user
    access.require(user, Capability.SUPERVISION_VIEW)
    region = selectors.home_region(user)
    if region is None:
        raise PermissionDenied("您没有查看牌子标准的权限。")
    current = rules.standard_for(region)
    saved = PlacardStandard.objects.filter(region=region).first()
    can_edit = user.can(Capability.SUPERVISION_APPROVE, region)
    form = StandardForm(
        request.POST or None, initial=StandardForm.initial_for(current, saved.version if saved else 0)
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有县减负工作办公室可以维护牌子标准。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.standard_save(
                    actor=user,
                    region=region,
                    **{k: v for k, v in data.items() if k != "version"},
                    version=data["version"] or None,
                )
                messages.success(request, "牌子标准已保存；各村的核对结果随之更新。")
                return redirect("supervision:standard")
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(
        request,
        "supervision/standard.html",
        {"form": form, "standard": current, "region": region, "can_edit": can_edit},
        status=400 if form.errors else 200,
    )
