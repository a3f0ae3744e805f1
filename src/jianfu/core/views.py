"""The public landing page and each role's home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from jianfu.audit.selectors import recent_for_home
from jianfu.core import pagecache, registry
from jianfu.orgs import access
from jianfu.orgs import selectors as orgs_selectors
from jianfu.orgs.models import Level
from jianfu.orgs.roles import Capability, Role
from jianfu.orgs.selectors import region_children, scope_summary

# What each role comes here to do, in the words of the documents; modules not yet built say so.
ROLE_DUTIES = {
    Role.ADMIN: [
        "维护行政区划、部门单位和用户账号",
        "为用户授予角色并指定管辖区划",
        "批量导入、导出组织架构（Excel）",
    ],
    Role.COMMITTEE_OFFICE: [
        "受理部门的村（社区）工作事项准入、变更、退出申请",
        "组织成员单位会议审核",
        "制发工作告知单并备案",
        "维护基础数据指标和年度填报表格清单规则，审批督查检查考核计划",
        "设立减负监测点、指定监测员，组织专项行动和联席会议",
    ],
    Role.COMMITTEE_CHAIR: ["审定准入申请（普通程序）", "主持成员单位会议"],
    Role.COMMITTEE_MEMBER: ["对准入申请出具本单位审核意见"],
    Role.DEPARTMENT: [
        "需要村（社区）协助的新工作，先提出准入申请（费随事转）",
        "本部门表格纳入年度填报表格清单",
        "报送年度督查检查考核计划，计划外不到村开展",
        "办理分拨来的网格事件，对被通报问题整改",
    ],
    Role.TOWNSHIP: [
        "统筹辖区村（社区）工作事项",
        "审核锁定村（社区）基础数据",
        "每年对村（社区）开展以群众满意度为主的综合考评",
        "综治中心分拨网格事件，组织跨社区协商",
    ],
    Role.VILLAGE: [
        "按清单履职：自治事项、协助事项",
        "清单外的任务可拒绝，并可直接反映问题线索",
        "依清单出具证明",
        "基础数据一次录入，报表由平台共享填报",
        "组织协商议事",
    ],
    Role.MONITOR: ["记录到达村（社区）的会议、检查、报表等负担事项", "标记违反准入制度的事项"],
    Role.INSPECTOR: ["查阅审计日志，核验其完整性", "受理问题线索，对违规下派任务的单位通报整改"],
    Role.GRID_WORKER: ["上报网格事件并跟踪办理", "非网格工作可一键反映为负担事件"],
}

# The modules whose card carries a role's main actions: shown right under 现在要办, before everything else.
ROLE_FIRST = {
    Role.MONITOR: ["monitoring"],
    Role.GRID_WORKER: ["grid", "monitoring"],
    Role.INSPECTOR: ["monitoring", "supervision"],
    Role.TOWNSHIP: ["forms", "supervision"],
}


# Each role's two or three main actions, shown as buttons right under 现在要办: (label, URL name, query,
# the capability the target page checks). A button shows only when the user holds that capability; the
# department, the administrator and the inspector keep theirs in their own panels (home_<role>.html).
C = Capability
ROLE_ACTIONS = {
    Role.VILLAGE: [
        ("核对交办任务", "admission:check", "", C.WORK_DECLINE),
        ("开具证明", "certificates:index", "", C.CERTIFICATES_ISSUE),
        ("填报一张表", "forms:tasks", "?status=open", C.FORMS_ENTER),
    ],
    Role.TOWNSHIP: [
        ("审核村（社区）基础数据", "forms:index", "", C.FORMS_REVIEW),
        ("分拨网格事件", "grid:index", "?status=reported", C.GRID_MANAGE),
        ("录入经费人员到位情况", "admission:funding", "", C.FUNDING_ENTER),
    ],
    Role.MONITOR: [
        ("记录负担事件", "monitoring:event_new", "", C.MONITORING_RECORD),
        ("提交定期报告", "monitoring:returns", "", C.MONITORING_RECORD),
    ],
    Role.GRID_WORKER: [
        ("上报事件", "grid:report", "", C.GRID_REPORT),
        ("不是网格工作？一键反映", "grid:burden", "", C.GRID_REPORT),
    ],
    Role.COMMITTEE_OFFICE: [
        ("受理准入申请", "admission:index", "?status=submitted", C.ADMISSION_REVIEW),
        ("维护清单", "catalog:index", "", C.CATALOG_MANAGE),
        ("设立监测点", "monitoring:points", "", C.MONITORING_MANAGE),
    ],
    Role.COMMITTEE_CHAIR: [
        ("核准准入申请", "admission:index", "?status=decision", C.ADMISSION_DECIDE),
        ("减负监测看板", "monitoring:dashboard", "", C.MONITORING_VIEW),
        ("费随事转报告", "admission:funding_report", "", C.FUNDING_VIEW),
    ],
}
del C


def main_actions(user, role) -> list[tuple[str, str]]:
    """The role's main actions the user may take, as (label, url); an app not installed shows none."""
    actions = []
    for label, name, query, capability in ROLE_ACTIONS.get(role, []):
        if not access.may(user, capability):
            continue
        try:
            actions.append((label, reverse(name) + query))
        except NoReverseMatch:
            continue
    return actions


def _lead_cards(cards: list[dict], role) -> tuple[list[dict], list[dict]]:
    first = ROLE_FIRST.get(role, [])
    lead = sorted((c for c in cards if c["app"] in first), key=lambda c: first.index(c["app"]))
    return lead, [c for c in cards if c["app"] not in first]


def _role_context(user, role, assignment) -> dict:
    """What each role's home page shows beyond the common summary."""
    context = {}
    if role in (Role.COMMITTEE_OFFICE, Role.COMMITTEE_CHAIR, Role.COMMITTEE_MEMBER):
        context["member_units"] = orgs_selectors.member_units(user)
    if role in (Role.DEPARTMENT, Role.COMMITTEE_MEMBER):
        context["colleagues"] = orgs_selectors.colleagues(user)
    if role == Role.TOWNSHIP and assignment.region.level == Level.TOWNSHIP:
        context["villages"] = orgs_selectors.villages_with_cadres(user, assignment.region)
    if role in (Role.VILLAGE, Role.GRID_WORKER):
        context["my_region"] = assignment.region
        context["region_path"] = list(assignment.region.ancestors())
    return context


def landing(request):
    """The front page: a signed-in person goes home; anyone else gets the one shared rendering (core.pagecache),
    which has no data in it, so its version is the code's release alone."""
    if not pagecache.shared(request) and request.user.is_authenticated:
        return redirect("home")
    return pagecache.public_page(
        request, name="landing", version=(), template="core/landing.html", context=dict
    )


def public_home(request):
    """The residents' front door (no login, phone first): every public service of the platform in one place."""
    return render(request, "core/public.html")


@login_required
def home(request):
    user = request.user
    assignment = user.primary_assignment
    role = assignment.role if assignment else None
    context = {
        "assignment": assignment,
        "assignments": user.role_assignments.select_related("region", "department"),
        "role": role,
        "duties": ROLE_DUTIES.get(role, []),
        "summary": scope_summary(user),
    }
    if assignment and role not in (Role.DEPARTMENT, Role.COMMITTEE_MEMBER):
        context["children"] = region_children(user, assignment.region)[:30]
    if user.has_capability("audit.view"):
        context["recent_audit"] = recent_for_home(user)
    context.update(_role_context(user, role, assignment))
    for name, build in registry.HOME_SECTIONS.items():
        context[name] = build(user) if assignment else None
    context["lead_cards"], context["app_cards"] = _lead_cards(
        registry.home_cards(user) if assignment else [], role
    )
    context["home_tasks"] = registry.home_tasks(user) if assignment else []
    context["main_actions"] = main_actions(user, role) if assignment else []
    template = f"core/home_{role}.html" if role else "core/home_none.html"
    return render(request, [template, "core/home.html"], context)
