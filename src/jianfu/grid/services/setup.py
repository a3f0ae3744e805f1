"""Keeping the classification and the grids (指挥中心 and 综治中心 only).

Grids cover a community "全覆盖、无缝隙" (seed 003, 二(一)): a building or group belongs to exactly one grid of its
community, so a grid that claims one another grid already holds is refused, naming both.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs import access
from jianfu.orgs.models import Level

from ..models import DeadlineUnit, EventClass, Grid
from ..rules import may_manage

CLASS_FIELDS = (
    "code",
    "name",
    "kind",
    "department",
    "deadline_value",
    "deadline_unit",
    "duplicate_metres",
    "is_public",
    "is_active",
)
GRID_FIELDS = ("community", "name", "buildings", "polygon", "leader", "is_active")


def _bump(obj, expected_version, label) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise StaleWriteError(label)
    obj.version += 1


@transaction.atomic
def class_save(*, actor, region, event_class: EventClass | None = None, expected_version=None, **values):
    """Create or edit one class of the region's classification."""
    access.require_that(may_manage(actor, region), "只有指挥中心（综治中心）可以维护事件分类。")
    before = None
    if event_class is None:
        event_class = EventClass(region=region)
    else:
        event_class = EventClass.objects.select_for_update().get(pk=event_class.pk)
        before = snapshot(event_class, CLASS_FIELDS)
        _bump(event_class, expected_version, f"分类“{event_class.name}”")
    for field in CLASS_FIELDS:
        if field in values:
            setattr(event_class, field, values[field])
    if not event_class.deadline_value:
        raise ValidationError({"deadline_value": "处置时限须大于 0。"})
    if event_class.deadline_unit not in DeadlineUnit.values:
        raise ValidationError({"deadline_unit": "请选择时限单位（工作日或小时）。"})
    event_class.full_clean()
    event_class.save()
    audit_record(
        actor=actor,
        action="grid.class_save",
        obj=event_class,
        before=before,
        after=snapshot(event_class, CLASS_FIELDS),
    )
    return event_class


def clean_buildings(raw) -> list[str]:
    """One building or group per line (or separated by commas), trimmed, each once."""
    items = (
        raw if isinstance(raw, list) else str(raw or "").replace("，", "\n").replace(",", "\n").splitlines()
    )
    seen: list[str] = []
    for item in (str(i).strip() for i in items):
        if item and item not in seen:
            seen.append(item)
    return seen


def _check_polygon(polygon) -> None:
    if polygon in (None, ""):
        return
    ring = polygon.get("coordinates", [[]])[0] if isinstance(polygon, dict) else None
    valid = polygon.get("type") == "Polygon" if isinstance(polygon, dict) else False
    if not valid or not ring or len(ring) < 4 or ring[0] != ring[-1]:
        raise ValidationError({"polygon": "范围须是 GeoJSON Polygon：首尾相同的至少 4 个 [经度, 纬度] 点。"})
    if not all(
        isinstance(p, list) and len(p) == 2 and -180 <= p[0] <= 180 and -90 <= p[1] <= 90 for p in ring
    ):
        raise ValidationError({"polygon": "范围的每个点须是 [经度, 纬度]，且在有效范围内。"})


def _check_no_overlap(grid: Grid) -> None:
    others = Grid.objects.filter(community=grid.community, is_active=True).exclude(pk=grid.pk)
    for other in others:
        shared = [b for b in grid.buildings if b in other.buildings]
        if shared:
            raise ValidationError(
                {"buildings": f"“{'、'.join(shared)}”已划入“{other.name}”，网格之间不能重叠。"}
            )


def _check_people(grid: Grid, workers) -> None:
    inside = [grid.community.prefix]
    people = [p for p in [grid.leader, *workers] if p is not None]
    outside = [p.full_name for p in people if not p.home_region.is_within(inside)]
    if outside:
        raise ValidationError({"workers": f"{'、'.join(outside)}不是{grid.community.name}的人员。"})


@transaction.atomic
def grid_save(*, actor, community, grid: Grid | None = None, workers=None, expected_version=None, **values):
    """Create or edit a grid; its buildings may not overlap another grid of the community."""
    access.require_that(may_manage(actor, community), "只有指挥中心（综治中心）可以划分网格。")
    if community.level != Level.VILLAGE:
        raise ValidationError({"community": "网格须划在村（社区）之内。"})
    before = None
    if grid is None:
        grid = Grid(community=community)
    else:
        grid = Grid.objects.select_for_update().get(pk=grid.pk)
        before = snapshot(grid, GRID_FIELDS)
        _bump(grid, expected_version, f"网格“{grid.name}”")
    for field in GRID_FIELDS:
        if field in values:
            setattr(grid, field, values[field])
    grid.community = community
    grid.buildings = clean_buildings(grid.buildings)
    if not grid.buildings:
        raise ValidationError({"buildings": "请填写网格包含的楼栋或村民小组（每行一个）。"})
    _check_polygon(grid.polygon)
    _check_no_overlap(grid)
    chosen = list(workers) if workers is not None else (list(grid.workers.all()) if grid.pk else [])
    _check_people(grid, chosen)
    grid.full_clean()
    grid.save()
    grid.workers.set(chosen)
    audit_record(
        actor=actor,
        action="grid.grid_save",
        obj=grid,
        before=before,
        after={**snapshot(grid, GRID_FIELDS), "workers": [p.username for p in chosen]},
    )
    return grid
