"""After the decision: the admitted item and its work notice (告知单) with filing (备案), acknowledgements by the
villages, completion or early exit (art. 10), a village's decline of unadmitted work, step limits and reminders."""

from datetime import date, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.catalog.classify import check_text, classify, verdict_as_dict
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region, User, subtree_q
from jianfu.orgs.roles import Capability, Role

from .. import notify
from ..models import (
    ITEM_FLOW,
    AdmittedItem,
    Application,
    Decline,
    Kind,
    NoticeRecipient,
    Reminder,
    Status,
    Transition,
    WorkNotice,
)
from .applications import next_number

# Verdicts under which work handed to a village must be done: listed, or admitted for it.
MUST_DO = {"duty": "依法履职事项", "assist": "依法协助事项", "admitted": "已准入事项"}


def require_own_unit(actor, region: Region, message: str) -> None:
    """Signing a notice or declining work is done by the unit itself, not by the level above it."""
    if actor is None:
        return
    if not any(
        a.region_id == region.pk and Capability.WORK_DECLINE in a.capabilities
        for a in access.assignments(actor)
    ):
        raise PermissionDenied(message)


def _recipients(application: Application) -> list[Region]:
    """The townships and villages in scope: every one in the county, or the chosen ones and their villages."""
    if application.scope_all:
        roots = [application.county.prefix]
    else:
        roots = [r.prefix for r in application.scope_regions.all()]
    return list(Region.objects.filter(subtree_q(roots), level__gte=Level.TOWNSHIP, is_active=True))


def _end_predecessor(application: Application, start: date) -> None:
    """A change replaces the admitted item it revises from the new item's start."""
    old = application.related_item
    if application.kind != Kind.CHANGE or old is None:
        return
    old = AdmittedItem.objects.select_for_update().get(pk=old.pk)
    # The old item ends the day before the new one starts (on its own first day if replaced that same day).
    ITEM_FLOW.move(old, "change", name=f"事项“{old.title}”")
    old.effective_to = max(start - timedelta(days=1), old.effective_from)
    old.end_reason = f"经{application.number}变更"
    old.version += 1
    old.save()


def issue_notice(*, actor, application: Application) -> WorkNotice:
    """Admit the item, number the notice, address it to every township and village in scope, and file it."""
    today = timezone.localdate()
    start = max(application.period_start or today, today)
    year = today.year
    serial = next_number(f"item:{application.county.code}:{year}")
    _end_predecessor(application, start)
    item = AdmittedItem.objects.create(
        code=f"ZR-{application.county.code[:6]}-{year}-{serial:03d}",
        application=application,
        county=application.county,
        department=application.applicant,
        title=application.title,
        content=application.description,
        work_type=application.work_type,
        scope_all=application.scope_all,
        effective_from=start,
        effective_to=max(application.period_end, start) if application.period_end else None,
    )
    item.scope_regions.set(application.scope_regions.all())
    county_short = application.county.name.removesuffix("县").removesuffix("市").removesuffix("区")
    notice = WorkNotice.objects.create(
        number=f"{county_short}社审告〔{year}〕{serial}号",
        application=application,
        item=item,
        issued_by=actor or application.decided_by,
        filed_on=today,
    )
    NoticeRecipient.objects.bulk_create(
        NoticeRecipient(notice=notice, region=r) for r in _recipients(application)
    )
    audit_record(
        actor=actor,
        action="admission.notice",
        obj=notice,
        after={"number": notice.number, "item": item.code, "recipients": notice.recipients.count()},
        region_code=application.county.code,
    )
    return notice


@transaction.atomic
def notice_acknowledge(*, actor, recipient: NoticeRecipient) -> NoticeRecipient:
    """A township or village signs for its work notice."""
    recipient = (
        NoticeRecipient.objects.select_for_update(of=("self",))
        .select_related("region", "notice")
        .get(pk=recipient.pk)
    )
    require_own_unit(actor, recipient.region, "只能签收本村（社区）或本乡镇（街道）自己的告知单。")
    if recipient.acknowledged_at:
        raise ValidationError(
            f"{recipient.region.name}已于 {timezone.localtime(recipient.acknowledged_at):%Y-%m-%d} 签收。"
        )
    recipient.acknowledged_at, recipient.acknowledged_by = timezone.now(), actor
    recipient.version += 1
    recipient.save()
    audit_record(
        actor=actor,
        action="admission.acknowledge",
        obj=recipient.notice,
        after={"region": recipient.region.code},
        region_code=recipient.region.code,
    )
    return recipient


@transaction.atomic
def item_end(
    *, actor, item: AdmittedItem, end_on: date, reason: str, expected_version: int | None = None
) -> Application:
    """Art. 10: work completed or ended early is closed by the original applicant and filed with the office;
    the item leaves the villages' lists after that date."""
    item = (
        AdmittedItem.objects.select_for_update(of=("self",))
        .select_related("county", "department")
        .get(pk=item.pk)
    )
    if expected_version is not None and item.version != expected_version:
        raise StaleWriteError(f"事项“{item.title}”")
    access.require_for(
        actor,
        Capability.ADMISSION_APPLY,
        item.department,
        message="只有原申请部门可以报备完结或退出（第十条）。",
    )
    ITEM_FLOW.check(item, "end", name=f"事项“{item.title}”")
    errors = {}
    if end_on is None or end_on < item.effective_from:
        errors["end_on"] = f"完结日期不能早于准入日期 {item.effective_from}。"
    if not reason.strip():
        errors["reason"] = "请说明完结或提前退出的情况。"
    if errors:
        raise ValidationError(errors)
    before = snapshot(item)
    ITEM_FLOW.move(item, "end", name=f"事项“{item.title}”")
    item.effective_to, item.end_reason = end_on, reason
    item.version += 1
    item.save()
    filing = Application(
        kind=Kind.EXIT,
        county=item.county,
        applicant=item.department,
        created_by=actor,
        related_item=item,
        title=item.title,
        description=reason,
        status=Status.FILED,
        submitted_at=timezone.now(),
        work_type=item.work_type,
        scope_all=item.scope_all,
        period_start=item.effective_from,
        period_end=end_on,
        number=f"准入退〔{end_on.year}〕{next_number(f'exit:{item.county.code}:{end_on.year}')}号",
    )
    filing.full_clean()
    filing.save()
    filing.scope_regions.set(item.scope_regions.all())
    Transition.objects.create(
        application=filing,
        to_status=Status.FILED,
        actor=actor,
        actor_name=actor.full_name if actor else "系统",
        note=reason,
    )
    audit_record(
        actor=actor,
        action="admission.item_end",
        obj=item,
        before=before,
        after=snapshot(item),
        region_code=item.county.code,
    )
    return filing


def check_work(text: str, region: Region, on: date | None = None) -> dict:
    """The village's one-step check: is this work listed or admitted here? (Bad text: a Chinese message.)"""
    text = check_text(text)
    verdict = classify(text, region, on or timezone.localdate())
    result = verdict_as_dict(verdict)
    result["must_do"] = verdict.verdict in MUST_DO
    result["region"] = region.name
    if result["must_do"]:  # the card the village follows for the work (谁交办任务、谁建立流程)
        from ..cards import card_for

        card = card_for(region, [m["code"] for m in result["matches"]])
        result["card"] = {"id": card.pk, "department": card.department.name} if card else None
    return result


def _decline_finding(actor, decline: Decline) -> None:
    """The decline is a signal that the department pushed down work neither listed nor admitted: monitoring's
    inspector judges it (in this transaction; a department outside the county undoes the decline too)."""
    from django.urls import reverse

    from jianfu.core.checks import Check
    from jianfu.monitoring import checks as rules
    from jianfu.monitoring.intake import finding_intake

    rule = rules.RULE_NEGATIVE if decline.verdict.get("verdict") == "negative" else rules.RULE_UNLISTED
    finding_intake(
        source="decline",
        record_pk=decline.pk,
        village=decline.region,
        occurred_on=decline.received_on,
        subject=decline.work_text[:200],
        check=Check.broken(rule, decline.verdict.get("explanation", "")),
        department=decline.department,
        department_text=decline.department_name,
        evidence_url=reverse("admission:decline_print", kwargs={"pk": decline.pk}),
        evidence_label=f"拒绝执行回执 {decline.number}",
        actor=actor,
    )


@transaction.atomic
def work_decline(
    *,
    actor,
    region: Region,
    text: str,
    department: Department | None,
    department_name: str,
    received_on: date,
) -> Decline:
    """Decline work that is neither listed nor admitted, citing the check; refused when the work is owed."""
    require_own_unit(actor, region, "只能以本村（社区）名义拒绝。")
    if region.level != Level.VILLAGE:
        raise ValidationError({"region": "拒绝执行以村（社区）名义作出，请选择村（社区）。"})
    errors = {}
    if not text.strip():
        errors["text"] = "请填写交办的工作内容。"
    name = department.name if department else department_name.strip()
    if not name:
        errors["department"] = "请选择或填写交办单位。"
    if received_on is None or received_on > timezone.localdate():
        errors["received_on"] = "请填写收到交办的日期（不能晚于今天）。"
    if errors:
        raise ValidationError(errors)
    result = check_work(text, region, received_on)
    if result["must_do"]:
        raise ValidationError(
            {"text": f"该工作属于{MUST_DO[result['verdict']]}，应当执行，不能拒绝：{result['explanation']}"}
        )
    year = timezone.localdate().year
    serial = next_number(f"decline:{region.code}:{year}")
    decline = Decline.objects.create(
        number=f"{region.code}-拒{year}-{serial:04d}",
        region=region,
        department=department,
        department_name=name,
        work_text=text,
        received_on=received_on,
        verdict=result,
        declined_by=actor,
    )
    _decline_finding(actor, decline)
    audit_record(
        actor=actor,
        action="admission.decline",
        obj=decline,
        after={"number": decline.number, "department": name, "verdict": result["verdict"]},
        region_code=region.code,
    )
    transaction.on_commit(partial(notify.declined, decline.pk))  # the department that pushed it is told
    return decline


def send_reminders(on: date | None = None) -> int:
    """Remind the office and the applicant of every overdue step, once per step and deadline."""
    on = on or timezone.localdate()
    created = 0
    for application in Application.objects.open().filter(step_due_on__lt=on).select_related("county"):
        office = User.objects.filter(
            role_assignments__role=Role.COMMITTEE_OFFICE,
            role_assignments__region=application.county,
            is_active=True,
        )
        applicant = User.objects.filter(department=application.applicant, is_active=True)
        for user in {*office, *applicant}:
            _, new = Reminder.objects.get_or_create(
                user=user, application=application, status=application.status, due_on=application.step_due_on
            )
            created += new
    return created


@transaction.atomic
def reminder_dismiss(*, actor, reminder: Reminder) -> None:
    if reminder.user_id != actor.pk:
        raise PermissionDenied("只能处理自己的提醒。")
    Reminder.objects.filter(pk=reminder.pk, read_at__isnull=True).update(read_at=timezone.now())
