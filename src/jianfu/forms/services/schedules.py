"""Schedules from the annual form list (填报表格清单): each listed form opens period by period for the villages in
scope, at the listed frequency or the township's thinner one; issuing off the list or more often is refused.

The rule is 《环县开展社区减负专项行动的实施方案》二（四）: the county compiles the list of forms villages fill and
hands it to the townships at the start of each year, which have the villages fill them at the set frequency.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import check_version
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .. import periods
from ..models import (
    FORM_FLOW,
    FREQUENCY_RANK,
    DepartmentForm,
    FormIssue,
    FormStatus,
    FormTask,
    FormTaskStatus,
    FormTransition,
    Frequency,
    TownshipSchedule,
)
from . import rollup

NOT_LISTED = "未列入年度填报表格清单"
LIST_RULE = (
    "《环县开展社区减负专项行动的实施方案》（环县民政局、中共环县委组织部印发）二（四）："
    "制定社区组织填报表格清单，每年年初统一交由乡镇安排社区组织按规定频次填报"
)
DUE_DAY_ERROR = f"报送截止日须为 1 至 {periods.DUE_DAY_MAX} 日：29、30、31 日不是每个月都有（如 2 月）。"


@dataclass(frozen=True)
class IssueRefusal:
    """Why sending a form for a period breaks the list: ``code`` is not_listed, too_frequent or off_schedule."""

    code: str
    rule: str
    message: str


def issue_refusal(form: DepartmentForm, period: str) -> IssueRefusal | None:
    """The one place deciding whether sending ``form`` for ``period`` to villages breaks the annual form list
    (None: it may be sent). Pages, API and CLI refuse with it; a monitor's record of a form sent outside the
    platform is judged by it too (findings connect here)."""
    if not FORM_FLOW.may(form, "schedule"):
        return IssueRefusal(
            "not_listed",
            LIST_RULE,
            f"“{form.name}”{NOT_LISTED}（当前状态：{form.get_status_display()}），不能下发到村（社区）。",
        )
    kind, listed = periods.kind_of(period), periods.period_frequency(form.frequency)
    if kind is None:
        return None  # a malformed period is bad input, named by the caller, not a breach
    listed_label = Frequency(form.frequency).label
    if FREQUENCY_RANK[kind] > FREQUENCY_RANK[listed]:
        return IssueRefusal(
            "too_frequent",
            LIST_RULE,
            f"“{form.name}”在{form.year}年填报表格清单中为{listed_label}填报，不能按{Frequency(kind).label}"
            f"（{period}）下发：下发频次不得高于清单规定。",
        )
    if kind != listed:
        return IssueRefusal(
            "off_schedule",
            LIST_RULE,
            f"“{form.name}”在清单中为{listed_label}填报，另按{Frequency(kind).label}（{period}）下发会使村（社区）"
            "填报次数多于清单规定；较低频次由乡镇（街道）在填报安排中调整。",
        )
    return None


def refuse_issue(form: DepartmentForm, period: str) -> None:
    refusal = issue_refusal(form, period)
    if refusal is not None:
        raise ValidationError({"period": [refusal.message, f"依据：{refusal.rule}。"]})


def check_due_day(due_day) -> int:
    try:
        day = int(due_day)
    except (TypeError, ValueError):
        raise ValidationError({"due_day": DUE_DAY_ERROR}) from None
    if not 1 <= day <= periods.DUE_DAY_MAX:
        raise ValidationError({"due_day": DUE_DAY_ERROR})
    return day


# Who fills what, when -------------------------------------------------------------------------------------


def townships_of(form: DepartmentForm):
    return Region.objects.filter(subtree_q([form.region.prefix]), level=Level.TOWNSHIP, is_active=True)


def township_plan(form: DepartmentForm) -> dict[int, tuple[str, int]]:
    """Per township id: (period kind, due day) its villages fill the form at."""
    overrides = {s.township_id: s for s in form.schedules.all()}
    plan = {}
    for township_id in townships_of(form).values_list("pk", flat=True):
        own = overrides.get(township_id)
        frequency, due_day = (own.frequency, own.due_day) if own else (form.frequency, form.due_day)
        plan[township_id] = (periods.period_frequency(frequency), due_day)
    return plan


def open_period(
    form: DepartmentForm, period: str, *, actor, scheduled: bool, plan: dict | None = None
) -> tuple[FormIssue, int]:
    """Open ``period`` of a listed form for the villages of every township whose schedule has it; idempotent:
    villages already holding the task are skipped. Returns the issue and the number of tasks made now; the
    rollup's cells of the period are counted once, after every task is in (not task by task). ``plan``: the
    form's ``township_plan`` when the caller has it already."""
    if form.revises_id is not None:  # a period an earlier version opened keeps that version
        earlier = FormIssue.objects.filter(form_id__in=form.earlier_ids(), period=period).first()
        if earlier is not None:
            return earlier, 0
    kind = periods.kind_of(period)
    plan = {t: due for t, (k, due) in (plan or township_plan(form)).items() if k == kind}
    issue, _ = FormIssue.objects.get_or_create(
        form=form,
        period=period,
        defaults={"issued_by": actor, "issued_at": timezone.now(), "scheduled": scheduled},
    )
    by_due: dict = {}
    for township_id, day in plan.items():
        by_due.setdefault(periods.due_date(period, day), []).append(township_id)
    made = sum(_insert_tasks(issue, due_on, townships) for due_on, townships in by_due.items())
    if made:
        rollup.issue_opened(issue)
        FormTransition.objects.create(
            form=form,
            from_status=form.status,
            to_status=form.status,
            note=f"{'按清单自动开放' if scheduled else '下发'} {period}",
            by=actor,
            at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="forms.period_open" if scheduled else "forms.form_issue",
            obj=form,
            after={"period": period, "villages": made, "scheduled": scheduled},
        )
    return issue, made


def _insert_tasks(issue: FormIssue, due_on: date, township_ids: list[int]) -> int:
    """One INSERT … SELECT per due date and 500 townships: a province's 20,000 villages in one statement
    instead of 20,000 objects (the bench's 30 forms × 20,000 villages), skipping villages that have the task."""
    task, region = FormTask._meta, Region._meta
    sql = (
        f"INSERT INTO {task.db_table} (issue_id, village_id, status, due_on, return_reason, typed, served, version) "
        f"SELECT %s, r.id, %s, %s, '', 0, 0, 1 FROM {region.db_table} r "
        "WHERE r.level = %s AND r.is_active AND r.parent_id IN ({ids}) AND NOT EXISTS "
        f"(SELECT 1 FROM {task.db_table} t WHERE t.issue_id = %s AND t.village_id = r.id)"
    )
    made = 0
    with connection.cursor() as cursor:
        for start in range(0, len(township_ids), 500):
            chunk = township_ids[start : start + 500]
            cursor.execute(
                sql.replace("{ids}", ", ".join(["%s"] * len(chunk))),
                [issue.pk, FormTaskStatus.OPEN.value, due_on, int(Level.VILLAGE), *chunk, issue.pk],
            )
            made += cursor.rowcount
    return made


def due_periods(form: DepartmentForm, on: date, plan: dict | None = None) -> list[str]:
    """The periods of the form's year that have begun by ``on`` and are not past their latest due date."""
    plan = plan or township_plan(form)
    out = []
    for kind in sorted({k for k, _ in plan.values()}, key=lambda k: FREQUENCY_RANK[k]):
        latest = max(day for k, day in plan.values() if k == kind)
        for key in periods.keys(kind, form.year):
            if periods.bounds(key)[0] <= on <= periods.due_date(key, latest):
                out.append(key)
    return out


def periods_open(*, actor=None, on: date | None = None) -> dict:
    """Open every period that has begun and is still reportable, for every listed form the actor keeps (the
    system: all). Running it twice opens nothing new."""
    on = on or timezone.localdate()
    forms = list(
        DepartmentForm.objects.filter(status=FormStatus.APPROVED, year__in=(on.year - 1, on.year))
        .select_related("region")
        .prefetch_related("schedules")
    )
    if actor is not None:
        access.require(actor, Capability.FORMS_MANAGE, message="只有县减负工作机构可以开放填报周期。")
        prefixes = tuple(access.region_prefixes(actor, Capability.FORMS_MANAGE))
        forms = [f for f in forms if f.region.code.startswith(prefixes)]
    opened = tasks = 0
    for form in forms:
        plan = township_plan(form)  # read once per form, for its due periods and for opening them
        for key in due_periods(form, on, plan):
            with transaction.atomic():
                locked = DepartmentForm.objects.select_for_update().get(pk=form.pk)
                _, made = open_period(locked, key, actor=actor, scheduled=True, plan=plan)
            opened, tasks = opened + (1 if made else 0), tasks + made
    return {"periods": opened, "tasks": tasks}


def open_periods() -> str:
    """The scheduled job ``forms.open_periods`` (also ``jianfu forms_open_periods`` and the jobs page)."""
    result = periods_open()
    return f"开放 {result['periods']} 期，新建填报任务 {result['tasks']} 个"


# Adjusting the schedule -----------------------------------------------------------------------------------


@transaction.atomic
def township_schedule_set(
    *,
    actor,
    form: DepartmentForm,
    township: Region,
    frequency: str,
    due_day,
    note: str = "",
    expected_version=None,
) -> TownshipSchedule:
    """A township puts a listed form on its own schedule for its villages: the listed frequency or less often,
    never more; periods already opened keep their tasks, the next ones follow the new schedule."""
    access.require(
        actor,
        Capability.FORMS_REVIEW,
        township,
        message="只有本乡镇（街道）可以调整所辖村（社区）的填报安排。",
    )
    if township.level != Level.TOWNSHIP or not township.code.startswith(form.region.prefix):
        raise ValidationError({"township": "填报安排按报表适用范围内的乡镇（街道）调整。"})
    if not FORM_FLOW.may(form, "schedule"):
        raise ValidationError({"form": f"“{form.name}”{NOT_LISTED}，没有填报安排可调整。"})
    allowed = dict(periods.township_choices(form.frequency))
    if frequency not in allowed:
        listed = Frequency(form.frequency).label
        raise ValidationError(
            {
                "frequency": f"“{form.name}”在清单中为{listed}填报，乡镇（街道）只能按该频次或更低频次安排"
                f"（可选：{'、'.join(allowed.values())}），不能更频繁。依据：{LIST_RULE}。"
            }
        )
    day = check_due_day(due_day)
    row = TownshipSchedule.objects.select_for_update().filter(form=form, township=township).first()
    before = snapshot(row) if row else None
    if row is None:
        row = TownshipSchedule(form=form, township=township)
    else:
        check_version(row, expected_version, "该填报安排")
        row.version += 1
    row.frequency, row.due_day, row.note = frequency, day, note.strip()[:300]
    row.changed_by, row.changed_at = actor, timezone.now()
    row.full_clean(validate_constraints=False)
    row.save()
    audit_record(actor=actor, action="forms.schedule_set", obj=row, before=before, after=snapshot(row))
    return row


@transaction.atomic
def form_due_day_set(*, actor, form: DepartmentForm, due_day, expected_version=None) -> DepartmentForm:
    """The county office sets the listed form's due day (townships may set their own)."""
    access.require(
        actor, Capability.FORMS_MANAGE, form.region, message="只有县减负工作机构可以设置报送截止日。"
    )
    form = DepartmentForm.objects.select_for_update().get(pk=form.pk)
    check_version(form, expected_version, "该报表")
    day = check_due_day(due_day)
    before = {"due_day": form.due_day}
    form.due_day, form.version = day, form.version + 1
    form.save(update_fields=["due_day", "version"])
    audit_record(actor=actor, action="forms.due_day_set", obj=form, before=before, after={"due_day": day})
    return form
