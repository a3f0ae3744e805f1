"""The main menu, built from what the user may do (orgs.access.may): an entry shows only when one of its
capabilities is held, so nobody is offered a page that answers 403. Capabilities are the floor's (orgs.roles);
the entries name URLs, so the floor imports no domain app."""

from dataclasses import dataclass, field

from django.urls import reverse

from jianfu.orgs import access
from jianfu.orgs.roles import Capability as C


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    capabilities: tuple[str, ...]  # any one opens the entry; empty: every signed-in user
    section: str = ""  # the URL namespace that marks it active
    match: str = ""  # for orgs: a word of the URL name (region/department/user)
    group: str = ""  # entries sharing a group fold into one dropdown when more than one is shown


@dataclass
class Item:
    label: str
    url: str = ""
    section: str = ""
    match: str = ""
    url_name: str = ""
    children: list = field(default_factory=list)
    active: bool = False


MENU = (
    Entry("清单", "catalog:index", (), "catalog"),
    Entry(
        "准入",
        "admission:index",
        (C.ADMISSION_APPLY, C.ADMISSION_REVIEW, C.ADMISSION_DECIDE, C.ADMISSION_OPINE, C.WORK_DECLINE),
        "admission",
    ),
    Entry("证明", "certificates:index", (C.CERTIFICATES_ISSUE, C.CERTIFICATES_VIEW), "certificates"),
    Entry(
        "一张表",
        "forms:index",
        (C.FORMS_MANAGE, C.FORMS_REVIEW, C.FORMS_REGISTER, C.FORMS_ENTER, C.FORMS_VIEW),
        "forms",
    ),
    Entry("网格事件", "grid:index", (C.GRID_VIEW,), "grid"),
    Entry(
        "监测",
        "monitoring:index",
        (
            C.MONITORING_VIEW,
            C.MONITORING_RECORD,
            C.MONITORING_REPORT,
            C.MONITORING_PUBLISH,
            C.MONITORING_MANAGE,
            C.MONITORING_RECTIFY,
        ),
        "monitoring",
    ),
    Entry(
        "督查检查与牌子",
        "supervision:index",
        (C.SUPERVISION_VIEW, C.SUPERVISION_PLAN, C.SUPERVISION_APPROVE, C.SUPERVISION_RECORD),
        "supervision",
        group="治理",
    ),
    Entry(
        "专项行动与考评",
        "campaign:index",
        (C.CAMPAIGN_VIEW, C.CAMPAIGN_MANAGE, C.CAMPAIGN_REPORT, C.EVALUATION_MANAGE, C.EVALUATION_SCORE),
        "campaign",
        group="治理",
    ),
    Entry("协商议事", "consultation:index", (C.CONSULTATION_VIEW,), "consultation", group="治理"),
    Entry("行政区划", "orgs:region_list", (C.ORGS_VIEW,), "orgs", "region", group="组织"),
    Entry("部门单位", "orgs:department_list", (C.ORGS_VIEW,), "orgs", "department", group="组织"),
    Entry("用户", "orgs:user_list", (C.ORGS_VIEW,), "orgs", "user", group="组织"),
    Entry(
        "地区设置", "orgs:settings_index", (C.ORGS_VIEW, C.REGION_SETTINGS), "orgs", "setting", group="组织"
    ),
    Entry("导入导出", "orgs:import", (C.ORGS_MANAGE,), "orgs", "import", group="组织"),
    Entry("定时作业", "jobs:index", (C.ORGS_MANAGE,), "jobs", group="组织"),
    Entry("审计日志", "audit:list", (C.AUDIT_VIEW,), "audit"),
)


def shown(user, entry: Entry) -> bool:
    return user.is_authenticated and (
        not entry.capabilities or any(access.may(user, c) for c in entry.capabilities)
    )


def _active(entry: Entry, namespace: str, url_name: str) -> bool:
    return bool(entry.section) and namespace == entry.section and (not entry.match or entry.match in url_name)


def menu_for(user, namespace: str = "", url_name: str = "") -> list[Item]:
    """The entries the user may use, in order; a group of two or more becomes one dropdown. ``namespace`` and
    ``url_name`` (the page being shown) mark the active entry."""
    items: list[Item] = []
    groups: dict[str, Item] = {}
    for entry in MENU:
        if not shown(user, entry):
            continue
        item = Item(entry.label, reverse(entry.url_name), entry.section, entry.match, entry.url_name)
        item.active = _active(entry, namespace, url_name)
        if not entry.group:
            items.append(item)
        elif entry.group in groups:
            groups[entry.group].children.append(item)
            groups[entry.group].active |= item.active
        else:
            groups[entry.group] = Item(entry.group, children=[item], active=item.active)
            items.append(groups[entry.group])
    return [i.children[0] if len(i.children) == 1 else i for i in items]
