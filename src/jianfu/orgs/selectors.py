"""Scoped reads. Views and the API load orgs objects only through these, so out-of-scope means 404."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from . import regioncache
from .models import Department, Level, Region, RoleAssignment, User, subtree_q


def region_list(
    user,
    *,
    query: str = "",
    level: int | None = None,
    kind: str = "",
    parent_code: str = "",
    include_retired=False,
):
    regions = Region.objects.visible_to(user).select_related("parent")
    if not include_retired:
        regions = regions.filter(is_active=True)
    if query:
        regions = regions.filter(Q(name__contains=query) | Q(code__startswith=query))
    if level:
        regions = regions.filter(level=level)
    if kind:
        regions = regions.filter(kind=kind)
    if parent_code:
        regions = regions.filter(parent__code=parent_code)
    return regions.order_by("code")


def region_get(user, code: str) -> Region:
    return get_object_or_404(Region.objects.visible_to(user).select_related("parent"), code=code)


def region_children(user, region: Region):
    return (
        Region.objects.visible_to(user)
        .filter(parent=region)
        .annotate(n_children=Count("children"))
        .order_by("code")
    )


def manageable_regions(user, *, max_level: int = Level.VILLAGE):
    """Regions the user may create things under (their admin subtrees)."""
    if user.has_capability("orgs.manage"):
        return Region.objects.visible_to(user).filter(is_active=True, level__lte=max_level).order_by("code")
    return Region.objects.none()


def department_list(user, *, query: str = "", region_code: str = "", include_retired=False):
    departments = Department.objects.visible_to(user).select_related("region")
    if not include_retired:
        departments = departments.filter(is_active=True)
    if query:
        departments = departments.filter(Q(name__contains=query) | Q(short_name__contains=query))
    if region_code:
        departments = departments.filter(region__code=region_code)
    return departments.order_by("region__code", "name")


def department_get(user, pk: int) -> Department:
    return get_object_or_404(Department.objects.visible_to(user).select_related("region"), pk=pk)


def user_list(user, *, query: str = "", role: str = ""):
    users = User.objects.visible_to(user).select_related("home_region", "department")
    if query:
        users = users.filter(Q(username__contains=query) | Q(full_name__contains=query))
    if role:
        users = users.filter(role_assignments__role=role)
    return users.prefetch_related("role_assignments__region").order_by("username")


def user_get(user, pk: int) -> User:
    return get_object_or_404(User.objects.visible_to(user).select_related("home_region", "department"), pk=pk)


def assignment_get(user, pk: int) -> RoleAssignment:
    return get_object_or_404(
        RoleAssignment.objects.filter(user__in=User.objects.visible_to(user)).select_related(
            "user", "region"
        ),
        pk=pk,
    )


def scope_summary(user) -> dict:
    """Counts for the home page: what lies in the user's scope."""
    counts = _region_counts(tuple(sorted(user.scope_prefixes())))
    return {
        "townships": counts.get(Level.TOWNSHIP, 0),
        "villages": counts.get((Level.VILLAGE, "village"), 0),
        "communities": counts.get((Level.VILLAGE, "community"), 0),
        "departments": Department.objects.visible_to(user).filter(is_active=True).count(),
        "users": User.objects.visible_to(user).filter(is_active=True).count(),
    }


def _region_counts(prefixes: tuple) -> dict:
    """The scope's active regions by level and by (level, kind): one read of the scope, cached under the tree's
    stamp (a province's 82,000 regions counted on every home page took 40 ms, #23)."""

    def build() -> dict:
        counts: dict = {}
        regions = Region.objects.filter(subtree_q(prefixes), is_active=True)
        for level, kind, n in regions.values_list("level", "kind").annotate(n=Count("id")).order_by():
            counts[level] = counts.get(level, 0) + n
            counts[(level, kind)] = n
        return counts

    return regioncache.cached("scope-counts", prefixes, build)


def member_units(user):
    """The leading group's member units visible to the user (the review committee's members)."""
    return department_list(user).filter(is_member_unit=True)


def villages_with_cadres(user, township: Region):
    """The villages and communities of a township with their cadres' accounts, for the township's home page."""
    cadres = RoleAssignment.objects.filter(role="village").select_related("user")
    return (
        Region.objects.visible_to(user)
        .filter(parent=township, is_active=True)
        .prefetch_related(Prefetch("role_assignments", queryset=cadres, to_attr="cadre_assignments"))
        .order_by("code")
    )


def colleagues(user):
    """People of the user's own department."""
    if not user.department_id:
        return User.objects.none()
    return User.objects.filter(department_id=user.department_id, is_active=True).order_by("username")


def role_table(region: Region) -> list[dict]:
    """Each role's capabilities in force in the region: its own setting, else the nearest one above, else the
    platform's seed; with where it comes from, in words."""
    from .models import RoleSetting, ancestor_codes_of
    from .roles import FIXED_ROLES, Capability, Role, capabilities_of

    codes = ancestor_codes_of(region.code)
    settings = {
        (s.region.code, s.role): s
        for s in RoleSetting.objects.filter(region__code__in=codes).select_related("region", "updated_by")
    }
    rows = []
    for role in Role:
        here = settings.get((region.code, role.value))
        above = next((settings[(c, role.value)] for c in codes[1:] if (c, role.value) in settings), None)
        in_force = here or above
        capabilities = frozenset(in_force.capabilities) if in_force else capabilities_of(role)
        rows.append(
            {
                "role": role.value,
                "label": role.label,
                "setting": here,
                "inherited": above if not here else None,
                "capabilities": [(c.value, c.label) for c in Capability if c.value in capabilities],
                "source": ("本级调整" if here else f"沿用{above.region.name}的调整" if above else "平台默认"),
                "editable": role not in FIXED_ROLES,
            }
        )
    return rows


def role_setting_regions(user):
    """Regions (county and above) where the user may set role capabilities."""
    return manageable_regions(user, max_level=Level.COUNTY)


def settings_regions(user):
    """Regions (county and above) whose settings the user reads: those whose rules apply to their work."""
    from . import access

    return Region.objects.filter(
        access.rules_over(user, "code"), level__lte=Level.COUNTY, is_active=True
    ).order_by("code")


def settings_region_get(user, code: str) -> Region:
    return get_object_or_404(settings_regions(user), code=code)


def settings_table(region: Region, on=None) -> list[dict]:
    """Every registered setting for the region: the value in force on ``on`` (default today), where it comes from
    (own, a region above, the default), versions still to come and the history at the region and above."""
    from django.utils import timezone

    from .models import RegionSetting, ancestor_codes_of
    from .region_settings import SETTINGS, pick

    on = on or timezone.localdate()
    versions: dict[str, list] = {}
    rows_above = (
        RegionSetting.objects.filter(region__code__in=ancestor_codes_of(region.code))
        .select_related("region", "changed_by")
        .order_by("-effective_from", "-id")
    )
    for row in rows_above:
        versions.setdefault(row.key, []).append(row)
    table = []
    for spec in sorted(SETTINGS.values(), key=lambda s: (s.group, s.key)):
        history = versions.get(spec.key, [])
        in_force = pick(spec, region.code, history, on)
        table.append(
            {
                "spec": spec,
                "in_force": in_force,
                "display": spec.display(in_force.value),
                "own": in_force.version is not None and in_force.version.region_id == region.pk,
                "source": _setting_source(region, in_force),
                "upcoming": [
                    dict(row=v, display=spec.display(v.value)) for v in history if v.effective_from > on
                ],
                "history": [dict(row=v, display=spec.display(v.value)) for v in history],
            }
        )
    return table


def _setting_source(region: Region, in_force) -> str:
    if in_force.version is None:
        return "平台默认"
    since = f"{in_force.version.effective_from:%Y-%m-%d} 起"
    if in_force.version.region_id == region.pk:
        return f"本级设置（{since}）"
    return f"沿用{in_force.version.region.name}的设置（{since}）"
