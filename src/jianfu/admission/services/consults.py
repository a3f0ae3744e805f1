"""征询乡镇（街道）意见: the townships an item reaches each give their own stance, by a deadline in working days.

《关于建立社区工作事项准入、变更及退出制度的指导意见》第七条 allows the simple procedure only for an item the
townships and communities raised no objection to. The applicant does not declare that stance: submission asks
each township concerned, and each answers on its own page (or through the API); the office may choose the simple
procedure only when every one of them answered 无异议.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jianfu.audit.services import audit_record
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.workdays import WorkdayCalendar
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region, subtree_q
from jianfu.orgs.region_settings import setting_value
from jianfu.orgs.roles import Capability

from ..limits import CONSULT_DAYS
from ..models import (
    CONSULT_FLOW,
    OPEN_STATES,
    Application,
    ConsultStatus,
    TownshipConsult,
    TownshipStance,
)


def concerned_townships(application: Application) -> list[Region]:
    """The townships the item reaches: every one under the reviewing region, or those of the chosen regions. A
    township's own item is answered by the township itself."""
    body = application.county
    if body.level == Level.TOWNSHIP:
        return [body]
    townships = Region.objects.filter(level=Level.TOWNSHIP, is_active=True).order_by("code")
    if application.scope_all:
        return list(townships.filter(subtree_q([body.prefix])))
    wanted = Q(pk__in=[])
    for region in application.scope_regions.all():
        if region.level >= Level.TOWNSHIP:
            wanted |= Q(code=region.code[:9].ljust(12, "0"))
        else:
            wanted |= subtree_q([region.prefix])
    return list(townships.filter(wanted))


def consults_open(application: Application, on: date) -> list[TownshipConsult]:
    """On submission: ask each township concerned that was not asked yet (deadline from the region's setting);
    drop unanswered requests to townships the scope no longer reaches. Answers already given stay."""
    townships = concerned_townships(application)
    application.consults.filter(status=ConsultStatus.PENDING).exclude(township__in=townships).delete()
    asked = set(application.consults.values_list("township_id", flat=True))
    days = int(setting_value(application.county, CONSULT_DAYS, on=on))
    due = WorkdayCalendar().add_workdays(on, days).day
    for township in townships:
        if township.pk not in asked:
            TownshipConsult.objects.create(
                application=application, township=township, asked_on=on, due_on=due
            )
    _summarise(application)
    return list(application.consults.all())


def _summarise(application: Application) -> None:
    """The application's 乡镇（街道）意见 follows the townships' own answers."""
    answers = set(application.consults.values_list("status", flat=True))
    if ConsultStatus.OBJECTION in answers:
        stance = TownshipStance.OBJECTION
    elif answers == {ConsultStatus.NO_OBJECTION}:
        stance = TownshipStance.NO_OBJECTION
    else:
        stance = TownshipStance.NOT_CONSULTED
    Application.objects.filter(pk=application.pk).update(township_stance=stance)
    application.township_stance = stance


def all_no_objection(application: Application) -> bool:
    answers = list(application.consults.values_list("status", flat=True))
    return bool(answers) and all(a == ConsultStatus.NO_OBJECTION for a in answers)


@transaction.atomic
def township_stance_give(
    *, actor, consult: TownshipConsult, stance: str, note: str = "", expected_version: int | None = None
) -> TownshipConsult:
    """The township answers for itself: 无异议, or 有异议 with its reasons. Only that township's own staff answer,
    once, while the application is still under review."""
    consult = (
        TownshipConsult.objects.select_for_update()
        .select_related("application", "township")
        .get(pk=consult.pk)
    )
    if expected_version is not None and consult.version != expected_version:
        raise StaleWriteError(f"{consult.township.name}的意见征询")
    access.require_at(
        actor,
        Capability.ADMISSION_OPINE,
        consult.township,
        message=f"只有{consult.township.name}可以答复本乡镇（街道）的意见。",
    )
    application = consult.application
    if application.status not in OPEN_STATES:
        raise ValidationError(
            f"申请“{application.title}”已{application.get_status_display()}，不再征询乡镇意见。"
        )
    if stance not in (ConsultStatus.NO_OBJECTION, ConsultStatus.OBJECTION):
        raise ValidationError({"stance": "请选择意见：无异议或有异议。"})
    note = (note or "").strip()
    if stance == ConsultStatus.OBJECTION and not note:
        raise ValidationError({"note": "有异议的，请写明异议和理由。"})
    before, _ = CONSULT_FLOW.move(consult, stance, name=f"{consult.township.name}的意见征询")
    consult.note = note
    consult.answered_at, consult.answered_by = timezone.now(), actor
    consult.version += 1
    consult.full_clean()
    consult.save()
    _summarise(application)
    audit_record(
        actor=actor,
        action="admission.township_stance",
        obj=application,
        before={"township": consult.township.name, "stance": before},
        after={
            "township": consult.township.name,
            "stance": stance,
            "note": note,
            "late": consult.late,
        },
        region_code=consult.township.code,
    )
    return consult
