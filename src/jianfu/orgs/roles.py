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
    ADMISSION_APPLY = "admission.apply", "提出准入、变更、退出申请"
    ADMISSION_REVIEW = "admission.review", "受理、初审准入申请，组织会议，制发告知单"
    ADMISSION_DECIDE = "admission.decide", "核准准入申请"
    ADMISSION_OPINE = "admission.opine", "出具审核意见"
    WORK_DECLINE = "work.decline", "签收告知单，拒绝未经准入的工作"
    CERTIFICATES_ISSUE = "certificates.issue", "出具证明、登记不予出具和告知承诺"
    CERTIFICATES_VIEW = "certificates.view", "查看证明出具记录和统计"


# Separation of duties (三员分立): the administrator maintains the tree but cannot read or touch the
# audit trail; the inspector reads the audit trail but changes no business data.
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({Capability.ORGS_VIEW, Capability.ORGS_MANAGE}),
    Role.INSPECTOR: frozenset({Capability.ORGS_VIEW, Capability.AUDIT_VIEW}),
    # The review committee's office (县民政局) keeps the lists; the county government approves them.
    Role.COMMITTEE_OFFICE: frozenset(
        {Capability.ORGS_VIEW, Capability.CATALOG_MANAGE, Capability.ADMISSION_REVIEW}
    ),
    # The committee's director is the county deputy party secretary (seed 003 art. 3), who also approves
    # special urgent items (seed 004).
    Role.COMMITTEE_CHAIR: frozenset({Capability.ORGS_VIEW, Capability.ADMISSION_DECIDE}),
    Role.COMMITTEE_MEMBER: frozenset(
        {Capability.ORGS_VIEW, Capability.ADMISSION_OPINE, Capability.ADMISSION_APPLY}
    ),
    Role.DEPARTMENT: frozenset({Capability.ORGS_VIEW, Capability.ADMISSION_APPLY}),
    Role.TOWNSHIP: frozenset({Capability.ORGS_VIEW, Capability.ADMISSION_OPINE, Capability.WORK_DECLINE}),
    Role.VILLAGE: frozenset({Capability.ORGS_VIEW, Capability.WORK_DECLINE}),
}
DEFAULT_CAPABILITIES = frozenset({Capability.ORGS_VIEW})

# Certificates (证明事项): the village issues; the levels above it, the monitor and the inspector see the records
# and statistics (ID numbers masked; only the issuing village and the inspector may see them in full).
CERTIFICATE_VIEWERS = (Role.VILLAGE, Role.TOWNSHIP, Role.COMMITTEE_OFFICE, Role.COMMITTEE_CHAIR, Role.MONITOR,
                       Role.INSPECTOR)  # fmt: skip
for _role in CERTIFICATE_VIEWERS:
    CAPABILITIES[_role] = CAPABILITIES.get(_role, DEFAULT_CAPABILITIES) | {Capability.CERTIFICATES_VIEW}
CAPABILITIES[Role.VILLAGE] |= {Capability.CERTIFICATES_ISSUE}

# Roles that act for a department rather than for a region.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT, Role.COMMITTEE_MEMBER})


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, DEFAULT_CAPABILITIES)
