"""Who may see what: the one place that turns a user's role assignments into scopes.

A role granted on a region covers that region's subtree. Department roles (职能部门, 审核委员会成员单位) act for
their department, not for the region it sits in: they contribute department ids, never a region subtree. Every
app's ``visible_to`` and every "may this user…" question reads its scope from here, so the rule is written once.
"""

from __future__ import annotations

from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from .models import ancestor_codes_of, subtree_q
from .roles import DEPARTMENT_ROLES, Capability


def assignments(user) -> list:
    """The user's role assignments (cached on the user object for the request)."""
    if not user.is_authenticated:
        return []
    return user._assignments()


def _holds(assignment, capabilities) -> bool:
    return bool(set(capabilities) & assignment.capabilities)


def region_assignments(user, *capabilities: str) -> list:
    """Region-role assignments carrying any of the capabilities."""
    return [a for a in assignments(user) if a.role not in DEPARTMENT_ROLES and _holds(a, capabilities)]


def region_prefixes(user, *capabilities: str) -> list[str]:
    """Prefixes of the regions whose subtree the user acts on with any of the capabilities."""
    return [a.region.prefix for a in region_assignments(user, *capabilities)]


def regions(user, *capabilities: str) -> list:
    """The regions (not their subtrees) the user holds a region role on with any of the capabilities."""
    return [a.region for a in region_assignments(user, *capabilities)]


def department_ids(user, *capabilities: str) -> list[int]:
    """Departments the user acts for with any of the capabilities."""
    return [a.department_id for a in assignments(user) if a.department_id and _holds(a, capabilities)]


def subtree(user, field: str, *capabilities: str) -> Q:
    """Records whose region code (``field``) lies under a region the user acts on."""
    return subtree_q(region_prefixes(user, *capabilities), field)


def ancestors_of(codes) -> set[str]:
    """Codes of the given regions and every region above them."""
    return {above for code in codes for above in ancestor_codes_of(code)}


def subtree_and_above(user, field: str, *capabilities: str) -> Q:
    """The user's subtree and the regions above it: a township sees the county's records that reach its villages,
    and its own villages' records."""
    prefixes = region_prefixes(user, *capabilities)
    above = {p[:n].ljust(12, "0") for p in prefixes for n in (2, 4, 6, 9) if n < len(p)}
    return subtree_q(prefixes, field) | Q(**{f"{field}__in": above})


def anchor_codes(user, *capabilities: str) -> list[str]:
    """Region codes the user stands on with the capabilities (for a department role, the department's region)."""
    return [
        (a.department.region if a.department_id else a.region).code
        for a in assignments(user)
        if _holds(a, capabilities)
    ]


def up_and_down(user, field: str, *capabilities: str) -> Q:
    """Regions at or above where the user stands, and the subtree of a region role: a township sees the county's
    campaign it takes part in; a department sees its county's."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    codes = anchor_codes(user, *capabilities)
    return Q(**{f"{field}__in": ancestors_of(codes)}) | subtree(user, field, *capabilities)


def rules_over(user, field: str) -> Q:
    """Regions whose rules apply to the user's work: at or above where any of their roles stands, and the subtrees
    of their region roles (a village cadre reads its county's settings; a county office its townships')."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    codes = [(a.department.region if a.department_id else a.region).code for a in assignments(user)]
    return Q(**{f"{field}__in": ancestors_of(codes)}) | visible_subtree(user, field)


def visible_subtree(user, field: str) -> Q:
    """Records under any region role of the user, whatever its capabilities (the user's own scope)."""
    return subtree_q(user.scope_prefixes(), field) if user.is_authenticated else Q(pk__in=[])


def may(user, capability: str, region=None) -> bool:
    """Whether the user holds the capability at all, or (given a region) on that region or one above it."""
    if not user.is_authenticated:
        return False
    return user.has_capability(capability) if region is None else user.can(capability, region)


def holds_role(user, *roles: str) -> bool:
    return any(a.role in roles for a in assignments(user))


class ScopedQuerySet(models.QuerySet):
    """A queryset whose ``visible_to`` is a declaration: the field holding the record's region code and the
    capabilities that open it. Subclasses with a different shape override ``visible_to`` and say why."""

    scope_field: str = "region__code"
    scope_capabilities: tuple[str, ...] = ()

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(subtree(user, self.scope_field, *self.scope_capabilities))


# The refusal a person reads when a capability is missing, written once per capability.
MESSAGES: dict[str, str] = {
    Capability.AUDIT_VIEW: "只有纪检监察（审计员）可以查阅审计日志。",
    Capability.CERTIFICATES_VIEW: "您没有查看证明出具记录的权限。",
    Capability.CONSULTATION_VIEW: "您没有查看协商议事记录的权限。",
    Capability.SUPERVISION_VIEW: "您没有查看督查检查计划和牌子清理情况的权限。",
    Capability.CAMPAIGN_VIEW: "您没有查看专项行动台账的权限。",
    Capability.CERTIFICATES_ISSUE: "只有村（社区）干部可以出具证明、登记不予出具和告知承诺。",
    Capability.CONSULTATION_MANAGE: "只有村（社区）和乡镇（街道）可以受理群众意见、组织协商。",
    Capability.GRID_VIEW: "您没有查看网格事件的权限。",
    Capability.ORGS_MANAGE: "您没有维护组织架构的权限。",
}
DEFAULT_MESSAGE = "您没有执行此操作的权限。"


def require(user, capability: str, region=None, *, message: str = "") -> None:
    """Refuse with the capability's message unless ``may(user, capability, region)``. Services call it for the
    authoritative check; views and the API call it (or ``may``) only to decide what to show. ``user=None`` is the
    system itself (CLI, data loading), already trusted with the database."""
    if user is not None and not may(user, capability, region):
        raise PermissionDenied(message or MESSAGES.get(capability, DEFAULT_MESSAGE))


def refuse(capability: str) -> NoReturn:
    """Refuse with the capability's message where a check found nothing the user may act on (no village to issue
    for, no region to convene): the same words as ``require``."""
    raise PermissionDenied(MESSAGES.get(capability, DEFAULT_MESSAGE))


def acts_at(user, capability: str, region) -> bool:
    """A role with the capability granted on this very region, not one above it: a village cadre issues for
    their own village only, and a township's convener convenes the township's consultations, not a village's."""
    return user is None or (
        user.is_authenticated and any(a.region_id == region.pk for a in region_assignments(user, capability))
    )


def require_at(user, capability: str, region, *, message: str) -> None:
    if not acts_at(user, capability, region):
        raise PermissionDenied(message)


def acts_for(user, capability: str, department) -> bool:
    """A department role with the capability for this department (its own staff)."""
    return user is None or (user.is_authenticated and department.pk in department_ids(user, capability))


def require_for(user, capability: str, department, *, message: str) -> None:
    if not acts_for(user, capability, department):
        raise PermissionDenied(message)


def own_department_ids(user) -> set[int]:
    """The departments a person belongs to: the one on their account and any they act for by a department role
    (whatever its capabilities). Pages use it to mark "mine"; rules ask ``works_in`` or ``acts_for``."""
    if user is None or not user.is_authenticated:
        return set()
    by_role = {a.department_id for a in assignments(user) if a.department_id}
    return by_role | ({user.department_id} if user.department_id else set())


def works_in(user, department) -> bool:
    """Whether the user belongs to the department: the department on their account, or one they act for by a
    department role. Separation of duties asks it: nobody approves their own department's plan or application.
    The system itself (``user=None``) belongs to no department."""
    return department is not None and department.pk in own_department_ids(user)


def require_that(allowed: bool, message: str) -> None:
    """Refuse unless a domain rule (built from the functions above) allows it: the one way to say no."""
    if not allowed:
        raise PermissionDenied(message)
