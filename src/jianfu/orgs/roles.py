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
    # The county's grid command centre (综治中心, kept by the political-legal committee's 综治办): grid work only.
    GRID_COMMAND = "grid_command", "网格化服务管理指挥中心"


class Capability(models.TextChoices):
    ORGS_VIEW = "orgs.view", "查看组织架构"
    ORGS_MANAGE = "orgs.manage", "维护区划、部门和用户"
    AUDIT_VIEW = "audit.view", "查阅审计日志"
    REGION_SETTINGS = "orgs.settings", "调整本地区的办理时限、考评权重、配备标准等设置"
    CATALOG_MANAGE = "catalog.manage", "维护和发布清单"
    CATALOG_CARD = "catalog.card", "为本部门交办的协助、承办事项建立办理流程（流程卡）"
    ADMISSION_APPLY = "admission.apply", "提出准入、变更、退出申请"
    ADMISSION_REVIEW = "admission.review", "受理、初审准入申请，组织会议，制发告知单"
    ADMISSION_DECIDE = "admission.decide", "核准准入申请"
    ADMISSION_OPINE = "admission.opine", "出具审核意见"
    WORK_DECLINE = "work.decline", "签收告知单，拒绝未经准入的工作"
    # 费随事转
    FUNDING_LEDGER = "funding.ledger", "建立本部门交办事项的经费和人员台账，填报经费和人员保障情况梳理表"
    FUNDING_ENTER = "funding.enter", "录入经费、人员到各村（社区）的到位情况"
    FUNDING_CONFIRM = "funding.confirm", "确认本村（社区）经费、人员到位情况或提出异议"
    FUNDING_REVIEW = "funding.review", "受理部门梳理表，查看经费和人员未落实的事项"
    FUNDING_VIEW = "funding.view", "查看费随事转台账和报告"
    CERTIFICATES_ISSUE = "certificates.issue", "出具证明、登记不予出具和告知承诺"
    CERTIFICATES_VIEW = "certificates.view", "查看证明出具记录和统计"
    # 一张表
    FORMS_MANAGE = "forms.manage", "维护基础指标、校验规则、填报表格清单规则和工作群（APP）台账"
    FORMS_REVIEW = "forms.review", "审核锁定基础数据，审定报表进入年度填报表格清单"
    FORMS_REGISTER = "forms.register", "登记部门报表、导出报表、登记本部门工作群和APP"
    FORMS_ENTER = "forms.enter", "录入本村（社区）基础数据，确认或更正共享数据，填报新增字段"
    FORMS_VIEW = "forms.view", "查看基础数据、报表清单和清理成效"
    # 督查检查考核、机制牌子
    SUPERVISION_PLAN = "supervision.plan", "报送年度督查检查考核计划，登记本部门工作机制"
    SUPERVISION_APPROVE = "supervision.approve", "审批年度督查检查考核计划，维护牌子标准"
    SUPERVISION_RECORD = "supervision.record", "登记到村督查检查、机制和牌子，记录摘除"
    SUPERVISION_VIEW = "supervision.view", "查看督查检查计划、到村记录和牌子清理情况"
    # 减负监测
    MONITORING_MANAGE = "monitoring.manage", "设立监测点、指定监测员"
    MONITORING_RECORD = "monitoring.record", "在所服务的监测点记录负担事件，确认整改"
    MONITORING_REPORT = "monitoring.report", "反映问题线索（可匿名）"
    MONITORING_PUBLISH = "monitoring.publish", "受理问题线索，起草和发布通报"
    MONITORING_RECTIFY = "monitoring.rectify", "对被通报问题报告整改"
    MONITORING_VIEW = "monitoring.view", "查看负担事件、违规情况和看板"
    # 专项行动与考评
    CAMPAIGN_MANAGE = "campaign.manage", "维护专项行动、任务分工和联席会议"
    CAMPAIGN_REPORT = "campaign.report", "报送牵头任务的进展"
    CAMPAIGN_VIEW = "campaign.view", "查看专项行动台账"
    EVALUATION_MANAGE = "evaluation.manage", "组织考评（村和社区、派驻机构属地评价、乡镇分类、社区工作者）"
    EVALUATION_SCORE = "evaluation.score", "对派驻机构履行法定职责评分"
    # 协商议事
    CONSULTATION_MANAGE = "consultation.manage", "受理群众意见，组织协商议事"
    CONSULTATION_VIEW = "consultation.view", "查看协商议事记录"
    # 网格化服务管理
    GRID_MANAGE = "grid.manage", "划分网格、配备网格员，指挥中心分拨、核查和结案"
    GRID_REPORT = "grid.report", "上报网格事件"
    GRID_HANDLE = "grid.handle", "受理、处置分拨来的网格事件"
    GRID_VIEW = "grid.view", "查看网格事件和统计"
    # 全国汇总（联邦）: at the national instance, each province's deployment pushes its signed monthly rollup
    FEDERATION_VIEW = "federation.view", "查看各省报送的月度汇总和全国看板"
    FEDERATION_MANAGE = "federation.manage", "登记省级部署及其签名公钥"


# Separation of duties (三员分立): the administrator maintains the tree but cannot read or touch the
# audit trail; the inspector reads the audit trail but changes no business data.
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({Capability.ORGS_VIEW, Capability.ORGS_MANAGE}),
    Role.INSPECTOR: frozenset({Capability.ORGS_VIEW, Capability.AUDIT_VIEW}),
    # The review committee's office (县民政局) keeps the lists; the county government approves them.
    # It also keeps the region's own numbers (区划设置: time limits, weights, staffing standards).
    Role.COMMITTEE_OFFICE: frozenset(
        {
            Capability.ORGS_VIEW,
            Capability.CATALOG_MANAGE,
            Capability.ADMISSION_REVIEW,
            Capability.REGION_SETTINGS,
        }
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
CERTIFICATE_VIEWERS = (
    Role.VILLAGE,
    Role.TOWNSHIP,
    Role.COMMITTEE_OFFICE,
    Role.COMMITTEE_CHAIR,
    Role.MONITOR,
    Role.INSPECTOR,
)
for _role in CERTIFICATE_VIEWERS:
    CAPABILITIES[_role] = CAPABILITIES.get(_role, DEFAULT_CAPABILITIES) | {Capability.CERTIFICATES_VIEW}
CAPABILITIES[Role.VILLAGE] |= {Capability.CERTIFICATES_ISSUE}


def _grant(roles, *capabilities) -> None:
    for role in roles:
        CAPABILITIES[role] = CAPABILITIES.get(role, DEFAULT_CAPABILITIES) | set(capabilities)


R, C = Role, Capability
# 一张表: the county office keeps the indicators and the rules; townships lock periods and approve forms;
# departments register forms; villages enter each fact once.
_grant([R.COMMITTEE_OFFICE], C.FORMS_MANAGE, C.FORMS_REVIEW, C.FORMS_VIEW)
_grant([R.TOWNSHIP], C.FORMS_REVIEW, C.FORMS_VIEW)
_grant([R.DEPARTMENT, R.COMMITTEE_MEMBER], C.FORMS_REGISTER, C.FORMS_VIEW)
_grant([R.VILLAGE], C.FORMS_ENTER, C.FORMS_VIEW)
_grant([R.COMMITTEE_CHAIR, R.MONITOR, R.INSPECTOR], C.FORMS_VIEW)
# 谁交办任务、谁建立流程: the assigning department writes the process card; the office (catalog.manage) accepts it.
_grant([R.DEPARTMENT, R.COMMITTEE_MEMBER], C.CATALOG_CARD)
# 费随事转: the department promises, the township enters what arrived, the village confirms, the office reviews.
_grant([R.DEPARTMENT, R.COMMITTEE_MEMBER], C.FUNDING_LEDGER)
_grant([R.TOWNSHIP], C.FUNDING_ENTER)
_grant([R.VILLAGE], C.FUNDING_CONFIRM)
_grant([R.COMMITTEE_OFFICE], C.FUNDING_REVIEW)
_grant([R.COMMITTEE_CHAIR, R.INSPECTOR], C.FUNDING_VIEW)
# Supervision: departments plan, the county approves, the village records what arrives.
_grant([R.DEPARTMENT, R.COMMITTEE_MEMBER], C.SUPERVISION_PLAN, C.SUPERVISION_VIEW)
_grant([R.COMMITTEE_OFFICE], C.SUPERVISION_APPROVE, C.SUPERVISION_VIEW)
_grant([R.VILLAGE, R.TOWNSHIP, R.MONITOR], C.SUPERVISION_RECORD, C.SUPERVISION_VIEW)
_grant([R.COMMITTEE_CHAIR, R.INSPECTOR], C.SUPERVISION_VIEW)
# Monitoring: the office designates, monitors record, anyone at a village reports, the inspector publishes.
_grant([R.COMMITTEE_OFFICE], C.MONITORING_MANAGE, C.MONITORING_VIEW)
_grant([R.MONITOR], C.MONITORING_RECORD, C.MONITORING_REPORT, C.MONITORING_VIEW)
_grant([R.VILLAGE, R.GRID_WORKER], C.MONITORING_REPORT)
_grant([R.INSPECTOR], C.MONITORING_PUBLISH, C.MONITORING_VIEW)
_grant([R.DEPARTMENT, R.COMMITTEE_MEMBER], C.MONITORING_RECTIFY)
_grant([R.TOWNSHIP, R.VILLAGE, R.COMMITTEE_CHAIR], C.MONITORING_VIEW)
# Campaigns and evaluation.
_grant([R.COMMITTEE_OFFICE], C.CAMPAIGN_MANAGE, C.CAMPAIGN_REPORT, C.CAMPAIGN_VIEW, C.EVALUATION_MANAGE)
_grant([R.DEPARTMENT, R.COMMITTEE_MEMBER], C.CAMPAIGN_REPORT, C.CAMPAIGN_VIEW, C.EVALUATION_SCORE)
_grant([R.TOWNSHIP], C.CAMPAIGN_REPORT, C.CAMPAIGN_VIEW, C.EVALUATION_MANAGE)
_grant([R.COMMITTEE_CHAIR, R.INSPECTOR, R.MONITOR], C.CAMPAIGN_VIEW)
# Consultation: the community (its party organisation) convenes; the township convenes across communities.
_grant([R.VILLAGE, R.TOWNSHIP], C.CONSULTATION_MANAGE, C.CONSULTATION_VIEW)
_grant([R.COMMITTEE_OFFICE, R.INSPECTOR], C.CONSULTATION_VIEW)
# Grid: the township's 综治中心 and the county command centre (kept by the civil-affairs office) dispatch.
_grant([R.TOWNSHIP, R.COMMITTEE_OFFICE, R.GRID_COMMAND], C.GRID_MANAGE, C.GRID_VIEW)
_grant([R.GRID_WORKER, R.VILLAGE], C.GRID_REPORT, C.GRID_VIEW)
_grant([R.DEPARTMENT, R.COMMITTEE_MEMBER], C.GRID_HANDLE, C.GRID_VIEW)
_grant([R.INSPECTOR, R.COMMITTEE_CHAIR], C.GRID_VIEW)
# Federation: the national instance's offices read the provinces' rollups; its administrator registers the keys.
_grant([R.COMMITTEE_OFFICE, R.COMMITTEE_CHAIR, R.INSPECTOR], C.FEDERATION_VIEW)
_grant([R.ADMIN], C.FEDERATION_MANAGE)
del R, C

# Roles that act for a department rather than for a region.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT, Role.COMMITTEE_MEMBER})


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, DEFAULT_CAPABILITIES)


# These are the platform's seed. A county (or a prefecture or province) may set its own capability set for a role
# (orgs.RoleSetting, edited on /orgs/roles/), in force in its subtree. Whatever it sets, separation of duties holds:
# only the administrator keeps accounts, only the inspector reads the audit trail, the inspector gains no
# capability beyond its seed (it changes no business data), and the administrator's own role is not editable
# (nobody widens their own rights).
RESERVED_CAPABILITIES = {Capability.ORGS_MANAGE: Role.ADMIN, Capability.AUDIT_VIEW: Role.INSPECTOR}
FIXED_ROLES = frozenset({Role.ADMIN})
NARROW_ONLY_ROLES = frozenset({Role.INSPECTOR})
