"""Pages for keeping the classification and the grids, and the grid worker's burden tap."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from jianfu.catalog.models import ancestor_codes
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.views_util import add_service_errors
from jianfu.orgs import access
from jianfu.orgs.models import Department, User
from jianfu.orgs.roles import Capability

from .. import burden, selectors, services
from ..forms import BurdenForm, ClassForm, GridForm


def _viewer(request) -> None:
    if not selectors.may_view(request.user):
        raise PermissionDenied("您没有查看网格的权限。")


def _manager(request) -> None:
    if not request.user.has_capability(Capability.GRID_MANAGE):
        raise PermissionDenied("只有指挥中心（综治中心）可以维护网格和事件分类。")


@login_required
def grids(request):
    _viewer(request)
    return render(
        request,
        "grid/grids.html",
        {
            "coverage": selectors.coverage(request.user),
            "may_manage": request.user.has_capability(Capability.GRID_MANAGE),
        },
    )


def _grid_form(request, grid=None):
    communities = selectors.communities_for(request.user)
    people = User.objects.visible_to(request.user).filter(is_active=True, home_region__level=5)
    initial = {}
    if grid is not None:
        initial = {
            "community": grid.community_id,
            "name": grid.name,
            "buildings": "\n".join(grid.buildings),
            "leader": grid.leader_id,
            "workers": list(grid.workers.all()),
            "polygon": grid.polygon,
            "version": grid.version,
        }
    return GridForm(request.POST or None, communities=communities, people=people, initial=initial)


@login_required
def grid_edit(request, pk=None):
    _manager(request)
    grid = selectors.grid_for(request.user, pk) if pk else None
    form = _grid_form(request, grid)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grid_save(
                actor=request.user,
                community=data["community"],
                grid=grid,
                name=data["name"],
                buildings=data["buildings"],
                polygon=data["polygon"],
                leader=data["leader"],
                workers=data["workers"],
                expected_version=data["version"],
            )
        except (ValidationError, StaleWriteError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存网格“{data['name']}”。")
            return redirect("grid:grids")
    return render(request, "grid/grid_edit.html", {"form": form, "grid": grid})


@login_required
def classes(request):
    _viewer(request)
    return render(
        request,
        "grid/classes.html",
        {
            "classes": selectors.classes_for(request.user),
            "may_manage": request.user.has_capability(Capability.GRID_MANAGE),
        },
    )


def _class_region(user):
    """The highest region the centre manages: the county command centre keeps the county's classification."""
    regions = [a.region for a in access.assignments(user)]
    return min(regions, key=lambda r: r.level) if regions else None


@login_required
def class_edit(request, pk=None):
    _manager(request)
    event_class = selectors.class_for(request.user, pk) if pk else None
    region = event_class.region if event_class else _class_region(request.user)
    departments = Department.objects.filter(region__code__in=ancestor_codes(region), is_active=True)
    initial = {}
    if event_class is not None:
        initial = {f: getattr(event_class, f) for f in services.CLASS_FIELDS}
        initial |= {"department": event_class.department_id, "version": event_class.version}
    form = ClassForm(request.POST or None, departments=departments, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.class_save(
                actor=request.user, region=region, event_class=event_class, expected_version=version, **data
            )
        except (ValidationError, StaleWriteError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存分类“{data['name']}”。")
            return redirect("grid:classes")
    return render(
        request, "grid/class_edit.html", {"form": form, "event_class": event_class, "region": region}
    )


def _burden_kinds():
    from jianfu.monitoring.models import EventKind

    return [(k, label) for k, label in EventKind.choices if k != "other"] + [("other", "其他")]


@login_required
def burden_tap(request):
    """ "这不是网格工作": a department handed the grid worker something else; monitoring records it."""
    if not request.user.has_capability(Capability.GRID_REPORT):
        raise PermissionDenied("只有网格员和村（社区）干部可以登记非网格任务。")
    departments = Department.objects.filter(is_active=True, region__code__in=_county_codes(request.user))
    form = BurdenForm(
        request.POST or None,
        departments=departments,
        kinds=_burden_kinds(),
        initial={"kind": "task", "occurred_on": date.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            burden.burden_report(
                actor=request.user,
                kind=data["kind"],
                source_department=data["source_department"],
                occurred_on=data["occurred_on"],
                description=data["description"],
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已登记为负担事件，减负监测将核查此事。")
            return redirect("grid:index")
    return render(request, "grid/burden.html", {"form": form})


def _county_codes(user) -> list[str]:
    village = burden.worker_village(user)
    return ancestor_codes(village) if village else []
