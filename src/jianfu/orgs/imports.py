"""Excel import and export of regions, departments and users.

An import is all-or-nothing: every row is checked first, and one bad cell refuses the whole file with a
message naming its row and column. The export writes the same columns, so an exported file re-imports.
"""

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from openpyxl import Workbook

from jianfu.audit.services import audit_record
from jianfu.core import progress
from jianfu.core.excel import ImportRefused, cell_text, read_sheet, text_safe_row  # noqa: F401 (ImportRefused: re-exported)

from . import regioncache
from .models import (
    CODE_RE,
    KINDS_BY_LEVEL,
    PHONE_RE,
    PREFIX_LENGTH,
    Department,
    DepartmentKind,
    Kind,
    Level,
    Region,
    RoleAssignment,
    User,
)
from .roles import DEPARTMENT_ROLES, Role
from .services import INCOMPATIBLE_ROLES

BATCH = 2000
YES = {"是", "Y", "y", "yes", "1", "TRUE", "true", "True"}
NO = {"否", "N", "n", "no", "0", "FALSE", "false", "False", ""}


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


COLUMNS = {
    "regions": ["区划代码", "名称", "层级", "类型", "上级区划代码"],
    "departments": ["名称", "简称", "所属区划代码", "类别", "成员单位"],
    "users": ["账号", "姓名", "手机号", "所属区划代码", "所属部门", "角色", "授权区划代码", "初始密码"],
}
LEVEL_BY_LABEL = {label: value for value, label in Level.choices} | {str(v): v for v in Level.values}
KIND_BY_LABEL = {label: value for value, label in Kind.choices} | {v: v for v in Kind.values}
DEPT_KIND_BY_LABEL = {label: value for value, label in DepartmentKind.choices} | {
    v: v for v in DepartmentKind.values
}
ROLE_BY_LABEL = {label: value for value, label in Role.choices} | {v: v for v in Role.values}


class RowErrors:
    def __init__(self):
        self.errors: list[str] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(f"第 {row} 行“{column}”：{message}")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportRefused(self.errors)


def read_rows(fileobj, kind: str) -> list[tuple[int, dict]]:
    """Return (row number, {column: text}) for every non-empty row; refuse a file with missing columns."""
    return read_sheet(fileobj, COLUMNS[kind], read=COLUMNS[kind])


_text = cell_text


def _file_digest(fileobj) -> str:
    fileobj.seek(0)
    digest = hashlib.sha256(fileobj.read()).hexdigest()
    fileobj.seek(0)
    return digest


def _in_scope(actor, region) -> bool:
    return actor is None or actor.can_manage_region(region)


# Regions ---------------------------------------------------------------------------------------------


def import_regions(*, actor, fileobj, filename: str = "") -> ImportResult:
    """Create or rename divisions from a sheet; parents may be earlier rows of the same sheet."""
    digest = _file_digest(fileobj)
    rows = read_rows(fileobj, "regions")
    errors = RowErrors()
    existing = {r.code: r for r in Region.objects.select_related("parent")}
    planned: dict[str, dict] = {}
    for position, (number, cells) in enumerate(rows):
        progress.tick(position, len(rows), f"校验第 {number} 行")
        plan = _check_region_row(number, cells, errors, existing, planned, actor)
        if plan:
            planned[plan["code"]] = plan
    errors.raise_if_any()
    return _write_regions(actor, planned, existing, filename, digest)


def _check_region_row(number, cells, errors, existing, planned, actor) -> dict | None:
    code, name = cells["区划代码"], cells["名称"]
    level = LEVEL_BY_LABEL.get(cells["层级"])
    kind = KIND_BY_LABEL.get(cells["类型"])
    ok = True
    if not CODE_RE.match(code):
        errors.add(number, "区划代码", f"“{code}”不是 12 位数字。")
        ok = False
    elif code in planned:
        errors.add(number, "区划代码", f"“{code}”在本文件中重复（第 {planned[code]['row']} 行已出现）。")
        ok = False
    if not name:
        errors.add(number, "名称", "不能为空。")
        ok = False
    if level is None:
        errors.add(number, "层级", f"“{cells['层级']}”无法识别，应为：{'、'.join(Level.labels)}。")
        return None
    if kind is None or kind not in KINDS_BY_LEVEL[level]:
        errors.add(
            number,
            "类型",
            f"“{cells['类型']}”不适用于{Level(level).label}级，应为：{'、'.join(Kind(k).label for k in KINDS_BY_LEVEL[level])}。",
        )
        ok = False
    if not ok:
        return None
    if set(code[PREFIX_LENGTH[level] :]) - {"0"}:
        errors.add(
            number, "区划代码", f"{Level(level).label}级区划代码第 {PREFIX_LENGTH[level] + 1} 位起应全为 0。"
        )
        return None
    parent_code = cells["上级区划代码"]
    return _check_region_parent(
        number, code, name, level, kind, parent_code, errors, existing, planned, actor
    )


def _check_region_parent(number, code, name, level, kind, parent_code, errors, existing, planned, actor):
    plan = {
        "row": number,
        "code": code,
        "name": name,
        "level": level,
        "kind": kind,
        "parent_code": parent_code,
    }
    if level == Level.PROVINCE:
        if parent_code:
            errors.add(number, "上级区划代码", "省级区划不应填写上级。")
            return None
        if actor is not None:
            errors.add(number, "区划代码", "只有系统命令行可以导入省级区划。")
            return None
        return plan
    parent = planned.get(parent_code) or existing.get(parent_code)
    if parent is None:
        errors.add(number, "上级区划代码", f"“{parent_code}”既不在系统中，也不在本文件此行之前。")
        return None
    parent_level = parent["level"] if isinstance(parent, dict) else parent.level
    parent_prefix = parent_code[: PREFIX_LENGTH[parent_level]]
    if parent_level != level - 1:
        errors.add(number, "上级区划代码", f"上级应为{Level(level - 1).label}级。")
        return None
    if not code.startswith(parent_prefix) or code[len(parent_prefix) : PREFIX_LENGTH[level]].strip("0") == "":
        errors.add(number, "区划代码", f"应以上级代码 {parent_prefix} 开头，且本级代码不能全为 0。")
        return None
    if code in existing and existing[code].parent_id and existing[code].parent.code != parent_code:
        errors.add(number, "上级区划代码", "区划已存在且上级不同；调整隶属关系请新设区划并撤销旧区划。")
        return None
    # An existing division is renamed in place, so its own scope counts; a new one is created under its parent.
    scope_region, column = (
        (existing[code], "区划代码") if code in existing else (existing.get(parent_code), "上级区划代码")
    )
    if scope_region is not None and not _in_scope(actor, scope_region):
        errors.add(number, column, f"“{scope_region.name}”不在您的管辖范围内。")
        return None
    return plan


@transaction.atomic
def _write_regions(actor, planned, existing, filename, digest) -> ImportResult:
    result = ImportResult("regions")
    by_code = dict(existing)
    for level in Level.values:
        new, changed = [], []
        for plan in (p for p in planned.values() if p["level"] == level):
            current = by_code.get(plan["code"])
            parent = by_code.get(plan["parent_code"])
            if current is None:
                new.append(
                    Region(
                        code=plan["code"], name=plan["name"], level=level, kind=plan["kind"], parent=parent
                    )
                )
            elif (current.name, current.kind) != (plan["name"], plan["kind"]):
                current.name, current.kind, current.version = plan["name"], plan["kind"], current.version + 1
                changed.append(current)
            else:
                result.unchanged += 1
        Region.objects.bulk_create(new, batch_size=BATCH)
        Region.objects.bulk_update(changed, ["name", "kind", "version"], batch_size=BATCH)
        result.created += len(new)
        result.updated += len(changed)
        if any(r.pk is None for r in new):  # only backends that cannot return ids from a bulk insert
            new = list(Region.objects.filter(code__in=[r.code for r in new]))
        by_code.update({r.code: r for r in new})
    if result.created or result.updated:
        regioncache.bump()  # the pickers' cached options (orgs.regioncache) go with this transaction
    if result.created >= BATCH:
        transaction.on_commit(_analyze_regions)
    _audit_import(actor, "region.import", result, filename, digest)
    return result


def _analyze_regions() -> None:
    # Planner statistics now rather than at autovacuum's next round: until then PostgreSQL misjudges
    # a subtree's size and sorts all of it for every list page (its manual: ANALYZE after bulk loading).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Region._meta.db_table}")


def _audit_import(actor, action, result: ImportResult, filename: str, digest: str) -> None:
    if not (result.created or result.updated):
        return  # nothing changed, nothing to record: re-loading the same file stays a no-op
    audit_record(
        actor=actor,
        action=action,
        after={
            "file": filename,
            "sha256": digest,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "grants": result.notes[:500],
        },
        message=f"导入 {filename}：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}",
    )


# Departments -----------------------------------------------------------------------------------------


def import_departments(*, actor, fileobj, filename: str = "") -> ImportResult:
    digest = _file_digest(fileobj)
    rows = read_rows(fileobj, "departments")
    errors = RowErrors()
    regions = {r.code: r for r in Region.objects.filter(level__lte=Level.TOWNSHIP)}
    existing = {(d.region_id, d.name): d for d in Department.objects.all()}
    seen: dict[tuple, int] = {}
    planned = []
    for position, (number, cells) in enumerate(rows):
        progress.tick(position, len(rows), f"校验第 {number} 行")
        region = regions.get(cells["所属区划代码"])
        kind = DEPT_KIND_BY_LABEL.get(cells["类别"] or "政府部门")
        member = cells["成员单位"]
        if not cells["名称"]:
            errors.add(number, "名称", "不能为空。")
        if region is None:
            errors.add(number, "所属区划代码", f"“{cells['所属区划代码']}”不是系统中的省、市、县或乡镇区划。")
        elif not _in_scope(actor, region):
            errors.add(number, "所属区划代码", f"“{region.name}”不在您的管辖范围内。")
        if kind is None:
            errors.add(
                number, "类别", f"“{cells['类别']}”无法识别，应为：{'、'.join(DepartmentKind.labels)}。"
            )
        if member not in YES | NO:
            errors.add(number, "成员单位", f"“{member}”应填“是”或“否”。")
        if region and cells["名称"]:
            key = (region.pk, cells["名称"])
            if key in seen:
                errors.add(number, "名称", f"与第 {seen[key]} 行重复。")
            seen[key] = number
            planned.append((key, cells["简称"], kind, member in YES))
    errors.raise_if_any()
    return _write_departments(actor, planned, existing, regions, filename, digest)


@transaction.atomic
def _write_departments(actor, planned, existing, regions, filename, digest) -> ImportResult:
    result = ImportResult("departments")
    new, changed = [], []
    for (region_id, name), short_name, kind, member in planned:
        current = existing.get((region_id, name))
        if current is None:
            new.append(
                Department(
                    region_id=region_id, name=name, short_name=short_name, kind=kind, is_member_unit=member
                )
            )
        elif (current.short_name, current.kind, current.is_member_unit) != (short_name, kind, member):
            current.short_name, current.kind, current.is_member_unit = short_name, kind, member
            current.version += 1
            changed.append(current)
        else:
            result.unchanged += 1
    Department.objects.bulk_create(new, batch_size=BATCH)
    Department.objects.bulk_update(
        changed, ["short_name", "kind", "is_member_unit", "version"], batch_size=BATCH
    )
    result.created, result.updated = len(new), len(changed)
    _audit_import(actor, "department.import", result, filename, digest)
    return result


# Users -----------------------------------------------------------------------------------------------


def import_users(*, actor, fileobj, filename: str = "") -> ImportResult:
    """Create accounts with one role each; an existing account only gains the role if it lacks it."""
    digest = _file_digest(fileobj)
    rows = read_rows(fileobj, "users")
    errors = RowErrors()
    regions = {r.code: r for r in Region.objects.all()}
    departments: dict[str, list[Department]] = {}
    for department in Department.objects.select_related("region"):
        departments.setdefault(department.name, []).append(department)
    existing = {
        u.username: u
        for u in User.objects.select_related("home_region").prefetch_related("role_assignments__region")
    }
    seen: dict[tuple, int] = {}
    planned = []
    for position, (number, cells) in enumerate(rows):
        progress.tick(position, len(rows), f"校验第 {number} 行")
        plan = _check_user_row(number, cells, errors, regions, departments, existing, seen, actor)
        if plan:
            planned.append(plan)
    errors.raise_if_any()
    return _write_users(actor, planned, existing, filename, digest)


def _check_user_row(number, cells, errors, regions, departments, existing, seen, actor):
    username, full_name = cells["账号"], cells["姓名"]
    home = regions.get(cells["所属区划代码"])
    grant_region = regions.get(cells["授权区划代码"] or cells["所属区划代码"])
    role = ROLE_BY_LABEL.get(cells["角色"])
    department, department_problem = _pick_department(departments, cells["所属部门"], home)
    # One row per role: an account holding several roles is exported (and re-imported) as several rows.
    key = (username, role, grant_region.pk if grant_region else None, department.pk if department else None)
    checks = [
        (not username, "账号", "不能为空。"),
        (key in seen, "账号", f"与第 {seen.get(key)} 行重复。"),
        (not full_name and username not in existing, "姓名", "不能为空。"),
        (
            bool(cells["手机号"]) and not PHONE_RE.match(cells["手机号"]),
            "手机号",
            f"“{cells['手机号']}”不是有效的手机号或固定电话。",
        ),
        (home is None, "所属区划代码", f"“{cells['所属区划代码']}”不是系统中的区划。"),
        (home is not None and not _in_scope(actor, home), "所属区划代码", "不在您的管辖范围内。"),
        (role is None, "角色", f"“{cells['角色']}”无法识别，应为：{'、'.join(Role.labels)}。"),
        (grant_region is None, "授权区划代码", f"“{cells['授权区划代码']}”不是系统中的区划。"),
        (
            grant_region is not None and not _in_scope(actor, grant_region),
            "授权区划代码",
            "不在您的管辖范围内。",
        ),
        (bool(department_problem), "所属部门", department_problem),
        (role in DEPARTMENT_ROLES and department is None, "所属部门", "部门角色须填写所属部门。"),
        (
            department is not None and not _in_scope(actor, department.region),
            "所属部门",
            "该部门不在您的管辖范围内。",
        ),
    ]
    bad = [(column, message) for failed, column, message in checks if failed]
    bad += _existing_account_problems(existing.get(username), role, grant_region, actor)
    if username and username not in existing:
        bad += _password_problems(cells["初始密码"], username, full_name)
    for column, message in bad:
        errors.add(number, column, message)
    seen.setdefault(key, number)
    if bad:
        return None
    return {
        "username": username,
        "full_name": full_name,
        "phone": cells["手机号"],
        "home": home,
        "role": role,
        "grant_region": grant_region,
        "department": department,
        "password": cells["初始密码"],
    }


def _existing_account_problems(user, role, grant_region, actor) -> list[tuple[str, str]]:
    """An existing account gains a role only from someone who manages it, never the importer themself, and
    never a role that clashes with one it holds (administrator vs. auditor). A row it already matches is no
    change (an exported file re-imports)."""
    if user is None or role is None:
        return []
    if any(
        a.role == role and a.region_id == getattr(grant_region, "pk", None)
        for a in user.role_assignments.all()
    ):
        return []
    regions = [user.home_region] + [a.region for a in user.role_assignments.all()]
    if not all(_in_scope(actor, region) for region in regions):
        return [("账号", f"“{user.username}”是已有账号，且不在您的管辖范围内。")]
    if actor is not None and user.pk == actor.pk:
        return [("账号", "不能给自己授予角色。")]
    held = {a.role for a in user.role_assignments.all()}
    clash = INCOMPATIBLE_ROLES.get(role, set()) & held
    if clash:
        return [
            (
                "角色",
                f"该账号已担任{'、'.join(Role(r).label for r in clash)}，不能同时担任{Role(role).label}。",
            )
        ]
    return []


def _pick_department(departments, name: str, home) -> tuple[Department | None, str]:
    """Department names are unique within a region only: take the one above the user's home region."""
    if not name:
        return None, ""
    candidates = departments.get(name, [])
    if home is not None and len(candidates) > 1:
        candidates = [d for d in candidates if home.code.startswith(d.region.prefix)]
    if not candidates:
        return None, f"“{name}”不是系统中的部门。"
    if len(candidates) > 1:
        return None, f"“{name}”对应多个部门，请先区分部门名称。"
    return candidates[0], ""


def _password_problems(password, username, full_name) -> list[tuple[str, str]]:
    if not password:
        return [("初始密码", "新账号须设置初始密码。")]
    try:
        validate_password(password, User(username=username, full_name=full_name))
    except ValidationError as exc:
        return [("初始密码", "".join(exc.messages))]
    return []


@transaction.atomic
def _write_users(actor, planned, existing, filename, digest) -> ImportResult:
    result = ImportResult("users")
    users = dict(existing)
    for plan in planned:
        user = users.get(plan["username"])
        if user is None:
            user = User.objects.create(
                username=plan["username"],
                full_name=plan["full_name"],
                phone=plan["phone"],
                home_region=plan["home"],
                department=plan["department"],
                password=make_password(plan["password"]),
            )
            users[user.username] = user
            result.created += 1
        # The "所属部门" column is the account's department; only department roles are granted per department.
        match = {"department": plan["department"]} if plan["role"] in DEPARTMENT_ROLES else {}
        grant = {"user": user, "role": plan["role"], "region": plan["grant_region"]}
        created = not RoleAssignment.objects.filter(**grant, **match).exists()
        if created:
            assignment = RoleAssignment(**grant, department=plan["department"])
            assignment.full_clean()
            assignment.save()
            result.notes.append(f"{user.username}：{Role(plan['role']).label}@{plan['grant_region'].code}")
        if created and plan["username"] in existing:
            result.updated += 1
        elif not created:
            result.unchanged += 1
    _audit_import(actor, "user.import", result, filename, digest)
    return result


IMPORTERS = {"regions": import_regions, "departments": import_departments, "users": import_users}
KIND_LABELS = {"regions": "区划", "departments": "部门", "users": "用户"}


def run_import(kind: str, *, actor, fileobj, filename: str = "") -> ImportResult:
    """Import one file; a refused file is recorded in the audit log (who tried what) and re-raised."""
    try:
        return IMPORTERS[kind](actor=actor, fileobj=fileobj, filename=filename)
    except ImportRefused as refusal:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=f"{kind[:-1]}.import",
                success=False,
                after={"file": filename, "errors": refusal.errors[:50]},
                message=f"{KIND_LABELS[kind]}导入被拒绝：{filename}，{len(refusal.errors)} 处错误",
            )
        raise


# Export ----------------------------------------------------------------------------------------------


def export_workbook(kind: str, queryset) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet({"regions": "行政区划", "departments": "部门单位", "users": "用户"}[kind])
    sheet.append(COLUMNS[kind])
    for row in ROW_WRITERS[kind](queryset):
        sheet.append(text_safe_row(sheet, row))
    return workbook


def _region_rows(regions):
    for r in regions.select_related("parent").iterator(chunk_size=BATCH):
        yield [r.code, r.name, Level(r.level).label, Kind(r.kind).label, r.parent.code if r.parent_id else ""]


def _department_rows(departments):
    for d in departments.select_related("region"):
        yield [
            d.name,
            d.short_name,
            d.region.code,
            DepartmentKind(d.kind).label,
            "是" if d.is_member_unit else "否",
        ]


def _user_rows(users):
    for u in users.select_related("home_region", "department").prefetch_related("role_assignments__region"):
        for a in u.role_assignments.all() or [None]:
            yield [
                u.username,
                u.full_name,
                u.phone,
                u.home_region.code,
                u.department.name if u.department else "",
                Role(a.role).label if a else "",
                a.region.code if a else "",
                "",
            ]


ROW_WRITERS = {"regions": _region_rows, "departments": _department_rows, "users": _user_rows}
