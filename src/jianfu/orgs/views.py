"""Pages for administering the tree: regions, departments, users and roles. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jianfu.core.views_util import add_service_errors, paginate

from . import access, selectors, services
from .forms import DepartmentForm, RegionCreateForm, RegionEditForm, RoleGrantForm, RoleSettingForm, UserForm
from .models import Kind, Level
from .roles import Capability, Role


def _require_manager(user):
    access.require(user, Capability.ORGS_MANAGE)


# Regions ---------------------------------------------------------------------------------------------


@login_required
def region_list(request):
    level = request.GET.get("level")
    regions = selectors.region_list(
        request.user,
        query=request.GET.get("q", "").strip(),
        level=int(level) if level and level.isdigit() else None,
        kind=request.GET.get("kind", ""),
        include_retired=request.GET.get("retired") == "1",
    )
    page = paginate(request, regions)
    template = "orgs/_region_rows.html" if request.headers.get("HX-Request") else "orgs/region_list.html"
    return render(request, template, {"page": page, "levels": Level.choices, "kinds": Kind.choices})


@login_required
def region_detail(request, code):
    region = selectors.region_get(request.user, code)
    context = {
        "region": region,
        "ancestors": region.ancestors(),
        "children": selectors.region_children(request.user, region),
        "departments": selectors.department_list(request.user, region_code=region.code),
        "can_manage": request.user.can_manage_region(region),
    }
    return render(request, "orgs/region_detail.html", context)


@login_required
def region_create(request):
    _require_manager(request.user)
    parents = selectors.manageable_regions(request.user, max_level=Level.TOWNSHIP)
    form = RegionCreateForm(
        request.POST or None, parents=parents, initial={"parent": request.GET.get("parent")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            region = services.region_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新增区划“{region.name}”。")
            return redirect("orgs:region_detail", code=region.code)
    return render(request, "orgs/form.html", {"form": form, "title": "新增区划"})


@login_required
def region_edit(request, code):
    _require_manager(request.user)
    region = selectors.region_get(request.user, code)
    form = RegionEditForm(
        request.POST or None, initial={"name": region.name, "kind": region.kind, "version": region.version}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.region_update(actor=request.user, region=region, expected_version=version, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("orgs:region_detail", code=region.code)
    return render(
        request, "orgs/form.html", {"form": form, "title": f"修改区划：{region.name}", "object": region}
    )


@login_required
@require_POST
def region_toggle(request, code):
    _require_manager(request.user)
    region = selectors.region_get(request.user, code)
    try:
        services.region_set_active(actor=request.user, region=region, active=not region.is_active)
        messages.success(request, "已恢复。" if not region.is_active else "已撤销。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("orgs:region_detail", code=region.code)


# Departments -----------------------------------------------------------------------------------------


@login_required
def department_list(request):
    departments = selectors.department_list(
        request.user,
        query=request.GET.get("q", "").strip(),
        include_retired=request.GET.get("retired") == "1",
    )
    return render(request, "orgs/department_list.html", {"page": paginate(request, departments)})


@login_required
def department_detail(request, pk):
    department = selectors.department_get(request.user, pk)
    users = selectors.user_list(request.user).filter(department=department)
    return render(
        request,
        "orgs/department_detail.html",
        {
            "department": department,
            "users": users,
            "can_manage": request.user.can_manage_region(department.region),
        },
    )


@login_required
def department_create(request):
    return _department_form(request, None)


@login_required
def department_edit(request, pk):
    return _department_form(request, selectors.department_get(request.user, pk))


def _department_form(request, department):
    _require_manager(request.user)
    regions = selectors.manageable_regions(request.user, max_level=Level.TOWNSHIP)
    initial = {}
    if department:
        initial = {
            f: getattr(department, f) for f in ("name", "short_name", "region", "kind", "is_member_unit")
        }
        initial["version"] = department.version
    form = DepartmentForm(
        request.POST or None, regions=regions, initial=initial, editing=department is not None
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            if department:
                department = services.department_update(
                    actor=request.user, department=department, expected_version=version, **data
                )
            else:
                department = services.department_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存部门“{department.name}”。")
            return redirect("orgs:department_detail", pk=department.pk)
    title = f"修改部门：{department.name}" if department else "新增部门"
    return render(request, "orgs/form.html", {"form": form, "title": title, "object": department})


@login_required
@require_POST
def department_toggle(request, pk):
    _require_manager(request.user)
    department = selectors.department_get(request.user, pk)
    services.department_set_active(actor=request.user, department=department, active=not department.is_active)
    messages.success(request, "已更新部门状态。")
    return redirect("orgs:department_detail", pk=department.pk)


# Users -----------------------------------------------------------------------------------------------


@login_required
def user_list(request):
    users = selectors.user_list(
        request.user, query=request.GET.get("q", "").strip(), role=request.GET.get("role", "")
    )
    return render(request, "orgs/user_list.html", {"page": paginate(request, users), "roles": Role.choices})


@login_required
def user_detail(request, pk):
    person = selectors.user_get(request.user, pk)
    can_manage = request.user.can_manage_region(person.home_region)
    grant_form = None
    if can_manage:
        grant_form = RoleGrantForm(
            regions=selectors.manageable_regions(request.user),
            departments=selectors.department_list(request.user),
        )
    return render(
        request,
        "orgs/user_detail.html",
        {
            "person": person,
            "assignments": person.role_assignments.select_related("region", "department"),
            "can_manage": can_manage,
            "grant_form": grant_form,
        },
    )


@login_required
def user_create(request):
    return _user_form(request, None)


@login_required
def user_edit(request, pk):
    return _user_form(request, selectors.user_get(request.user, pk))


def _user_form(request, person):
    _require_manager(request.user)
    kwargs = {
        "regions": selectors.manageable_regions(request.user),
        "departments": selectors.department_list(request.user),
        "editing": person is not None,
    }
    initial = {}
    if person:
        initial = {
            f: getattr(person, f) for f in ("username", "full_name", "phone", "home_region", "department")
        }
        initial["version"] = person.version
    form = UserForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            if person:
                data.pop("username", None)
                person = services.user_update(
                    actor=request.user, user=person, expected_version=version, **data
                )
            else:
                person = services.user_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存用户“{person.full_name}”。")
            return redirect("orgs:user_detail", pk=person.pk)
    title = f"修改用户：{person.full_name}" if person else "新增用户"
    return render(request, "orgs/form.html", {"form": form, "title": title, "object": person})


@login_required
@require_POST
def user_grant(request, pk):
    _require_manager(request.user)
    person = selectors.user_get(request.user, pk)
    form = RoleGrantForm(
        request.POST,
        regions=selectors.manageable_regions(request.user),
        departments=selectors.department_list(request.user),
    )
    if form.is_valid():
        try:
            services.role_grant(actor=request.user, user=person, **form.cleaned_data)
            messages.success(request, "已授权。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    return redirect("orgs:user_detail", pk=person.pk)


@login_required
@require_POST
def user_revoke(request, pk, assignment_pk):
    _require_manager(request.user)
    assignment = selectors.assignment_get(request.user, assignment_pk)
    if assignment.user_id != pk:
        raise PermissionDenied
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
        messages.success(request, "已撤销授权。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("orgs:user_detail", pk=pk)


@login_required
@require_POST
def user_unlock(request, pk):
    _require_manager(request.user)
    person = selectors.user_get(request.user, pk)
    services.user_unlock(actor=request.user, user=person)
    messages.success(request, f"已解锁“{person.full_name}”。")
    return redirect("orgs:user_detail", pk=pk)


@login_required
@require_POST
def user_toggle(request, pk):
    _require_manager(request.user)
    person = selectors.user_get(request.user, pk)
    try:
        services.user_set_active(actor=request.user, user=person, active=not person.is_active)
        messages.success(request, "已更新账号状态。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("orgs:user_detail", pk=pk)


# Role settings ---------------------------------------------------------------------------------------


# Headings for the capability boxes, by the part of the platform a capability opens.
MODULE_NAMES = {
    "orgs": "组织架构",
    "audit": "审计日志",
    "catalog": "清单",
    "admission": "准入",
    "work": "准入",
    "certificates": "证明事项",
    "forms": "一张表",
    "supervision": "督查检查与牌子",
    "monitoring": "减负监测",
    "campaign": "专项行动与考评",
    "evaluation": "专项行动与考评",
    "consultation": "协商议事",
    "grid": "网格",
}


@login_required
def role_settings(request):
    """Where the administrator picks the region whose roles to adjust (their own county first)."""
    access.require(request.user, Capability.ORGS_MANAGE)
    regions = list(selectors.role_setting_regions(request.user))
    if len(regions) == 1:
        return redirect("orgs:role_table", code=regions[0].code)
    return render(request, "orgs/role_settings.html", {"regions": regions})


def _settable_region(user, code):
    access.require(user, Capability.ORGS_MANAGE)
    return get_object_or_404(selectors.role_setting_regions(user), code=code)


@login_required
def role_table(request, code):
    region = _settable_region(request.user, code)
    return render(request, "orgs/role_table.html", {"region": region, "rows": selectors.role_table(region)})


@login_required
def role_edit(request, code, role):
    region = _settable_region(request.user, code)
    row = next((r for r in selectors.role_table(region) if r["role"] == role and r["editable"]), None)
    if row is None:
        raise Http404("没有这个可调整的角色。")
    current = [c for c, _ in row["capabilities"]]
    version = row["setting"].version if row["setting"] else 0
    form = RoleSettingForm(request.POST or None, initial={"capabilities": current, "version": version})
    if request.method == "POST" and form.is_valid():
        try:
            services.role_setting_save(
                actor=request.user,
                region=region,
                role=role,
                capabilities=form.cleaned_data["capabilities"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, f"已调整{region.name}“{row['label']}”的权限。")
            return redirect("orgs:role_table", code=region.code)
        except ValidationError as exc:  # StaleWriteError included: a concurrent edit is named, nothing saved
            add_service_errors(form, exc)
    groups: dict[str, list] = {}
    for value, label in form.fields["capabilities"].choices:
        groups.setdefault(MODULE_NAMES.get(value.split(".")[0], "其他"), []).append((value, label))
    return render(
        request,
        "orgs/role_edit.html",
        {
            "region": region,
            "row": row,
            "form": form,
            "groups": list(groups.items()),
            "chosen": set(form["capabilities"].value() or []),
        },
    )


@login_required
@require_POST
def role_reset(request, code, role):
    region = _settable_region(request.user, code)
    try:
        services.role_setting_reset(actor=request.user, region=region, role=role)
        messages.success(request, "已恢复为上级或平台默认的权限。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("orgs:role_table", code=region.code)
