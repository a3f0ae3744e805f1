"""Every write of this app: plans through their states, visits with their verdicts, placards and mechanisms
registered and removed, the placard standard. Views, the API and demo data all call these."""

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core import uploads
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region
from jianfu.orgs.roles import Capability

from . import rules
from .models import (
    PLACARD_FLOW,
    PLAN_FLOW,
    SUPPLEMENT_FLOW,
    InspectionKind,
    InspectionPlan,
    InspectionVisit,
    Mechanism,
    Placard,
    PlacardKind,
    PlacardStandard,
    PlanItem,
    PlanStatus,
    PlanSupplement,
    PlanTransition,
)
from .standard_schema import clean_entries, clean_wall_rules

# Plans ------------------------------------------------------------------------------------------------------


def require_planner(actor, department: Department) -> None:
    if actor is None:
        return
    if department.pk not in access.department_ids(actor, Capability.SUPERVISION_PLAN):
        raise PermissionDenied("只有本部门的工作人员可以编制和报送本部门的督查检查考核计划。")


def require_approver(actor, region: Region) -> None:
    if actor is not None and not actor.can(Capability.SUPERVISION_APPROVE, region):
        raise PermissionDenied("只有县减负工作办公室可以审批督查检查考核计划、维护牌子标准。")


def own_plan_refusal(plan: InspectionPlan) -> str:
    return f"您是{plan.department.name}的工作人员，不能审批本部门的督查检查考核计划，须由办公室其他工作人员审批。"


def may_decide(actor, plan: InspectionPlan) -> bool:
    """The county office decides a department's plan, except on its own department's (separation of duties)."""
    return access.may(actor, Capability.SUPERVISION_APPROVE, plan.department.region) and not access.works_in(
        actor, plan.department
    )


def require_recorder(actor, village: Region) -> None:
    if village.level != Level.VILLAGE or not village.is_active:
        raise ValidationError({"village": f"“{village.name}”不是有效的村（社区）。"})
    if actor is not None and not actor.can(Capability.SUPERVISION_RECORD, village):
        raise PermissionDenied(f"您不能为“{village.name}”登记督查检查、机制和牌子。")


def _locked_plan(plan: InspectionPlan, version: int | None, require) -> InspectionPlan:
    """The plan row locked; who may act is checked before whether their copy is current."""
    plan = (
        InspectionPlan.objects.select_for_update(of=("self",))
        .select_related("department__region")
        .get(pk=plan.pk)
    )
    require(plan)
    if version is not None and plan.version != version:
        raise StaleWriteError(f"“{plan}”")
    return plan


def _planner(actor):
    return lambda plan: require_planner(actor, plan.department)


def _move(plan: InspectionPlan, to: str, *, actor, note: str = "") -> None:
    PLAN_FLOW.check(plan, to)
    before = snapshot(plan)
    PlanTransition.objects.create(
        plan=plan,
        from_status=plan.status,
        to_status=to,
        actor=actor,
        actor_name=actor.full_name if actor else "系统",
        note=note,
    )
    PLAN_FLOW.move(plan, to)
    plan.version += 1
    plan.save()
    audit_record(
        actor=actor,
        action=f"supervision.plan_{to}",
        obj=plan,
        before=before,
        after=snapshot(plan),
        message=note,
    )


@transaction.atomic
def plan_create(*, actor, department: Department, year: int, note: str = "") -> InspectionPlan:
    """Start the department's plan for a year (one plan per department and year)."""
    require_planner(actor, department)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "年度须为四位年份。"})
    if InspectionPlan.objects.filter(department=department, year=year).exists():
        raise ValidationError({"year": f"{department.name}{year}年度的计划已经存在，请在原计划中编辑。"})
    plan = InspectionPlan(department=department, year=year, note=note.strip(), created_by=actor)
    plan.full_clean(validate_constraints=False)
    try:
        # A double click (or two clerks at once) passes the check above twice; the unique constraint decides.
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError(
            {"year": f"{department.name}{year}年度的计划已经存在，请在原计划中编辑。"}
        ) from None
    PlanTransition.objects.create(
        plan=plan, to_status=PlanStatus.DRAFT, actor=actor, actor_name=actor.full_name if actor else "系统"
    )
    audit_record(actor=actor, action="supervision.plan_create", obj=plan, after=snapshot(plan))
    return plan


def _item_errors(plan, *, kind, subject, month, villages, scope, village_count) -> dict:
    errors = {}
    if kind not in InspectionKind.values:
        errors["kind"] = "请选择类型（督查、检查、考核或调研）。"
    if not subject:
        errors["subject"] = "请填写督查检查考核的事项。"
    if not isinstance(month, int) or not 1 <= month <= 12:
        errors["month"] = "月份须为 1 至 12。"
    if not villages and not village_count:
        errors["village_count"] = "请选择到村（社区），或填写计划到村（社区）的数量。"
    prefix = plan.department.region.prefix
    if scope is not None and not scope.is_within([prefix]):
        errors["scope"] = f"范围须在{plan.department.region.name}之内。"
    outside = [v.name for v in villages if v.level != Level.VILLAGE or not v.is_within([prefix])]
    if outside:
        errors["villages"] = f"不是{plan.department.region.name}的村（社区）：{'、'.join(outside)}。"
    return errors


@transaction.atomic
def item_add(
    *,
    actor,
    plan: InspectionPlan,
    kind: str,
    subject: str,
    month: int,
    villages=(),
    scope=None,
    village_count: int = 0,
    demands_materials: bool = False,
    veto: bool = False,
    version: int | None = None,
) -> PlanItem:
    """Add a planned visit to a draft (or returned) plan; named villages, or a number in a scope."""
    plan = _locked_plan(plan, version, _planner(actor))
    if not PLAN_FLOW.may(plan, "edit"):
        raise ValidationError(f"“{plan}”已{plan.get_status_display()}，不能再修改。")
    villages, subject = list(villages), (subject or "").strip()
    errors = _item_errors(
        plan,
        kind=kind,
        subject=subject,
        month=month,
        villages=villages,
        scope=scope,
        village_count=village_count,
    )
    if errors:
        raise ValidationError(errors)
    item = PlanItem(
        plan=plan,
        kind=kind,
        subject=subject[:200],
        month=month,
        scope=scope or plan.department.region,
        village_count=0 if villages else int(village_count),
        demands_materials=demands_materials,
        veto=veto,
    )
    item.full_clean()
    item.save()
    item.villages.set(villages)
    plan.version += 1
    plan.save(update_fields=["version"])
    audit_record(actor=actor, action="supervision.item_add", obj=plan, after=_item_snapshot(item))
    return item


def _item_snapshot(item: PlanItem) -> dict:
    return {**snapshot(item), "villages": [v.code for v in item.villages.all()]}


@transaction.atomic
def item_remove(*, actor, item: PlanItem, version: int | None = None) -> InspectionPlan:
    plan = _locked_plan(item.plan, version, _planner(actor))
    if not PLAN_FLOW.may(plan, "edit"):
        raise ValidationError(f"“{plan}”已{plan.get_status_display()}，不能再修改。")
    before = _item_snapshot(item)
    item.delete()
    plan.version += 1
    plan.save(update_fields=["version"])
    audit_record(actor=actor, action="supervision.item_remove", obj=plan, before=before)
    return plan


@transaction.atomic
def plan_submit(*, actor, plan: InspectionPlan, version: int | None = None) -> InspectionPlan:
    """The department sends its plan to the county for approval."""
    plan = _locked_plan(plan, version, _planner(actor))
    # An empty plan may be submitted: a department that plans no village visits says so, and then every visit
    # of theirs is out of plan.
    _move(plan, PlanStatus.SUBMITTED, actor=actor)
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["submitted_at"])
    return plan


@transaction.atomic
def plan_decide(
    *, actor, plan: InspectionPlan, approve: bool, note: str = "", version: int | None = None
) -> InspectionPlan:
    """The county office approves the plan, or returns it with the reason (e.g. cut the number of visits)."""
    plan = _locked_plan(plan, version, lambda p: require_approver(actor, p.department.region))
    access.require_that(not access.works_in(actor, plan.department), own_plan_refusal(plan))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "退回须写明理由（如：压减到村检查次数、取消一票否决事项）。"})
    _move(plan, PlanStatus.APPROVED if approve else PlanStatus.RETURNED, actor=actor, note=note)
    plan.decided_at, plan.decision_note = timezone.now(), note
    plan.save(update_fields=["decided_at", "decision_note"])
    return plan


# Supplements ------------------------------------------------------------------------------------------------


def supplement_refusal(plan: InspectionPlan) -> str:
    return f"您是{plan.department.name}的工作人员，不能审批本部门的计划补充，须由办公室其他工作人员审批。"


@transaction.atomic
def supplement_submit(
    *, actor, plan: InspectionPlan, reason: str, items: list[dict], version: int | None = None
) -> PlanSupplement:
    """A department adds visits to its approved plan, with the reason; the office decides (seed 004: what is not
    in the annual plan is in principle not held, so an addition needs approval and stays on record as one).
    ``items``: each with kind, subject, month and villages or scope and village_count, as ``item_add`` takes
    them. All or nothing: one bad item refuses the whole supplement, naming the item."""
    plan = _locked_plan(plan, version, _planner(actor))
    PLAN_FLOW.check(plan, "supplement")  # a plan not yet approved is edited, not supplemented
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明补充的理由（为什么年初未列入计划）。"})
    if not items:
        raise ValidationError({"items": "请至少列出一项补充的督查检查考核事项。"})
    supplement = PlanSupplement(plan=plan, reason=reason, submitted_by=actor)
    supplement.full_clean()
    supplement.save()
    rows = []
    for n, row in enumerate(items, start=1):
        villages = list(row.get("villages") or [])
        subject = (row.get("subject") or "").strip()
        errors = _item_errors(
            plan,
            kind=row.get("kind"),
            subject=subject,
            month=row.get("month"),
            villages=villages,
            scope=row.get("scope"),
            village_count=row.get("village_count") or 0,
        )
        if len(subject) > 200:
            errors["subject"] = "事项不能超过 200 个字。"
        if errors:
            raise ValidationError({k: f"第 {n} 项：{v}" for k, v in errors.items()})
        item = PlanItem(
            plan=plan,
            supplement=supplement,
            kind=row["kind"],
            subject=subject,
            month=row["month"],
            scope=row.get("scope") or plan.department.region,
            village_count=0 if villages else int(row.get("village_count") or 0),
            demands_materials=bool(row.get("demands_materials")),
            veto=bool(row.get("veto")),
        )
        item.full_clean()
        item.save()
        item.villages.set(villages)
        rows.append(_item_snapshot(item))
    plan.version += 1
    plan.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="supervision.supplement_submit",
        obj=plan,
        after={"supplement": supplement.pk, "reason": reason, "items": rows},
    )
    return supplement


@transaction.atomic
def supplement_decide(
    *, actor, supplement: PlanSupplement, approve: bool, note: str = "", version: int | None = None
) -> PlanSupplement:
    """The office approves the supplement (its visits then count as planned) or refuses it with the reason;
    never a supplement of its own department."""
    supplement = (
        PlanSupplement.objects.select_for_update(of=("self",))
        .select_related("plan__department__region")
        .get(pk=supplement.pk)
    )
    plan = supplement.plan
    require_approver(actor, plan.department.region)
    access.require_that(not access.works_in(actor, plan.department), supplement_refusal(plan))
    if version is not None and supplement.version != version:
        raise StaleWriteError(f"“{supplement}”")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "不予批准须写明理由。"})
    before = snapshot(supplement)
    SUPPLEMENT_FLOW.move(supplement, "approved" if approve else "refused", name=str(supplement))
    supplement.decided_by, supplement.decided_at = actor, timezone.now()
    supplement.decision_note = note
    supplement.version += 1
    supplement.full_clean()
    supplement.save()
    audit_record(
        actor=actor,
        action=f"supervision.supplement_{supplement.status}",
        obj=plan,
        before=before,
        after=snapshot(supplement),
        message=note,
    )
    return supplement


# Visits -----------------------------------------------------------------------------------------------------


def _visit_finding(actor, visit: InspectionVisit) -> None:
    """A flagged visit (unplanned, demanding materials, a one-vote veto) goes to monitoring's inspector, in this
    transaction."""
    from django.urls import reverse

    from jianfu.core.checks import Check
    from jianfu.monitoring.intake import finding_intake

    finding_intake(
        source="visit",
        record_pk=visit.pk,
        village=visit.village,
        occurred_on=visit.on,
        subject=f"{visit.get_kind_display()}：{visit.subject}"[:200],
        check=Check.broken(visit.rule, visit.detail),
        department=visit.department,
        evidence_url=reverse("supervision:visit_detail", kwargs={"pk": visit.pk}),
        evidence_label=f"到村督查检查记录（{visit.on:%Y-%m-%d}）",
        actor=actor,
    )


@transaction.atomic
def visit_record(
    *,
    actor,
    village: Region,
    department: Department,
    on: date,
    kind: str,
    subject: str,
    demanded_materials: bool = False,
    note: str = "",
) -> InspectionVisit:
    """Record a visit the village received; it is matched to an approved plan item and flagged when unplanned,
    when it demanded briefing materials, when its item carries a one-vote veto, or when it passes the weekly
    limit the county set (a flagged visit becomes a finding for the inspector)."""
    require_recorder(actor, village)
    errors = {}
    if kind not in InspectionKind.values:
        errors["kind"] = "请选择类型（督查、检查、考核或调研）。"
    if not (subject or "").strip():
        errors["subject"] = "请填写督查检查的事项。"
    if on > timezone.localdate():
        errors["on"] = "日期不能晚于今天。"
    if department is None or not department.is_active:
        errors["department"] = "请选择来督查检查的部门。"
    elif not village.is_within([department.region.prefix]):
        # A department inspects villages of its own region only; another county's department named here would
        # see this village's record (a department sees the visits recorded about it).
        errors["department"] = f"{department.name}不负责{village.name}所在的区域，请选择本地的部门。"
    if errors:
        raise ValidationError(errors)
    # Two villages recording at once must not both take the last place of a number-of-villages item: lock the
    # department's items of the year before counting what they have used.
    list(
        PlanItem.objects.select_for_update(of=("self",))
        .filter(plan__department=department, plan__year=on.year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Two records of the same week at once must not both pass the weekly limit: lock the village's row.
    Region.objects.select_for_update().filter(pk=village.pk).first()
    verdict = rules.verdict_for(
        department=department,
        village=village,
        on=on,
        kind=kind,
        demanded_materials=demanded_materials,
        weekly=rules.weekly_breach_for_visit(village=village, department=department, on=on),
    )
    visit = InspectionVisit(
        village=village,
        department=department,
        on=on,
        kind=kind,
        subject=subject.strip()[:200],
        demanded_materials=demanded_materials,
        note=(note or "").strip()[:300],
        plan_item=verdict.item,
        unplanned=verdict.unplanned,
        materials_flag=verdict.materials,
        veto_flag=verdict.veto,
        over_limit=verdict.over_limit,
        rule=verdict.rule,
        detail=verdict.detail(department.name, village.name, on)[:300],
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    if visit.rule:
        _visit_finding(actor, visit)
    audit_record(actor=actor, action="supervision.visit_record", obj=visit, after=snapshot(visit))
    return visit


# Placards and mechanisms ------------------------------------------------------------------------------------


@transaction.atomic
def placard_register(
    *, actor, village: Region, kind: str, title: str, department_name: str = "", photo=None
) -> Placard:
    """Register a placard, sign or wall rule that hangs in the village (with a photo, checked as an image)."""
    require_recorder(actor, village)
    errors, accepted = {}, None
    if kind not in PlacardKind.values:
        errors["kind"] = "请选择类别（外部标牌、外部标识、内部标牌或上墙制度）。"
    if not (title or "").strip():
        errors["title"] = "请填写牌子或制度的名称。"
    if photo:
        try:
            accepted = uploads.accept_upload(
                photo, kinds=uploads.PHOTOS, max_bytes=uploads.limit("photo"), field="photo", label="照片"
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    placard = Placard(
        village=village,
        kind=kind,
        title=title.strip()[:100],
        department_name=(department_name or "").strip()[:100],
        created_by=actor,
    )
    if accepted:
        placard.photo.save(f"{uuid.uuid4().hex}.{accepted.kind.ext}", accepted.as_file(), save=False)
    placard.full_clean()
    placard.save()
    audit_record(
        actor=actor, action="supervision.placard_register", obj=placard, after=_placard_snapshot(placard)
    )
    return placard


def _placard_snapshot(placard: Placard) -> dict:
    fields = [f.name for f in Placard._meta.concrete_fields if f.name != "photo"]
    return {**snapshot(placard, fields=fields), "photo": placard.photo.name or ""}


def _removal_date(removed_on: date | None) -> date:
    today = timezone.localdate()
    removed_on = removed_on or today
    if removed_on > today:
        raise ValidationError({"removed_on": "摘除日期不能晚于今天。"})
    return removed_on


@transaction.atomic
def placard_remove(
    *, actor, placard: Placard, removed_on: date | None = None, note: str = "", version: int | None = None
) -> Placard:
    """Record that a placard or wall rule came down: when and by whom; it stays in the register, counted."""
    placard = Placard.objects.select_for_update(of=("self",)).select_related("village").get(pk=placard.pk)
    require_recorder(actor, placard.village)
    if version is not None and placard.version != version:
        raise StaleWriteError(f"“{placard.title}”")
    if not PLACARD_FLOW.may(placard, "remove"):
        raise ValidationError(f"“{placard.title}”已于{placard.removed_on}摘除。")
    before = _placard_snapshot(placard)
    placard.removed_on = _removal_date(removed_on)
    PLACARD_FLOW.move(placard, "remove")
    placard.removed_by = actor
    placard.removal_note = (note or "").strip()[:200]
    placard.version += 1
    placard.save()
    audit_record(
        actor=actor,
        action="supervision.placard_remove",
        obj=placard,
        before=before,
        after=_placard_snapshot(placard),
    )
    return placard


@transaction.atomic
def mechanism_register(
    *, actor, village: Region, name: str, department_name: str, legal_basis: str = ""
) -> Mechanism:
    """Register a work mechanism set up in the village, with its legal basis (or none)."""
    require_recorder(actor, village)
    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写工作机制的名称。"
    if not (department_name or "").strip():
        errors["department_name"] = "请填写设立该机制的单位。"
    if errors:
        raise ValidationError(errors)
    mechanism = Mechanism(
        village=village,
        name=name.strip()[:100],
        department_name=department_name.strip()[:100],
        legal_basis=(legal_basis or "").strip()[:300],
        created_by=actor,
    )
    mechanism.full_clean()
    mechanism.save()
    audit_record(
        actor=actor, action="supervision.mechanism_register", obj=mechanism, after=snapshot(mechanism)
    )
    return mechanism


@transaction.atomic
def mechanism_remove(
    *, actor, mechanism: Mechanism, removed_on: date | None = None, version: int | None = None
) -> Mechanism:
    mechanism = (
        Mechanism.objects.select_for_update(of=("self",)).select_related("village").get(pk=mechanism.pk)
    )
    require_recorder(actor, mechanism.village)
    if version is not None and mechanism.version != version:
        raise StaleWriteError(f"“{mechanism.name}”")
    if not PLACARD_FLOW.may(mechanism, "remove"):
        raise ValidationError(f"“{mechanism.name}”已于{mechanism.removed_on}撤销。")
    before = snapshot(mechanism)
    mechanism.removed_on = _removal_date(removed_on)
    PLACARD_FLOW.move(mechanism, "remove")
    mechanism.removed_by = actor
    mechanism.version += 1
    mechanism.save()
    audit_record(
        actor=actor,
        action="supervision.mechanism_remove",
        obj=mechanism,
        before=before,
        after=snapshot(mechanism),
    )
    return mechanism


def _entries(value, field: str) -> list:
    """``[{"name", "keywords"}]`` from the form's lines "名称：关键词、关键词" or from JSON already in shape."""
    if isinstance(value, list):
        return value
    entries = []
    for number, line in enumerate((value or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        name, _, words = line.replace(":", "：").partition("：")
        keywords = [w.strip() for w in words.replace(",", "、").replace("，", "、").split("、") if w.strip()]
        if not name.strip():
            raise ValidationError({field: f"第 {number} 行缺少名称（格式：名称：关键词、关键词）。"})
        entries.append({"name": name.strip(), "keywords": keywords or [name.strip()]})
    return entries


@transaction.atomic
def standard_save(
    *,
    actor,
    region: Region,
    outside_placards,
    outside_signs,
    inside_max: int,
    wall_rules,
    source: str = "",
    version: int | None = None,
) -> PlacardStandard:
    """The county office sets the standard its villages are checked against (defaults: seeds 001/004)."""
    require_approver(actor, region)
    standard = PlacardStandard.objects.select_for_update().filter(region=region).first()
    if standard and version is not None and standard.version != version:
        raise StaleWriteError(f"{region.name}牌子标准")
    before = snapshot(standard) if standard else None
    standard = standard or PlacardStandard(region=region, version=0)
    standard.outside_placards = clean_entries(
        _entries(outside_placards, "outside_placards"), "outside_placards", "外部标牌"
    )
    standard.outside_signs = clean_entries(
        _entries(outside_signs, "outside_signs"), "outside_signs", "外部标识"
    )
    if isinstance(wall_rules, str):
        wall_rules = [
            w.strip() for w in wall_rules.replace("，", "、").replace(",", "、").split("、") if w.strip()
        ]
    standard.wall_rules, standard.inside_max, standard.source = (
        clean_wall_rules(wall_rules),
        inside_max,
        (source or "").strip()[:300],
    )
    if not 0 <= int(inside_max) <= 50:
        raise ValidationError({"inside_max": "内部标牌上限须为 0 至 50。"})
    standard.version += 1
    standard.full_clean()
    standard.save()
    audit_record(
        actor=actor, action="supervision.standard_save", obj=standard, before=before, after=snapshot(standard)
    )
    return standard
