"""Reads of applications, admitted items, notices and declines, already scoped to the user."""

from django.db.models import Count, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from jianfu.core.registry import HomeTask
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .funding import selectors as funding
from .models import (
    OPEN_STATES,
    AdmittedItem,
    AllocationState,
    Application,
    Decline,
    ItemStatus,
    NoticeRecipient,
    Reminder,
    Status,
    TownshipConsult,
    WorkNotice,
)
from .services import STEP_DEFAULTS

DETAIL_RELATED = ("county", "applicant", "created_by", "related_item", "decided_by")


def applications(
    user, *, status: str = "", kind: str = "", q: str = "", overdue: bool = False, mine: bool = False
):
    rows = Application.objects.visible_to(user).select_related("county", "applicant")
    if mine:  # the user's own department's applications (a member unit also sees others')
        rows = rows.filter(applicant_id__in=user.department_ids())
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(applicant__name__icontains=q))
    if overdue:
        rows = rows.filter(status__in=OPEN_STATES, step_due_on__lt=timezone.localdate())
    return rows


def application_detail(user, pk: int) -> Application:
    return get_object_or_404(Application.objects.visible_to(user).select_related(*DETAIL_RELATED), pk=pk)


def queue_counts(user) -> dict:
    """Open applications per state and how many are overdue, for the office's dashboard."""
    rows = Application.objects.visible_to(user)
    counts = dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    overdue = rows.filter(status__in=OPEN_STATES, step_due_on__lt=timezone.localdate()).count()
    return {"by_status": [(s, Status(s).label, counts.get(s, 0)) for s in Status.values], "overdue": overdue}


def _regions_of(user) -> list[Region]:
    """The townships and villages this person acts for (their notices, their declines)."""
    return [
        a.region
        for a in access.assignments(user)
        if a.region.level >= Level.TOWNSHIP and Capability.WORK_DECLINE in a.capabilities
    ]


def items_for(user, *, include_ended: bool = False):
    """Admitted items: region roles see the items covering their region; departments their own."""
    rows = AdmittedItem.objects.select_related("county", "department", "notice")
    if not include_ended:
        rows = rows.filter(status=ItemStatus.ACTIVE)
    local = _regions_of(user)
    if user.scope_prefixes() and not local:
        return rows.filter(access.visible_subtree(user, "county__code"))
    if local:
        today = timezone.localdate()
        ids = set()
        for region in local:
            ids |= set(AdmittedItem.objects.in_force(region, today).values_list("pk", flat=True))
        return rows.filter(pk__in=ids)
    return rows.filter(department_id__in=user.department_ids())


def item_detail(user, pk: int) -> AdmittedItem:
    return get_object_or_404(items_for(user, include_ended=True), pk=pk)


def notices_for(user):
    """Notices addressed to the user's townships and villages that await their signature."""
    return (
        NoticeRecipient.objects.filter(subtree_q([r.prefix for r in _regions_of(user)], "region__code"))
        .select_related("notice__item", "region")
        .order_by("acknowledged_at", "-notice__issued_at")
    )


def unsigned(recipients):
    """The notices still waiting for a signature, of items still in force."""
    return recipients.filter(acknowledged_at__isnull=True, notice__item__status=ItemStatus.ACTIVE)


def notice_receipts(user, notice: WorkNotice):
    """Who signed a notice, as far as the reader may know: a village or township sees its own subtree's
    receipts; the county (its offices, the departments, anyone reading the item without a local role) all."""
    rows = NoticeRecipient.objects.filter(notice=notice)
    local = _regions_of(user)
    if not local or any(notice.item.county.code.startswith(p) for p in user.scope_prefixes()):
        return rows
    return rows.filter(subtree_q([r.prefix for r in local], "region__code"))


def recipient_detail(user, pk: int) -> NoticeRecipient:
    return get_object_or_404(notices_for(user), pk=pk)


def notice_detail(user, pk: int) -> WorkNotice:
    """A notice is readable by whoever may read its application, and by every recipient."""
    notice = get_object_or_404(WorkNotice.objects.select_related("item", "application__county"), pk=pk)
    visible = Application.objects.visible_to(user).filter(pk=notice.application_id).exists()
    if not visible and not notices_for(user).filter(notice=notice).exists():
        raise Http404
    return notice


def declines_for(user):
    rows = Decline.objects.select_related("region", "department", "declined_by")
    return rows.filter(
        access.visible_subtree(user, "region__code") | Q(department_id__in=user.department_ids())
    )


def decline_counts(user) -> list[tuple[str, int]]:
    """Declines per assigning unit, most first: who keeps pushing unadmitted work down."""
    rows = (
        declines_for(user)
        .values_list("department_name")
        .annotate(n=Count("id"))
        .order_by("-n", "department_name")
    )
    return list(rows)


def step_limits(county: Region | None, on=None) -> list[dict]:
    """Each step's limit in force in the county on ``on`` (default today), and where it comes from; without a
    county, the platform's defaults."""
    from .limits import step_limit_in_force

    rows = []
    for step, (label, days) in STEP_DEFAULTS.items():
        in_force = step_limit_in_force(county, step, on) if county else None
        rows.append(
            {"step": step, "label": label, "in_force": in_force, "days": in_force.value if in_force else days}
        )
    return rows


def reminders_for(user):
    return Reminder.objects.filter(user=user, read_at__isnull=True).select_related("application")


def may(user, capability: str, region: Region) -> bool:
    return user.is_authenticated and user.can(capability, region)


def review_counties(user) -> list[Region]:
    """The regions whose review office the user is (a prefecture's, a county's or a township's)."""
    return [
        a.region
        for a in access.assignments(user)
        if a.region_id
        and a.region.level in (Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP)
        and access.acts_at(user, Capability.ADMISSION_REVIEW, a.region)
    ]


def public_items(county: Region):
    """The public notice (公示): items admitted in the county and still in force."""
    today = timezone.localdate()
    return (
        AdmittedItem.objects.filter(county=county, effective_from__lte=today)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
        .exclude(status=ItemStatus.SUPERSEDED)
        .select_related("department", "notice", "county")
        .prefetch_related("scope_regions")
    )


def home_summary(user) -> dict:
    """What the home page shows of admission: the steps waiting for this person and their notices. Each count
    carries the query of the list it counts (``applications``' parameters), so the tile opens exactly those."""
    rows = Application.objects.visible_to(user)
    today = timezone.localdate()
    waiting = {}
    if user.has_capability(Capability.ADMISSION_REVIEW):
        waiting = {
            "待初审": (rows.filter(status=Status.SUBMITTED), f"status={Status.SUBMITTED}"),
            "沟通协调": (rows.filter(status=Status.COORDINATING), f"status={Status.COORDINATING}"),
            "待会议审议": (rows.filter(status=Status.MEETING), f"status={Status.MEETING}"),
        }
    if user.has_capability(Capability.ADMISSION_DECIDE):
        waiting["待核准"] = (rows.filter(status=Status.DECISION), f"status={Status.DECISION}")
    if user.has_capability(Capability.ADMISSION_APPLY):
        own = rows.filter(applicant_id__in=user.department_ids())
        waiting.update(
            {
                "本部门草稿": (own.filter(status=Status.DRAFT), f"status={Status.DRAFT}&mine=1"),
                "被退回修改": (own.filter(status=Status.RETURNED), f"status={Status.RETURNED}&mine=1"),
            }
        )
    return {
        "waiting": [(label, qs.count(), query) for label, (qs, query) in waiting.items()],
        "can_apply": user.has_capability(Capability.ADMISSION_APPLY),
        "overdue": rows.filter(status__in=OPEN_STATES, step_due_on__lt=today).count() if waiting else 0,
        "unsigned": unsigned(notices_for(user)).count(),
        "can_check": bool(_regions_of(user))
        and user.has_capability(Capability.WORK_DECLINE)
        and any(r.level == Level.VILLAGE for r in _regions_of(user)),
        "reminders": reminders_for(user).count(),
        "funding": funding.may_view(user),
    }


def home_tasks(user) -> list:
    """What waits for this person in admission, each count opening the list of exactly those records."""
    rows = Application.objects.visible_to(user)
    today = timezone.localdate()
    index = reverse("admission:index")
    steps = []
    if user.has_capability(Capability.ADMISSION_REVIEW):
        steps += [
            ("件准入申请待初审", Status.SUBMITTED),
            ("件准入申请沟通协调中", Status.COORDINATING),
            ("件准入申请待会议审议", Status.MEETING),
        ]
    if user.has_capability(Capability.ADMISSION_DECIDE):
        steps.append(("件准入申请待核准", Status.DECISION))
    tasks = []
    for label, status in steps:
        waiting = rows.filter(status=status)
        tasks.append(
            HomeTask(
                label,
                waiting.count(),
                f"{index}?status={status}",
                due=waiting.aggregate(due=Min("step_due_on"))["due"],
                overdue=waiting.filter(step_due_on__lt=today).count(),
            )
        )
    if user.has_capability(Capability.ADMISSION_APPLY):
        own = rows.filter(applicant_id__in=user.department_ids())
        returned = own.filter(status=Status.RETURNED)
        tasks.append(
            HomeTask(
                "件准入申请被退回待修改",
                returned.count(),
                f"{index}?status={Status.RETURNED}&mine=1",
                due=returned.aggregate(due=Min("step_due_on"))["due"],
                overdue=returned.filter(step_due_on__lt=today).count(),
            )
        )
        tasks.append(
            HomeTask(
                "件准入申请草稿待提交",
                own.filter(status=Status.DRAFT).count(),
                f"{index}?status={Status.DRAFT}&mine=1",
            )
        )
    tasks.append(
        HomeTask(
            "份工作告知单待签收",
            unsigned(notices_for(user)).count(),
            f"{reverse('admission:notices')}?unsigned=1",
            action="去签收",
        )
    )
    if user.has_capability(Capability.FUNDING_CONFIRM):  # 费随事转: what reached the village, to confirm
        waiting = funding.village_allocations(user).filter(state=AllocationState.ENTERED).count()
        tasks.append(
            HomeTask(
                "项经费和人员到位情况待确认", waiting, reverse("admission:funding_village"), action="去确认"
            )
        )
    return tasks


def consults_for(user):
    """The admission consultations put to the townships this person answers for (a township role on it)."""
    townships = [r.pk for r in access.regions(user, Capability.ADMISSION_OPINE) if r.level == Level.TOWNSHIP]
    return (
        TownshipConsult.objects.visible_to(user)
        .filter(township_id__in=townships)
        .select_related("application", "application__applicant", "township", "answered_by")
        .order_by("-status", "due_on", "pk")
    )


def consult_detail(user, pk: int) -> TownshipConsult:
    return get_object_or_404(consults_for(user), pk=pk)
