"""Roles and what each may do. A role is granted on a region and covers its subtree."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    COMMITTEE_OFFICE = "committee_office", "准入审核委员会办公室"
    COMMITTEE_CHAIR = "committee_chair", "准入审核委员会主任"
    COMMITTEE_MEMBER = "committee_member", "准入审核委员会成员单位"
    DEPARTMENT = "department", "职能部门"
    TOWNSHIP = "township", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"
    MONITOR = "monitor", "减负监测员"
    INSPECTOR = "inspector", "纪检监察（审计员）"
    GRID_WORKER = "grid_worker", "网格员"


class Capability(models.TextChoices):
    ORGS_VIEW = "orgs.view", "查看组织架构"
    ORGS_MANAGE = "orgs.manage", "维护区划、部门和用户"
    AUDIT_VIEW = "audit.view", "查阅审计日志"
    CATALOG_MANAGE = "catalog.manage", "维护和发布清单"


# Separation of duties (三员分立): the administrator maintains the tree but cannot read or touch the
# audit trail; the inspector reads the audit trail but changes no business data.
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({Capability.ORGS_VIEW, Capability.ORGS_MANAGE}),
    Role.INSPECTOR: frozenset({Capability.ORGS_VIEW, Capability.AUDIT_VIEW}),
    # The review committee's office (县民政局) keeps the lists; the county government approves them.
    Role.COMMITTEE_OFFICE: frozenset({Capability.ORGS_VIEW, Capability.CATALOG_MANAGE}),
}
DEFAULT_CAPABILITIES = frozenset({Capability.ORGS_VIEW})

# Roles that act for a department rather than for a region.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT, Role.COMMITTEE_MEMBER})


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, DEFAULT_CAPABILITIES)
