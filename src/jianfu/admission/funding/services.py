"""Writes of 费随事转: the department's yearly ledger of an item, the township's entries of what reached each
village, the village's confirmation or objection, and the department's yearly survey (梳理表)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.catalog import cards
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.years import validate_year
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from ..models import AdmittedItem
from .models import (
    ALLOCATION_FLOW,
    SURVEY_FLOW,
    FundingAllocation,
    FundingLedger,
    FundingSurvey,
    SurveyRow,
)

LEDGER_FIELDS = ("promised_amount", "promised_people", "people_note", "funds_source")


def money(value, *, label: str) -> Decimal:
    """A non-negative amount in yuan with at most two decimals, or a Chinese refusal naming ``label``."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"「{label}」应填写金额（元），如 12000 或 12000.50。") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"「{label}」应为不小于 0、最多两位小数的金额（元）。")
    if amount >= Decimal("1e12"):
        raise ValidationError(f"「{label}」超出可填写的范围。")
    return amount.quantize(Decimal("0.01"))


def count(value, *, label: str) -> int:
    text = str(value if value is not None else "").strip() or "0"
    if not text.isdigit() or int(text) > 100000:
        raise ValidationError(f"「{label}」应为 0 到 100000 之间的整数。")
    return int(text)


def _lock(model, obj, version):
    obj = model.objects.select_for_update().get(pk=obj.pk)
    if version is not None and obj.version != version:
        raise StaleWriteError(str(obj))
    return obj


# Ledgers ----------------------------------------------------------------------------------------------------


def ledger_items(department: Department, year: int) -> list[tuple[str, str, AdmittedItem | None]]:
    """(code, title, admitted item or None) of the work the department pushes down in its county that year: its
    admitted items in force at some day of the year, and the assist and undertaken items naming it."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    admitted = AdmittedItem.objects.filter(department=department, effective_from__lte=last).exclude(
        effective_to__lt=first
    )
    found: list[tuple[str, str, AdmittedItem | None]] = [
        (i.code, i.title, i) for i in admitted.order_by("code")
    ]
    on = min(max(timezone.localdate(), first), last)
    found += [
        (i.code, i.content[:200], None)
        for i in cards.card_items(department.region, on)
        if cards.names_department(i, department)
    ]
    return found


@transaction.atomic
def ledger_open(*, actor, department: Department, year: int, item_code: str, **fields) -> FundingLedger:
    """The department's ledger of one item for a year; an admitted item's starts from its application's
    guarantees (经费金额, 落实人员)."""
    access.require_for(
        actor,
        Capability.FUNDING_LEDGER,
        department,
        message="只有交办部门可以建立本部门事项的经费和人员台账。",
    )
    validate_year(year)
    code = (item_code or "").strip()
    found = next((row for row in ledger_items(department, year) if row[0] == code), None)
    if found is None:
        raise ValidationError({"item_code": f"本部门{year}年交办的事项中没有编码为“{code}”的事项。"})
    if FundingLedger.objects.filter(county=department.region, year=year, item_code=code).exists():
        raise ValidationError({"item_code": f"事项“{code}”{year}年的台账已经建立。"})
    item = found[2]
    ledger = FundingLedger(
        county=department.region,
        year=year,
        department=department,
        admitted_item=item,
        item_code=code,
        item_title=found[1],
        promised_amount=Decimal("0"),
        created_by=actor,
    )
    if item is not None:
        ledger.promised_amount = item.application.funds_amount or Decimal("0")
        ledger.funds_source = item.application.funds_source
        ledger.people_note = item.application.people[:1000]
    _apply(ledger, fields)
    ledger.full_clean()
    ledger.save()
    audit_record(actor=actor, action="admission.funding_ledger", obj=ledger, after=snapshot(ledger))
    return ledger


def _apply(ledger: FundingLedger, fields: dict) -> None:
    unknown = set(fields) - set(LEDGER_FIELDS)
    if unknown:
        raise ValidationError({name: "该字段不能在此修改。" for name in unknown})
    if fields.get("promised_amount") not in (None, ""):
        ledger.promised_amount = money(fields["promised_amount"], label="承诺下拨经费（元）")
    if fields.get("promised_people") not in (None, ""):
        ledger.promised_people = count(fields["promised_people"], label="承诺保障人员（人）")
    for name in ("people_note", "funds_source"):
        if fields.get(name) is not None:
            setattr(ledger, name, fields[name].strip())


@transaction.atomic
def ledger_update(*, actor, ledger: FundingLedger, version: int | None = None, **fields) -> FundingLedger:
    """Change what was promised; never below what the townships already entered."""
    ledger = _lock(FundingLedger, ledger, version)
    access.require_for(
        actor, Capability.FUNDING_LEDGER, ledger.department, message="只有交办部门可以修改本部门的台账。"
    )
    before = snapshot(ledger)
    _apply(ledger, fields)
    entered = entered_total(ledger)
    if ledger.promised_amount < entered:
        raise ValidationError(
            {"promised_amount": f"各乡镇已录入到位经费合计 {entered} 元，承诺下拨经费不能少于这个数。"}
        )
    ledger.version += 1
    ledger.full_clean()
    ledger.save()
    audit_record(
        actor=actor,
        action="admission.funding_ledger_update",
        obj=ledger,
        before=before,
        after=snapshot(ledger),
    )
    return ledger


def entered_total(ledger: FundingLedger, *, without: FundingAllocation | None = None) -> Decimal:
    rows = ledger.allocations.all()
    if without is not None and without.pk:
        rows = rows.exclude(pk=without.pk)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def in_scope(ledger: FundingLedger, village: Region) -> bool:
    """Whether the ledger's item reaches the village: an admitted item's scope, else the whole county."""
    if village.level != Level.VILLAGE or not village.is_within([ledger.county.prefix]):
        return False
    item = ledger.admitted_item
    if item is None or item.scope_all:
        return True
    codes = {village.code, village.code[:9].ljust(12, "0")}
    return item.scope_regions.filter(code__in=codes).exists()


# Allocations: entered by the township, confirmed by the village ----------------------------------------------


@transaction.atomic
def allocation_enter(
    *, actor, ledger: FundingLedger, village: Region, amount, people=0, people_names: str = "", version=None
) -> FundingAllocation:
    """The township records what reached one of its villages (or corrects its entry, which asks the village
    again). Amounts across all townships may not add up to more than the department promised."""
    ledger = FundingLedger.objects.select_for_update().get(pk=ledger.pk)
    return _enter(actor, ledger, village, amount, people, people_names, version)


def _enter(actor, ledger, village, amount, people, people_names, version) -> FundingAllocation:
    township = village.parent
    access.require_that(
        township is not None and access.acts_at(actor, Capability.FUNDING_ENTER, township),
        f"只有“{village.name}”所在的乡镇（街道）可以录入它的经费和人员到位情况。",
    )
    if not in_scope(ledger, village):
        raise ValidationError({"village": f"事项“{ledger.item_title}”不涉及“{village.name}”。"})
    allocation = FundingAllocation.objects.select_for_update().filter(ledger=ledger, village=village).first()
    if allocation is not None and version is not None and allocation.version != version:
        raise StaleWriteError(str(allocation))
    before = snapshot(allocation) if allocation else None
    if allocation is None:
        allocation = FundingAllocation(ledger=ledger, village=village, township=township)
    else:
        ALLOCATION_FLOW.move(allocation, "correct", name=f"“{village.name}”的到位记录")
        allocation.version += 1
    allocation.amount = money(amount, label="到位经费（元）")
    allocation.people = count(people, label="到位人员（人）")
    allocation.people_names = (people_names or "").strip()
    total = entered_total(ledger, without=allocation) + allocation.amount
    if total > ledger.promised_amount:
        raise ValidationError(
            {
                "amount": f"各乡镇录入的到位经费合计 {total} 元，超过部门承诺下拨的 "
                f"{ledger.promised_amount} 元；请核对金额，或请{ledger.department.name}先调整台账。"
            }
        )
    allocation.entered_by, allocation.entered_at = actor, timezone.now()
    allocation.answered_by, allocation.answered_at, allocation.village_note = None, None, ""
    allocation.full_clean()
    allocation.save()
    audit_record(
        actor=actor,
        action="admission.funding_enter",
        obj=allocation,
        before=before,
        after=snapshot(allocation),
        region_code=village.code,
    )
    return allocation


@transaction.atomic
def allocations_import(*, actor, ledger: FundingLedger, rows: list[tuple[int, dict]]) -> int:
    """A township's spreadsheet of entries for one ledger, all or nothing: every refused row is named."""
    from jianfu.core.excel import ImportRefused

    ledger = FundingLedger.objects.select_for_update().get(pk=ledger.pk)
    villages = {
        r.code: r for r in Region.objects.filter(subtree_q([ledger.county.prefix]), level=Level.VILLAGE)
    }
    errors, done = [], 0
    for number, values in rows:
        row = f"第 {number} 行："
        code = values.get("村（社区）代码", "")
        village = villages.get(code)
        if village is None:
            errors.append(f"{row}“村（社区）代码”{code or '（空）'}不是本县的村（社区）。")
            continue
        try:
            with transaction.atomic():
                _enter(
                    actor,
                    ledger,
                    village,
                    values.get("到位经费（元）", ""),
                    values.get("到位人员（人）", ""),
                    values.get("人员姓名或岗位", ""),
                    None,
                )
            done += 1
        except ValidationError as exc:
            errors.extend(f"{row}{m}" for m in exc.messages)
        except PermissionDenied as exc:
            errors.append(f"{row}{exc}")
    if errors:
        transaction.set_rollback(True)
        raise ImportRefused(errors)
    return done


def _village_lock(actor, allocation, version) -> FundingAllocation:
    allocation = _lock(FundingAllocation, allocation, version)
    access.require_that(
        access.acts_at(actor, Capability.FUNDING_CONFIRM, allocation.village),
        f"只有“{allocation.village.name}”的村（社区）干部可以确认本村（社区）的到位情况。",
    )
    return allocation


@transaction.atomic
def allocation_confirm(
    *, actor, allocation: FundingAllocation, version: int | None = None
) -> FundingAllocation:
    """The village confirms the money and people reached it as entered."""
    allocation = _village_lock(actor, allocation, version)
    before = snapshot(allocation)
    ALLOCATION_FLOW.move(allocation, "confirm", name=f"“{allocation.village.name}”的到位记录")
    return _answer(actor, allocation, before, "", "admission.funding_confirm")


@transaction.atomic
def allocation_dispute(
    *, actor, allocation: FundingAllocation, note: str, version: int | None = None
) -> FundingAllocation:
    """The village says what did not arrive; the township corrects its entry."""
    allocation = _village_lock(actor, allocation, version)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "「异议说明」不能为空：请写明实际到位的经费或人员。"})
    before = snapshot(allocation)
    ALLOCATION_FLOW.move(allocation, "dispute", name=f"“{allocation.village.name}”的到位记录")
    return _answer(actor, allocation, before, note, "admission.funding_dispute")


def _answer(actor, allocation, before, note, action) -> FundingAllocation:
    allocation.answered_by, allocation.answered_at, allocation.village_note = actor, timezone.now(), note
    allocation.version += 1
    allocation.full_clean()
    allocation.save()
    audit_record(actor=actor, action=action, obj=allocation, before=before, after=snapshot(allocation))
    return allocation


# The yearly survey (梳理表) ------------------------------------------------------------------------------------


@transaction.atomic
def survey_open(*, actor, department: Department, year: int) -> FundingSurvey:
    access.require_for(
        actor, Capability.FUNDING_LEDGER, department, message="只有本部门可以填报本部门的梳理表。"
    )
    validate_year(year)
    survey, created = FundingSurvey.objects.get_or_create(department=department, year=year)
    if created:
        audit_record(actor=actor, action="admission.funding_survey", obj=survey, after=snapshot(survey))
    return survey


@transaction.atomic
def survey_fill(
    *, actor, survey: FundingSurvey, rows: list[dict], version: int | None = None
) -> FundingSurvey:
    """Replace the survey's rows (from its spreadsheet) while it is being filled or after a return."""
    survey = _lock(FundingSurvey, survey, version)
    access.require_for(
        actor, Capability.FUNDING_LEDGER, survey.department, message="只有本部门可以填报本部门的梳理表。"
    )
    SURVEY_FLOW.check(survey, "fill", name=str(survey))
    before = {"rows": [snapshot(r) for r in survey.rows.all()]}
    survey.rows.all().delete()
    for line, values in enumerate(rows, start=1):
        row = SurveyRow(survey=survey, line=line, **values)
        row.full_clean()
        row.save()
    survey.version += 1
    survey.save()
    audit_record(
        actor=actor,
        action="admission.funding_survey_fill",
        obj=survey,
        before=before,
        after={"rows": [snapshot(r) for r in survey.rows.all()]},
    )
    return survey


@transaction.atomic
def survey_submit(*, actor, survey: FundingSurvey, version: int | None = None) -> FundingSurvey:
    survey = _lock(FundingSurvey, survey, version)
    access.require_for(
        actor, Capability.FUNDING_LEDGER, survey.department, message="只有本部门可以报送本部门的梳理表。"
    )
    if not survey.rows.exists():
        raise ValidationError("梳理表没有填写任何服务事项；没有延伸至社区的服务事项的，也请填写一行说明。")
    before = snapshot(survey)
    SURVEY_FLOW.move(survey, "submit", name=str(survey))
    survey.submitted_by, survey.submitted_at, survey.decision_note = actor, timezone.now(), ""
    survey.version += 1
    survey.save()
    audit_record(
        actor=actor,
        action="admission.funding_survey_submit",
        obj=survey,
        before=before,
        after=snapshot(survey),
    )
    return survey


@transaction.atomic
def survey_decide(
    *, actor, survey: FundingSurvey, accept: bool, note: str = "", version: int | None = None
) -> FundingSurvey:
    """The review office accepts a department's survey or returns it with its reasons (never its own)."""
    survey = _lock(FundingSurvey, survey, version)
    access.require(
        actor,
        Capability.FUNDING_REVIEW,
        survey.department.region,
        message="只有县准入审核委员会办公室可以受理梳理表。",
    )
    access.require_that(not access.works_in(actor, survey.department), "不能受理本部门的梳理表。")
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": "退回须写明理由。"})
    before = snapshot(survey)
    SURVEY_FLOW.move(survey, "accept" if accept else "return", name=str(survey))
    survey.decision_note = note[:300]
    survey.version += 1
    survey.save()
    audit_record(
        actor=actor,
        action="admission.funding_survey_accept" if accept else "admission.funding_survey_return",
        obj=survey,
        before=before,
        after=snapshot(survey),
    )
    return survey
