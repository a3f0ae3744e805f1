"""Regions (the division tree), departments, users and the roles granted to them."""

import hashlib
import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from .roles import DEPARTMENT_ROLES, Role, capabilities_of

CODE_RE = re.compile(r"^\d{12}$")
# A mainland mobile number, or a landline with its area code (0xxx-xxxxxxx, the hyphen optional).
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
validate_phone = RegexValidator(PHONE_RE, "请填写 11 位手机号，或带区号的固定电话（如 0710-1234567）。")


class Level(models.IntegerChoices):
    PROVINCE = 1, "省"
    PREFECTURE = 2, "市（州）"
    COUNTY = 3, "县（市、区）"
    TOWNSHIP = 4, "乡镇（街道）"
    VILLAGE = 5, "村（社区）"


# Significant digits of a 12-digit division code at each level (GB/T 2260 + 统计用区划代码).
PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.PREFECTURE: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}


class Kind(models.TextChoices):
    PROVINCE = "province", "省"
    PREFECTURE = "prefecture", "市（州）"
    COUNTY = "county", "县（市、区）"
    TOWN = "town", "镇"
    TOWNSHIP = "township", "乡"
    SUBDISTRICT = "subdistrict", "街道"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"


KINDS_BY_LEVEL = {
    Level.PROVINCE: {Kind.PROVINCE},
    Level.PREFECTURE: {Kind.PREFECTURE},
    Level.COUNTY: {Kind.COUNTY},
    Level.TOWNSHIP: {Kind.TOWN, Kind.TOWNSHIP, Kind.SUBDISTRICT},
    Level.VILLAGE: {Kind.VILLAGE, Kind.COMMUNITY},
}


# A subtree at least this wide (a prefecture's prefix or shorter) is a large share of the rows.
WIDE_PREFIX = 4


def subtree_q(prefixes, field: str = "code", *, newest_first: bool = False) -> Q:
    """Codes under any of the prefixes, as index-friendly ranges (digits only, so '9'+1 is ':').

    ``newest_first``: the caller lists rows newest first down a date index and stops at a page. A range over a
    prefecture or more is then written so that SQLite does not answer it from the code index: without statistics
    on ranges its planner would read the whole subtree by code and sort it (a province: every row) to show 50.
    A county or less is read by code and sorted: a drill-down's filters make that the short way.
    """
    q = Q(pk__in=[])
    for prefix in prefixes:
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        column = f"{field}__unindexed" if newest_first and len(prefix) <= WIDE_PREFIX else field
        q |= Q(**{f"{column}__gte": prefix, f"{column}__lt": upper})
    return q


@models.CharField.register_lookup
class Unindexed(models.Transform):
    """``field__unindexed``: the column itself; on SQLite written ``+column``, its documented way to keep the
    planner from using an index for a condition (see ``subtree_q(newest_first=True)``)."""

    lookup_name = "unindexed"

    def as_sql(self, compiler, connection):
        return compiler.compile(self.lhs)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.lhs)
        return f"+{sql}", params

    @property
    def output_field(self):
        return self.lhs.output_field


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own subtrees, whatever the role's capabilities: the tree is the frame of every page."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(subtree_q(user.scope_prefixes()))

    def active(self):
        return self.filter(is_active=True)


class Region(models.Model):
    """A node of the division tree, keyed by its 12-digit division code; its subtree is a code prefix."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级区划"
    )
    is_active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]
        # The regions of some levels inside a subtree (the picker's levels above villages, a dashboard's next
        # level down): without it a province's 2,111 such regions were found by reading all 82,111 of its
        # regions through the code index (14 ms a page at province scale, #23).
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[self.level]]

    def is_within(self, prefixes) -> bool:
        return any(self.code.startswith(p) for p in prefixes)

    def ancestors(self):
        codes = [self.code[:n].ljust(12, "0") for lvl, n in PREFIX_LENGTH.items() if lvl < self.level]
        return Region.objects.filter(code__in=codes).order_by("level")

    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors()) + self.name

    def clean(self):
        if self.level not in PREFIX_LENGTH:
            raise ValidationError({"level": f"层级应为 1 至 5（{'、'.join(Level.labels)}）。"})
        errors = {}
        if not CODE_RE.match(self.code or ""):
            errors["code"] = "区划代码须为 12 位数字。"
        elif self.level in PREFIX_LENGTH and set(self.code[PREFIX_LENGTH[self.level] :]) - {"0"}:
            errors["code"] = (
                f"{Level(self.level).label}级区划代码第 {PREFIX_LENGTH[self.level] + 1} 位起应全为 0。"
            )
        if self.level in KINDS_BY_LEVEL and self.kind not in KINDS_BY_LEVEL[self.level]:
            labels = "、".join(Kind(k).label for k in KINDS_BY_LEVEL[self.level])
            errors["kind"] = f"{Level(self.level).label}级区划的类型只能是：{labels}。"
        if "code" not in errors:
            errors.update(self._parent_errors())
        if errors:
            raise ValidationError(errors)

    def _parent_errors(self) -> dict:
        if self.level == Level.PROVINCE:
            return {"parent": "省级区划没有上级。"} if self.parent_id else {}
        if self.parent is None:
            return {"parent": "请选择上级区划。"}
        if self.parent.level != self.level - 1:
            return {"parent": f"上级区划应为{Level(self.level - 1).label}级。"}
        if not self.code.startswith(self.parent.prefix) or self.code[
            : PREFIX_LENGTH[self.level]
        ] == self.parent.prefix.ljust(PREFIX_LENGTH[self.level], "0"):
            return {
                "code": f"区划代码应以上级“{self.parent.name}”的代码 {self.parent.prefix} 开头，且本级代码不能全为 0。"
            }
        return {}


class RegionStamp(models.Model):
    """The division tree's version: one row, a new random stamp whenever a region is added, renamed, re-kinded,
    retired or restored (``orgs.regioncache.bump``, called by every service that writes regions, in the same
    transaction). Per-request listings of regions (the region picker's options) are cached under it, so an
    import or a rename shows on the very next request in every process, and a cached listing is never served
    after the tree changed. Random rather than counted, so a restored or re-made database never repeats a stamp
    a shared cache (Redis) still holds listings under."""

    stamp = models.BigIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "行政区划版本"

    def __str__(self):
        return str(self.stamp)


class DepartmentKind(models.TextChoices):
    PARTY = "party", "党委部门"
    GOVERNMENT = "government", "政府部门"
    DISCIPLINE = "discipline", "纪检监察机关"
    MASS = "mass", "群团组织"
    TOWNSHIP = "township", "乡镇（街道）党委政府"
    OTHER = "other", "其他单位"


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Departments in the user's subtrees, and a department role's own department (it sits above)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(subtree_q(user.scope_prefixes(), "region__code") | Q(pk__in=user.department_ids()))


class Department(models.Model):
    """A party, government or mass organisation unit of a region (e.g. 县民政局)."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="departments", verbose_name="所属区划")
    kind = models.CharField(
        "类别", max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.GOVERNMENT
    )
    is_member_unit = models.BooleanField("减负工作领导小组成员单位", default=False)
    is_active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "部门单位"
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region")
        ]

    def __str__(self):
        return self.name


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People homed in the user's subtrees, and the colleagues of a department role's department."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            subtree_q(user.scope_prefixes(), "home_region__code") | Q(department_id__in=user.department_ids())
        ).distinct()


class JianfuUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. What they may see comes from their role assignments, not from flags."""

    full_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号", max_length=20, blank=True, validators=[validate_phone])
    home_region = models.ForeignKey(Region, models.PROTECT, related_name="users", verbose_name="所属区划")
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="users", verbose_name="所属部门"
    )
    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = JianfuUserManager()
    REQUIRED_FIELDS = ["full_name", "home_region"]

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        return f"{self.full_name}（{self.username}）"

    def is_locked(self, now=None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))

    def _assignments(self):
        """The user's role assignments, each with ``capabilities`` resolved once (the region's own role settings,
        else the seed). Read it through ``orgs.access``, never directly."""
        if not hasattr(self, "_assignment_cache"):
            rows = list(self.role_assignments.select_related("region", "department__region"))
            resolve_capabilities(rows)
            self._assignment_cache = rows
        return self._assignment_cache

    def roles(self) -> list[str]:
        return [a.role for a in self._assignments()]

    @property
    def primary_assignment(self):
        assignments = self._assignments()
        return assignments[0] if assignments else None

    def scope_prefixes(self) -> list[str]:
        """Region prefixes this user sees; department roles see their own department's region only via
        department_ids(), so they contribute no region subtree."""
        return [a.region.prefix for a in self._assignments() if a.role not in DEPARTMENT_ROLES]

    def department_ids(self) -> list[int]:
        return [a.department_id for a in self._assignments() if a.department_id]

    def has_capability(self, capability: str) -> bool:
        return any(capability in a.capabilities for a in self._assignments())

    def can_manage_region(self, region: Region) -> bool:
        return self.can("orgs.manage", region)

    def can(self, capability: str, region: Region) -> bool:
        """Whether a role carrying the capability is granted on the region or one of its ancestors."""
        prefixes = [a.region.prefix for a in self._assignments() if capability in a.capabilities]
        return region.is_within(prefixes)


def ancestor_codes_of(code: str) -> list[str]:
    """The region's code and those of the regions above it, nearest first (the one helper for "this and above")."""
    codes = [code]
    for length in sorted(PREFIX_LENGTH.values(), reverse=True):
        above = code[:length].ljust(12, "0")
        if above not in codes:
            codes.append(above)
    return codes


def resolve_capabilities(assignments) -> None:
    """Set ``capabilities`` on each assignment: the nearest role setting at or above its region, else the seed.
    One query for all of them."""
    if not assignments:
        return
    codes = {c for a in assignments for c in ancestor_codes_of(a.region.code)}
    found = {
        (row["region__code"], row["role"]): frozenset(row["capabilities"])
        for row in RoleSetting.objects.filter(
            role__in={a.role for a in assignments}, region__code__in=codes
        ).values("region__code", "role", "capabilities")
    }
    for assignment in assignments:
        assignment.capabilities = next(
            (
                found[(c, assignment.role)]
                for c in ancestor_codes_of(assignment.region.code)
                if (c, assignment.role) in found
            ),
            capabilities_of(assignment.role),
        )


class RoleSetting(models.Model):
    """A region's own capability set for a role (本地区调整角色权限), in force in its subtree in place of the seed in
    ``orgs/roles.py`` and of any setting above it. Kept by the region's administrator; every change audited."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="role_settings", verbose_name="区划")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    capabilities = models.JSONField("权限", default=list)
    reason = models.CharField("调整理由", max_length=200)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        "User", models.SET_NULL, null=True, related_name="+", verbose_name="调整人"
    )
    updated_at = models.DateTimeField("调整时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "角色权限设置"
        ordering = ["region__code", "role"]
        constraints = [models.UniqueConstraint(fields=["region", "role"], name="role_setting_unique")]

    def __str__(self):
        return f"{self.region.name}：{self.get_role_display()}"


class RoleAssignment(models.Model):
    """A role granted to a user on a region (and its subtree), or for a department."""

    user = models.ForeignKey(User, models.CASCADE, related_name="role_assignments", verbose_name="用户")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="role_assignments", verbose_name="授权区划"
    )
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="部门",
    )
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "角色授权"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "department"], name="role_assignment_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()}@{self.region.name}"

    @cached_property
    def capabilities(self) -> frozenset[str]:
        """What this assignment allows in its region (users' own assignments are resolved in one query)."""
        resolve_capabilities([self])
        return self.__dict__["capabilities"]

    def clean(self):
        if self.role in DEPARTMENT_ROLES and not self.department_id:
            raise ValidationError({"department": f"“{Role(self.role).label}”角色须指定部门。"})
        if (
            self.department_id
            and self.region_id
            and not self.region.is_within([self.department.region.prefix])
        ):
            raise ValidationError({"department": "部门须属于授权区划。"})


class ApiToken(models.Model):
    """A bearer token for machine clients; only its SHA-256 is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("用途", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class RegionSetting(models.Model):
    """One dated version of a number a region chooses (区划设置, see ``orgs/region_settings.py``): in force in the
    region's subtree from ``effective_from`` until a newer version, unless a region below sets its own. Rows are
    only added (by ``services.region_setting_set``), never changed, so every past figure can be explained."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="region_settings", verbose_name="区划")
    key = models.CharField("设置项", max_length=64)
    value = models.JSONField("设定值")
    effective_from = models.DateField("生效日期")
    changed_by = models.ForeignKey(
        "User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="设置人"
    )
    reason = models.CharField("调整理由", max_length=200)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "区划设置"
        ordering = ["region__code", "key", "-effective_from", "-id"]
        indexes = [models.Index(fields=["key", "region", "effective_from"], name="region_setting_lookup")]

    def __str__(self):
        return f"{self.region.name}：{self.key}（{self.effective_from:%Y-%m-%d} 起）"
