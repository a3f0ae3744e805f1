"""Every write about department forms and the annual form list (填报表格清单), the tasks a form becomes for
villages, and the work-channel registry. Base-table writes are in ``services``."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.catalog.models import ListKind
from jianfu.catalog.selectors import items_in_force
from jianfu.core.numbering import next_number
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region
from jianfu.orgs.roles import Capability

from .. import dedup, periods
from ..models import (
    CHANNEL_FLOW,
    FORM_FLOW,
    FREQUENCY_RANK,
    TASK_FLOW,
    BaseValue,
    ChannelStatus,
    ChannelUse,
    DepartmentForm,
    FormField,
    FormIssue,
    FormStatus,
    FormTask,
    FormTransition,
    Frequency,
    Indicator,
    ListRules,
    TaskValue,
    ValueType,
    WorkChannel,
)
from . import rollup
from .base_table import check_version, indicator_period, parse_value, value_correct
from .schedules import check_due_day, open_period, refuse_issue
from .task_review import record_step


def acts_for(actor, department: Department) -> bool:
    """A department clerk (or member unit) registers and issues forms for their own department only."""
    return access.acts_for(actor, Capability.FORMS_REGISTER, department)


def _transition(form, to_status, actor, note="") -> None:
    FormTransition.objects.create(
        form=form,
        from_status=form.status,
        to_status=to_status,
        note=note[:300],
        by=actor if actor is not None else None,
        at=timezone.now(),
    )


def _locked(form: DepartmentForm, expected_version) -> DepartmentForm:
    locked = DepartmentForm.objects.select_for_update().get(pk=form.pk)
    check_version(locked, expected_version, "该报表")
    return locked


# Registration ----------------------------------------------------------------------------------------------


def field_suggestions(form: DepartmentForm, label: str, unit: str) -> tuple[list, list]:
    """The indicator each field most likely is, and the indicators or other forms' fields it duplicates."""
    indicators = Indicator.objects.filter(is_active=True, region__code__in=_ancestor_codes(form.region))
    proposals = dedup.propose(label, unit, ((i.pk, i.name, i.unit) for i in indicators))
    others = (
        FormField.objects.filter(form__year=form.year)
        .exclude(form=form)
        .exclude(form__status__in=[FormStatus.REJECTED, FormStatus.MERGED, FormStatus.RETIRED])
        .select_related("form")
    )
    field_hits = [
        p for p in dedup.propose(label, unit, ((f.pk, f.label, f.unit) for f in others), 5) if p.is_duplicate
    ]
    names = {f.pk: f"{f.form.name}·{f.label}" for f in others}
    duplicates = [
        {"kind": "indicator", "id": p.key, "name": p.name, "score": round(p.score)}
        for p in proposals
        if p.is_duplicate
    ]
    duplicates += [
        {"kind": "field", "id": p.key, "name": names.get(p.key, p.name), "score": round(p.score)}
        for p in field_hits
    ]
    return [{"indicator": p.key, "name": p.name, "score": round(p.score)} for p in proposals], duplicates


def _ancestor_codes(region: Region) -> list[str]:
    return [region.code[:n].ljust(12, "0") for n in (2, 4, 6)]


def _check_fields(fields: list[dict]) -> list[str]:
    errors, seen = [], set()
    if not fields:
        errors.append("报表至少要有一个栏目。")
    for n, spec in enumerate(fields, 1):
        label = (spec.get("label") or "").strip()
        if not label:
            errors.append(f"第 {n} 个栏目没有名称。")
        elif label in seen:
            errors.append(f"栏目“{label}”重复。")
        seen.add(label)
        if spec.get("value_type", ValueType.INTEGER) not in ValueType.values:
            errors.append(f"栏目“{label}”的数据类型不正确。")
    return errors


@transaction.atomic
def form_register(
    *,
    actor,
    department: Department,
    region: Region,
    year: int,
    name: str,
    legal_basis: str,
    frequency: str,
    fields: list[dict],
    list_item_code: str = "",
    exception_reason: str = "",
    due_day=10,
) -> DepartmentForm:
    """A department registers a form and its fields; the platform proposes the matching indicator for every
    field and flags duplicates (of indicators and of other forms' fields). The form starts as a draft."""
    access.require(actor, Capability.FORMS_REGISTER, message="只有职能部门可以登记报表。")
    if not acts_for(actor, department):
        raise PermissionDenied("只能为本部门登记报表。")
    if region.level > Level.TOWNSHIP or not region.code.startswith(department.region.prefix):
        raise ValidationError({"region": "适用区划须是本部门所在区划或其下的乡镇（街道）。"})
    errors = _check_fields(fields)
    if errors:
        raise ValidationError({"fields": errors})
    form = DepartmentForm(
        department=department,
        region=region,
        year=year,
        name=name.strip(),
        legal_basis=legal_basis.strip(),
        frequency=frequency,
        list_item_code=list_item_code.strip(),
        exception_reason=exception_reason.strip(),
        due_day=check_due_day(due_day),
        created_by=actor if actor is not None else None,
    )
    form.list_item_text = _list_item_text(form)
    form.full_clean()
    form.save()
    for position, spec in enumerate(fields, 1):
        _add_field(form, position, spec)
    _transition(form, FormStatus.DRAFT, actor, "登记")
    audit_record(actor=actor, action="forms.form_register", obj=form, after=snapshot(form))
    return form


def _list_item_text(form: DepartmentForm) -> str:
    if not form.list_item_code:
        return ""
    on = date(form.year, 1, 1)
    kinds = [ListKind.DUTY, ListKind.ASSIST, ListKind.UNDERTAKEN]
    item = next((i for i in items_in_force(form.region, on, kinds) if i.code == form.list_item_code), None)
    if item is None:
        item = next(
            (
                i
                for i in items_in_force(form.region, date(form.year, 12, 31), kinds)
                if i.code == form.list_item_code
            ),
            None,
        )
    if item is None:
        raise ValidationError(
            {
                "list_item_code": f"{form.year} 年的依法履职、依法协助、社区承办事项清单中没有编码为“{form.list_item_code}”的事项。"
            }
        )
    return item.content[:300]


def _add_field(form, position, spec) -> FormField:
    label, unit = spec["label"].strip(), (spec.get("unit") or "").strip()
    proposals, duplicates = field_suggestions(form, label, unit)
    indicator = spec.get("indicator")
    if isinstance(indicator, int):
        indicator = Indicator.objects.filter(pk=indicator, is_active=True).first()
    field = FormField(
        form=form,
        position=position,
        label=label,
        unit=unit,
        value_type=spec.get("value_type") or ValueType.INTEGER,
        indicator=indicator,
        justification=(spec.get("justification") or "").strip(),
        proposals=proposals,
        duplicates=duplicates,
    )
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def field_map(
    *, actor, field: FormField, indicator: Indicator | None, justification: str = "", expected_version=None
) -> FormField:
    """The department maps a field to a base indicator (served from the base table) or keeps it new, saying why."""
    form = _locked(field.form, expected_version)
    access.require(actor, Capability.FORMS_REGISTER, message="只有职能部门可以修改报表栏目。")
    if not acts_for(actor, form.department):
        raise PermissionDenied("只能修改本部门的报表。")
    FORM_FLOW.check(form, "edit", name=f"报表“{form.name}”")
    if indicator is not None and indicator.region.code not in _ancestor_codes(form.region):
        raise ValidationError({"indicator": "只能对应本县（及上级）的基础指标。"})
    field = FormField.objects.get(pk=field.pk)
    before = {"indicator": field.indicator_id, "justification": field.justification}
    field.indicator, field.justification = indicator, justification.strip()
    field.full_clean()
    field.save()
    form.version += 1
    form.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="forms.field_map",
        obj=form,
        before=before,
        after={"field": field.label, "indicator": field.indicator_id, "justification": field.justification},
    )
    return field


@transaction.atomic
def form_submit(*, actor, form: DepartmentForm, expected_version=None) -> DepartmentForm:
    """Send the draft for approval into the annual list: every new field needs its justification, and a field
    that duplicates an indicator must be mapped to it."""
    form = _locked(form, expected_version)
    access.require(actor, Capability.FORMS_REGISTER, message="只有职能部门可以提交报表。")
    if not acts_for(actor, form.department):
        raise PermissionDenied("只能提交本部门的报表。")
    FORM_FLOW.check(form, "submit", name=f"报表“{form.name}”")
    errors = []
    for field in form.fields.all():
        if field.indicator_id:
            continue
        if not field.justification:
            errors.append(f"新增栏目“{field.label}”须说明新增理由，或对应到基础指标。")
        twin = next((d for d in field.duplicates if d["kind"] == "indicator"), None)
        if twin:
            errors.append(
                f"栏目“{field.label}”与基础指标“{twin['name']}”重复，请直接对应该指标（一次录入、多方共享）。"
            )
    if errors:
        raise ValidationError({"fields": errors})
    _transition(form, FormStatus.SUBMITTED, actor, "提交审定")
    before = snapshot(form)
    FORM_FLOW.move(form, "submit")
    form.version += 1
    form.save()
    audit_record(actor=actor, action="forms.form_submit", obj=form, before=before, after=snapshot(form))
    return form


def rules_for(region: Region) -> ListRules:
    """The list rules of the form's county (published-practice defaults until the county sets its own)."""
    county = (
        region if region.level <= Level.COUNTY else Region.objects.get(code=region.code[:6].ljust(12, "0"))
    )
    return ListRules.objects.filter(region=county).first() or ListRules(region=county)


def rule_breaches(form: DepartmentForm) -> list[str]:
    """Why the annual list's rules would not admit the form (empty: it may be approved)."""
    rules, breaches = rules_for(form.region), []
    if rules.require_list_item and not form.list_item_code:
        breaches.append("未注明服务的依法履职或依法协助清单事项，只有服务清单事项的报表才能列入。")
    approved = DepartmentForm.objects.filter(
        department=form.department, year=form.year, status=FormStatus.APPROVED
    ).exclude(pk__in=[form.pk, *form.earlier_ids()])  # a new version replaces its old one, it does not add
    if approved.count() >= rules.max_forms_per_department:
        breaches.append(
            f"{form.department.name} {form.year} 年已有 {approved.count()} 张报表列入清单，"
            f"每个部门最多 {rules.max_forms_per_department} 张，请合并到已列入的报表。"
        )
    if FREQUENCY_RANK[form.frequency] > FREQUENCY_RANK[rules.max_frequency] and not form.exception_reason:
        breaches.append(
            f"填报频次“{form.get_frequency_display()}”高于“{Frequency(rules.max_frequency).label}”，"
            "须说明例外理由并经审定。"
        )
    return breaches


def own_form_refusal(form: DepartmentForm) -> str:
    return f"您是{form.department.name}的工作人员，不能审定本部门的报表，须由其他工作人员审定。"


def may_decide_form(actor, form: DepartmentForm) -> bool:
    """The county office (or the township) decides a department's form, never one of its own department's."""
    return access.may(actor, Capability.FORMS_REVIEW, form.region) and not access.works_in(
        actor, form.department
    )


def _require_reviewer(actor, form, step: str):
    access.require(
        actor, Capability.FORMS_REVIEW, form.region, message="只有县减负工作机构或乡镇（街道）可以审定报表。"
    )
    access.require_that(not access.works_in(actor, form.department), own_form_refusal(form))
    FORM_FLOW.check(form, step, name=f"报表“{form.name}”")


@transaction.atomic
def form_approve(*, actor, form: DepartmentForm, note: str = "", expected_version=None) -> DepartmentForm:
    """Approve the form into the annual list; the list's rules are checked here, not at registration."""
    form = _locked(form, expected_version)
    _require_reviewer(actor, form, "approve")
    breaches = rule_breaches(form)
    if breaches:
        raise ValidationError({"__all__": breaches})
    _transition(form, FormStatus.APPROVED, actor, note or "列入年度填报表格清单")
    before = snapshot(form)
    if form.revises_id is None:  # a new version keeps its list number
        form.number = f"TB-{form.region.code[:6]}-{form.year}-{next_number(f'forms.list.{form.region.code[:6]}.{form.year}'):03d}"
    FORM_FLOW.move(form, "approve")
    form.decision_note, form.version = note.strip(), form.version + 1
    form.save()
    if form.revises_id is not None:
        from .versions import supersede

        supersede(actor=actor, new=form)
    audit_record(actor=actor, action="forms.form_approve", obj=form, before=before, after=snapshot(form))
    return form


@transaction.atomic
def form_reject(
    *, actor, form: DepartmentForm, note: str, merge_into: DepartmentForm | None = None, expected_version=None
) -> DepartmentForm:
    """Keep the form out of the list (e.g. it duplicates the base table), or merge it into an approved form."""
    form = _locked(form, expected_version)
    _require_reviewer(actor, form, "merge" if merge_into is not None else "reject")
    if not (note or "").strip():
        raise ValidationError({"note": "请填写不予列入或合并的理由。"})
    step = "reject"
    if merge_into is not None:
        merge_into = DepartmentForm.objects.get(pk=merge_into.pk)
        if (
            merge_into.pk == form.pk
            or not FORM_FLOW.may(merge_into, "schedule")
            or merge_into.year != form.year
        ):
            raise ValidationError({"merge_into": "只能合并到同一年度已列入清单的另一张报表。"})
        step = "merge"
    _transition(form, FORM_FLOW.transitions[step].target, actor, note)
    before = snapshot(form)
    FORM_FLOW.move(form, step)
    form.merged_into, form.decision_note = merge_into, note.strip()
    form.version += 1
    form.save()
    action = "forms.form_merge" if merge_into else "forms.form_reject"
    audit_record(actor=actor, action=action, obj=form, before=before, after=snapshot(form))
    return form


# Issuing and filling -------------------------------------------------------------------------------------


@transaction.atomic
def form_issue(*, actor, form: DepartmentForm, period: str) -> FormIssue:
    """Open a period of a listed form now, for the villages whose township's schedule has it (the platform opens
    each period by itself on schedule; this is the department opening one early). Mapped fields are served
    from the base table; only the new fields become typing work. Off the list or more often is refused."""
    form = DepartmentForm.objects.select_for_update().get(pk=form.pk)
    access.require(actor, Capability.FORMS_REGISTER, message="只有报表所属部门可以下发报表。")
    if not acts_for(actor, form.department):
        raise PermissionDenied("只能下发本部门的报表。")
    if form.status == FormStatus.APPROVED and (
        periods.kind_of(period) is None or int(period[:4]) != form.year
    ):
        hint = periods.HINTS.get(periods.period_frequency(form.frequency), str(form.year))
        raise ValidationError(
            {"period": f"统计期应为 {form.year} 年内，按清单频次写作如 {form.year}{hint[4:]}。"}
        )
    refuse_issue(form, period)
    if FormIssue.objects.filter(form_id__in=[form.pk, *form.earlier_ids()], period=period).exists():
        raise ValidationError({"period": f"{period} 已经开放（下发）过。"})
    issue, _ = open_period(form, period, actor=actor, scheduled=False)
    form.version += 1
    form.save(update_fields=["version"])
    return issue


def served_value(task: FormTask, field: FormField) -> BaseValue | None:
    if not field.indicator_id:
        return None
    return BaseValue.objects.filter(
        village=task.village,
        indicator_id=field.indicator_id,
        period=_indicator_period(field, task.issue.period),
    ).first()


def _indicator_period(field: FormField, period: str) -> str:
    return indicator_period(field.indicator.period, period)


@transaction.atomic
def task_submit(
    *,
    actor,
    task: FormTask,
    typed: dict,
    corrections: dict | None = None,
    reason: str = "",
    expected_version=None,
) -> FormTask:
    """The village types the new fields, and confirms the served ones or corrects them (a correction goes back
    into the base table with its history, so the next form is right)."""
    task = (
        FormTask.objects.select_for_update(of=("self",))
        .select_related("issue__form", "village")
        .get(pk=task.pk)
    )
    check_version(task, expected_version, "该填报任务")
    access.require(
        actor, Capability.FORMS_ENTER, task.village, message=f"只有“{task.village.name}”的干部可以填报。"
    )
    if not TASK_FLOW.may(task, "submit"):
        raise ValidationError(f"该报表{task.get_status_display()}，不能再报送。")
    before = task.status
    counted = rollup.contribution(task)
    fields = list(task.issue.form.fields.select_related("indicator"))
    corrections = {k: v for k, v in (corrections or {}).items() if str(v).strip()}
    errors, values = _typed_values(fields, typed)
    mapped = {f.pk for f in fields if f.indicator_id}
    # Only served (mapped) fields of this form can be corrected; anything else would reach no indicator.
    errors += [
        f"第 {k} 号栏目不是本报表从基础数据带出的栏目，不能更正。" for k in corrections if k not in mapped
    ]
    if corrections and not reason.strip():
        errors.append("更正共享数据须说明理由。")
    if errors:
        raise ValidationError({"values": errors})
    for field in fields:
        if field.pk in corrections:
            value_correct(
                actor=actor,
                village=task.village,
                indicator=field.indicator,
                period=_indicator_period(field, task.issue.period),
                value=corrections[field.pk],
                reason=reason,
            )
    missing = [
        f.label
        for f in fields
        if f.indicator_id and f.pk not in corrections and served_value(task, f) is None
    ]
    if missing:
        raise ValidationError(
            {"values": [f"基础数据中还没有“{m}”，请在更正栏填写（将写入基础数据）。" for m in missing]}
        )
    for field, text in values.items():
        TaskValue.objects.update_or_create(task=task, field=field, defaults={"value": text})
    task.typed = len(values) + len(corrections)
    task.served = sum(1 for f in fields if f.indicator_id and f.pk not in corrections)
    TASK_FLOW.move(task, "submit")
    task.submitted_at, task.version = timezone.now(), task.version + 1
    task.on_time = None if task.due_on is None else timezone.localdate(task.submitted_at) <= task.due_on
    task.return_reason = ""
    task.save()
    rollup.task_change(task, counted)
    record_step(task, "submit", before, actor)
    audit_record(
        actor=actor,
        action="forms.task_submit",
        obj=task,
        after={"typed": task.typed, "served": task.served, "corrected": len(corrections)},
    )
    return task


def _typed_values(fields, typed) -> tuple[list[str], dict]:
    errors, values = [], {}
    for field in fields:
        if field.indicator_id:
            continue
        raw = str(typed.get(field.pk, "")).strip()
        probe = Indicator(name=field.label, unit=field.unit, value_type=field.value_type)
        try:
            values[field] = parse_value(probe, raw)[0]
        except ValidationError as exc:
            errors += exc.messages
    return errors, values


# List rules and channels -----------------------------------------------------------------------------------


@transaction.atomic
def list_rules_save(
    *,
    actor,
    region: Region,
    require_list_item: bool,
    max_forms_per_department: int,
    max_frequency: str,
    expected_version=None,
) -> ListRules:
    access.require(
        actor, Capability.FORMS_MANAGE, region, message="只有县减负工作机构可以设置填报表格清单规则。"
    )
    if region.level != Level.COUNTY:
        raise ValidationError({"region": "填报表格清单规则按县设置。"})
    rules = ListRules.objects.select_for_update().filter(region=region).first()
    before = snapshot(rules) if rules else None
    if rules is None:
        rules = ListRules(region=region)
    else:
        check_version(rules, expected_version, "清单规则")
        rules.version += 1
    if max_forms_per_department < 1:
        raise ValidationError({"max_forms_per_department": "每个部门至少可以列入 1 张报表。"})
    rules.require_list_item, rules.max_forms_per_department = require_list_item, max_forms_per_department
    rules.max_frequency = max_frequency
    rules.full_clean()
    rules.save()
    audit_record(actor=actor, action="forms.list_rules_save", obj=rules, before=before, after=snapshot(rules))
    return rules


@transaction.atomic
def channel_register(
    *, actor, kind: str, name: str, department: Department, region: Region, purpose: str, uses: list[str]
) -> WorkChannel:
    """A department registers a group or APP it points at villages (the county office may register any)."""
    if actor is not None and not (
        acts_for(actor, department)
        and actor.has_capability(Capability.FORMS_REGISTER)
        or actor.can(Capability.FORMS_MANAGE, department.region)
    ):
        raise PermissionDenied("只能登记本部门的工作群和政务APP。")
    if not region.code.startswith(department.region.prefix):
        raise ValidationError({"region": "覆盖区划须在主管部门所在区划之内。"})
    bad = [u for u in uses if u not in ChannelUse.values]
    if not uses or bad:
        raise ValidationError(
            {"uses": "请至少选择一项用途。" if not uses else f"用途不正确：{'、'.join(bad)}"}
        )
    channel = WorkChannel(
        kind=kind,
        name=name.strip(),
        department=department,
        region=region,
        purpose=purpose.strip(),
        uses=sorted(set(uses)),
    )
    channel.full_clean()
    channel.save()
    audit_record(actor=actor, action="forms.channel_register", obj=channel, after=snapshot(channel))
    return channel


@transaction.atomic
def channel_set_status(
    *, actor, channel: WorkChannel, status: str, note: str = "", merged_into: str = "", expected_version=None
) -> WorkChannel:
    """The county office records what the clean-up decided: keep, merge into another channel, or close."""
    access.require(
        actor, Capability.FORMS_MANAGE, channel.region, message="只有县减负工作机构可以处理工作群和政务APP。"
    )
    channel = WorkChannel.objects.select_for_update().get(pk=channel.pk)
    check_version(channel, expected_version, "该工作群（APP）")
    if status not in CHANNEL_FLOW.transitions:
        raise ValidationError({"status": "请选择保留、整合或关停。"})
    if status == ChannelStatus.MERGED and not merged_into.strip():
        raise ValidationError({"merged_into": "请写明整合到哪个群或平台。"})
    if status == ChannelStatus.KEPT and channel.flagged_for_closure and not note.strip():
        raise ValidationError(
            {"note": "该渠道仅用于投票、积分、摊派指标或签到打卡，应予关停；如保留须说明理由。"}
        )
    before = snapshot(channel)
    CHANNEL_FLOW.move(channel, status)
    channel.status_note, channel.merged_into = note.strip(), merged_into.strip()
    channel.status_changed_at, channel.version = timezone.now(), channel.version + 1
    channel.save()
    audit_record(
        actor=actor, action="forms.channel_status", obj=channel, before=before, after=snapshot(channel)
    )
    return channel
