"""Every write to regions, departments, users and roles. Views, API and CLI all call these."""

import secrets
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import StaleWriteError

from . import access, region_settings, regioncache
from .auth import LoginRefused, check_current_password
from .models import ApiToken, Department, Level, Region, RegionSetting, RoleAssignment, RoleSetting, User
from .roles import FIXED_ROLES, NARROW_ONLY_ROLES, RESERVED_CAPABILITIES, Capability, Role, capabilities_of

REGION_FIELDS = ("code", "name", "level", "kind", "parent")
DEPARTMENT_FIELDS = ("name", "short_name", "region", "kind", "is_member_unit")
USER_FIELDS = ("full_name", "phone", "home_region", "department", "email")


def require_manage(actor, region: Region, field: str = "region") -> None:
    """The actor must administer the region the object is (or is moving) in.

    ``actor=None`` is the system itself (CLI and data loading), already trusted with the database.
    """
    if actor is None:
        return
    access.require(actor, Capability.ORGS_MANAGE)
    if region is None or not actor.can_manage_region(region):
        name = region.name if region else "（空）"
        raise ValidationError({field: f"“{name}”不在您的管辖范围内，不能在该区划下创建或移入对象。"})


def require_manage_user(actor, user: User) -> None:
    """Managing an account needs rights over its home region and every region it holds a role on, so a
    county administrator cannot touch an account that also acts for the prefecture or the province."""
    require_manage(actor, user.home_region, "home_region")
    for assignment in user.role_assignments.select_related("region"):
        require_manage(actor, assignment.region, "user")


# Separation of duties (三员分立): the one who keeps accounts never audits, and nobody grants themselves a role.
INCOMPATIBLE_ROLES = {Role.ADMIN: {Role.INSPECTOR}, Role.INSPECTOR: {Role.ADMIN}}


def check_role_compatible(*, actor, user: User, role: str, held: set[str]) -> None:
    if actor is not None and user.pk == actor.pk:
        raise PermissionDenied("不能给自己授予角色。")
    clash = INCOMPATIBLE_ROLES.get(role, set()) & held
    if clash:
        names = "、".join(Role(r).label for r in clash)
        raise ValidationError(
            {"role": f"该用户已担任{names}，不能同时担任{Role(role).label}（系统管理员与审计员须分设）。"}
        )


def _lock(model, pk, expected_version, label):
    obj = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and obj.version != expected_version:
        raise StaleWriteError(label)
    return obj


def _apply(obj, changes: dict, allowed) -> None:
    for name, value in changes.items():
        if name not in allowed:
            raise ValidationError({name: "该字段不能在此修改。"})
        setattr(obj, name, value)


# Regions ---------------------------------------------------------------------------------------------


@transaction.atomic
def region_create(*, actor, code: str, name: str, level: int, kind: str, parent: Region | None) -> Region:
    """Add a division under a parent the actor administers."""
    require_manage(actor, parent, "parent")
    region = Region(code=code, name=name, level=level, kind=kind, parent=parent)
    region.full_clean()
    region.save()
    regioncache.bump()
    audit_record(actor=actor, action="region.create", obj=region, after=snapshot(region))
    return region


@transaction.atomic
def region_update(*, actor, region: Region, expected_version: int | None, **changes) -> Region:
    """Rename or re-kind a division. Its code and parent are fixed: a re-coded division is a new division."""
    region = _lock(Region, region.pk, expected_version, f"区划“{region.name}”")
    require_manage(actor, region)
    before = snapshot(region)
    _apply(region, changes, {"name", "kind"})
    region.full_clean()
    region.version += 1
    region.save()
    regioncache.bump()
    audit_record(actor=actor, action="region.update", obj=region, before=before, after=snapshot(region))
    return region


@transaction.atomic
def region_set_active(*, actor, region: Region, active: bool, expected_version: int | None = None) -> Region:
    """Retire (or restore) a division; retired divisions stay for the record."""
    region = _lock(Region, region.pk, expected_version, f"区划“{region.name}”")
    require_manage(actor, region)
    if not active and region.children.filter(is_active=True).exists():
        raise ValidationError("该区划下还有有效的下级区划，请先撤销下级区划。")
    before = snapshot(region)
    region.is_active = active
    region.version += 1
    region.save()
    regioncache.bump()
    audit_record(
        actor=actor,
        action="region.activate" if active else "region.retire",
        obj=region,
        before=before,
        after=snapshot(region),
    )
    return region


# Departments -----------------------------------------------------------------------------------------


@transaction.atomic
def department_create(
    *, actor, name: str, region: Region, kind: str, short_name: str = "", is_member_unit: bool = False
) -> Department:
    """Register a department of a region the actor administers."""
    require_manage(actor, region)
    department = Department(
        name=name, short_name=short_name, region=region, kind=kind, is_member_unit=is_member_unit
    )
    department.full_clean()
    department.save()
    audit_record(actor=actor, action="department.create", obj=department, after=snapshot(department))
    return department


@transaction.atomic
def department_update(
    *, actor, department: Department, expected_version: int | None, **changes
) -> Department:
    """Edit a department; moving it to another region needs rights over both regions."""
    department = _lock(Department, department.pk, expected_version, f"部门“{department.name}”")
    require_manage(actor, department.region)
    before = snapshot(department)
    _apply(department, changes, set(DEPARTMENT_FIELDS))
    require_manage(actor, department.region)
    department.full_clean()
    department.version += 1
    department.save()
    audit_record(
        actor=actor, action="department.update", obj=department, before=before, after=snapshot(department)
    )
    return department


@transaction.atomic
def department_set_active(
    *, actor, department: Department, active: bool, expected_version: int | None = None
) -> Department:
    department = _lock(Department, department.pk, expected_version, f"部门“{department.name}”")
    require_manage(actor, department.region)
    before = snapshot(department)
    department.is_active = active
    department.version += 1
    department.save()
    action = "department.activate" if active else "department.retire"
    audit_record(actor=actor, action=action, obj=department, before=before, after=snapshot(department))
    return department


# Users and roles -------------------------------------------------------------------------------------


SAME_PASSWORD = "新密码不能与当前密码相同。"


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    home_region: Region,
    password: str,
    department: Department | None = None,
    phone: str = "",
    email: str = "",
) -> User:
    """Create an account in a region the actor administers. Roles are granted separately."""
    require_manage(actor, home_region, "home_region")
    if department is not None:
        require_manage(actor, department.region, "department")
    user = User(
        username=username,
        full_name=full_name,
        home_region=home_region,
        department=department,
        phone=phone,
        email=email,
    )
    user.full_clean(exclude=["password"])
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, after=snapshot(user))
    return user


@transaction.atomic
def user_update(*, actor, user: User, expected_version: int | None, **changes) -> User:
    user = _lock(User, user.pk, expected_version, f"用户“{user.full_name}”")
    require_manage_user(actor, user)
    before = snapshot(user)
    _apply(user, changes, set(USER_FIELDS))
    require_manage_user(actor, user)
    if "department" in changes and user.department_id:  # another county's department moves the user there
        require_manage(actor, user.department.region, "department")
    user.full_clean(exclude=["password"])
    user.version += 1
    user.save()
    audit_record(actor=actor, action="user.update", obj=user, before=before, after=snapshot(user))
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    user = _lock(User, user.pk, None, "")
    require_manage_user(actor, user)
    if actor is not None and user.pk == actor.pk:
        raise ValidationError("不能停用自己的账号。")
    before = snapshot(user)
    user.is_active = active
    user.version += 1
    user.save()
    audit_record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        obj=user,
        before=before,
        after=snapshot(user),
    )
    return user


def user_set_password(*, actor, user: User, password: str, current_password: str | None = None) -> User:
    """Set a password: the user themself (who must give the current one), or an administrator of their region.

    A wrong current password counts toward the same lockout as a failed login, and is counted outside the
    transaction of the change, so refusing the change does not roll the count back.
    """
    if actor is not None and actor.pk == user.pk:
        if not current_password:
            raise ValidationError({"current_password": "请填写当前密码。"})
        try:
            check_current_password(user=user, password=current_password)
        except LoginRefused as refusal:
            raise ValidationError({"current_password": refusal.message}) from refusal
        if password == current_password:
            raise ValidationError({"password": SAME_PASSWORD})
    return _password_save(actor=actor, user=user, password=password)


@transaction.atomic
def _password_save(*, actor, user: User, password: str) -> User:
    user = _lock(User, user.pk, None, "")
    if actor is None or actor.pk != user.pk:
        require_manage_user(actor, user)
        if user.check_password(password):
            raise ValidationError({"password": SAME_PASSWORD})
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.set_password", obj=user)
    return user


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    user = _lock(User, user.pk, None, "")
    require_manage_user(actor, user)
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["failed_login_count", "locked_until"])
    audit_record(actor=actor, action="user.unlock", obj=user)
    return user


@transaction.atomic
def role_grant(
    *, actor, user: User, role: str, region: Region, department: Department | None = None
) -> RoleAssignment:
    """Grant a role on a region; the actor must administer both the user and the region."""
    require_manage(actor, region)
    require_manage_user(actor, user)
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色“{role}”。"})
    if department is not None:
        require_manage(actor, department.region, "department")
    check_role_compatible(actor=actor, user=user, role=role, held=set(user.roles()))
    assignment = RoleAssignment(user=user, role=role, region=region, department=department)
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        action="role.grant",
        obj=user,
        after={"role": role, "region": region.code, "department": department.pk if department else None},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    require_manage(actor, assignment.region)
    require_manage(actor, assignment.user.home_region, "user")
    before = {
        "role": assignment.role,
        "region": assignment.region.code,
        "department": assignment.department_id,
    }
    user = assignment.user
    assignment.delete()
    audit_record(actor=actor, action="role.revoke", obj=user, before=before)


@transaction.atomic
def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """Issue a token for the actor's own machine client; the plain key is shown once."""
    key = "jf_" + secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="api_token.create", obj=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        require_manage(actor, token.user.home_region, "user")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoke", obj=token)
    return token


# Role settings: a region's own capability set for a role -------------------------------------------------------


def _check_role_setting(*, region: Region, role: str, capabilities: list[str]) -> frozenset[str]:
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色“{role}”。"})
    if role in FIXED_ROLES:
        raise PermissionDenied(
            f"“{Role(role).label}”的权限不能在本地调整（任何人都不能扩大自己角色的权限）。"
        )
    if region.level > Level.COUNTY:
        raise ValidationError({"region": "角色权限只能由县级及以上区划设置。"})
    unknown = [c for c in capabilities if c not in Capability.values]
    if unknown:
        raise ValidationError({"capabilities": f"未知权限：{'、'.join(unknown)}。"})
    chosen = frozenset(capabilities)
    for capability, only_role in RESERVED_CAPABILITIES.items():
        if capability in chosen and role != only_role:
            raise ValidationError(
                {
                    "capabilities": f"“{Capability(capability).label}”只能由{Role(only_role).label}"
                    f"担任（三员分立），不能授予{Role(role).label}。"
                }
            )
    if role in NARROW_ONLY_ROLES and not chosen <= capabilities_of(role):
        extra = "、".join(Capability(c).label for c in sorted(chosen - capabilities_of(role)))
        raise ValidationError(
            {"capabilities": f"{Role(role).label}不改动业务数据，只能减少权限，不能增加：{extra}。"}
        )
    return chosen


@transaction.atomic
def role_setting_save(
    *, actor, region: Region, role: str, capabilities: list[str], reason: str, version: int | None = None
) -> RoleSetting:
    """Set the region's own capability set for a role, in force in its subtree (a county giving grid command to
    its 综治中心 without lists and admission, say). ``version`` guards against a concurrent edit."""
    require_manage(actor, region)
    chosen = _check_role_setting(region=region, role=role, capabilities=capabilities)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整理由。"})
    setting = RoleSetting.objects.select_for_update().filter(region=region, role=role).first()
    before = sorted(setting.capabilities) if setting else None
    if setting is None:
        if version not in (None, 0):
            raise StaleWriteError("该角色的权限设置")
        setting = RoleSetting(region=region, role=role)
    elif version is not None and version != setting.version:
        raise StaleWriteError("该角色的权限设置")
    else:
        setting.version += 1
    setting.capabilities, setting.reason, setting.updated_by = sorted(chosen), reason, actor
    setting.full_clean()
    setting.save()
    audit_record(
        actor=actor,
        action="role.capabilities_set",
        obj=setting,
        before={"capabilities": before},
        after={"capabilities": setting.capabilities, "reason": reason},
    )
    return setting


@transaction.atomic
def role_setting_reset(*, actor, region: Region, role: str) -> None:
    """Drop the region's own setting: the role falls back to the setting above, else the seed."""
    require_manage(actor, region)
    setting = RoleSetting.objects.select_for_update().filter(region=region, role=role).first()
    if setting is None:
        raise ValidationError({"role": "本区划没有调整该角色的权限，无需恢复。"})
    before = sorted(setting.capabilities)
    audit_record(actor=actor, action="role.capabilities_reset", obj=setting, before={"capabilities": before})
    setting.delete()


# Region settings: the numbers a region chooses, as dated versions -----------------------------------------------


def _check_effective_from(spec, region: Region, effective_from) -> None:
    """A version dated in the past would change what was computed since then; refused when that is closed."""
    if not isinstance(effective_from, date):
        raise ValidationError({"effective_from": "请填写生效日期。"})
    today = timezone.localdate()
    if effective_from >= today:
        return
    if spec.closed is None:
        raise ValidationError(
            {"effective_from": f"「生效日期」不能早于今天：「{spec.label}」已用于办结的事项，不能追溯调整。"}
        )
    closed = spec.closed(region, effective_from)
    if closed:
        raise ValidationError(
            {
                "effective_from": f"「生效日期」{effective_from:%Y-%m-%d} 早于已办结的结果（{closed}），"
                f"追溯调整会改变这些结果；请改为今天或以后。"
            }
        )


@transaction.atomic
def region_setting_set(
    *, actor, region: Region, key: str, value, effective_from: date, reason: str
) -> RegionSetting:
    """Add a version of a setting for the region (county or above), in force in its subtree from
    ``effective_from``. Refused, naming the field: a value of the wrong type or out of bounds, weights not summing
    to 100%, a maximum below the minimum, a date in the past that would change closed results."""
    if actor is not None:
        access.require(actor, Capability.REGION_SETTINGS, region, message="您没有调整本地区设置的权限。")
    if region.level > Level.COUNTY:
        raise ValidationError({"region": "设置只能由县级及以上区划调整，乡镇和村（社区）沿用所在县的设置。"})
    spec = region_settings.spec_of(key)
    cleaned = region_settings.clean_value(spec, value)
    _check_effective_from(spec, region, effective_from)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整理由。"})
    Region.objects.select_for_update(of=("self",)).get(pk=region.pk)  # one writer per region at a time
    before = region_settings.setting_in_force(region, key, effective_from)
    row = RegionSetting(
        region=region, key=key, value=cleaned, effective_from=effective_from, changed_by=actor, reason=reason
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="region_setting.set",
        obj=row,
        before={"key": key, "value": before.value, "source": before.source},
        after={"key": key, "value": cleaned, "effective_from": effective_from.isoformat(), "reason": reason},
        region_code=region.code,
    )
    return row
