"""Field edits to a form already in the annual list: a new version of the form (``revises`` the listed one) that
walks the same approval as the original — draft, map fields, submit, the reviewer lists it. Once it is listed the
old version is superseded: the periods it opened keep it (their tasks and values stay as filled), the periods opened
after use the new version (``open_period`` skips a period an earlier version opened)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jianfu.audit.services import audit_record, snapshot
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from ..models import FORM_FLOW, DepartmentForm, FormStatus, TownshipSchedule
from .forms import _add_field, _check_fields, _locked, _transition, acts_for

OPEN_STATES = (FormStatus.DRAFT, FormStatus.SUBMITTED)


def open_revision(form: DepartmentForm) -> DepartmentForm | None:
    """The version of ``form`` being drafted or waiting for approval, if any (at most one)."""
    return DepartmentForm.objects.filter(revises=form, status__in=OPEN_STATES).first()


def current_fields(form: DepartmentForm) -> list[dict]:
    return [
        {
            "label": f.label,
            "unit": f.unit,
            "value_type": f.value_type,
            "indicator": f.indicator_id,
            "justification": f.justification,
        }
        for f in form.fields.order_by("position")
    ]


def _same(fields: list[dict], old: list[dict]) -> bool:
    def key(rows):
        return [
            (r["label"].strip(), (r.get("unit") or "").strip(), r.get("value_type") or "integer")
            for r in rows
        ]

    return key(fields) == key(old)


@transaction.atomic
def form_revise(
    *, actor, form: DepartmentForm, fields: list[dict], reason: str, expected_version=None
) -> DepartmentForm:
    """The department changes the fields of its listed form: a new draft version with the new fields (a kept field
    keeps its indicator and justification), to be submitted and approved like the original."""
    form = _locked(form, expected_version)
    access.require(actor, Capability.FORMS_REGISTER, message="只有职能部门可以修订报表栏目。")
    if not acts_for(actor, form.department):
        raise PermissionDenied("只能修订本部门的报表。")
    FORM_FLOW.check(form, "revise", name=f"报表“{form.name}”")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"revision_reason": "请填写「修订理由」：说明为什么修改已列入清单的报表栏目。"})
    pending = open_revision(form)
    if pending is not None:
        raise ValidationError(
            {
                "fields": f"“{form.name}”的第 {pending.edition} 版修订还在{pending.get_status_display()}，请先办完它。"
            }
        )
    errors = _check_fields(fields)
    if errors:
        raise ValidationError({"fields": errors})
    if _same(fields, current_fields(form)):
        raise ValidationError({"fields": "「栏目」没有变化：修订须增加、删除或修改至少一个栏目。"})
    new = _copy(form, actor, reason)
    kept = {f["label"].strip(): f for f in current_fields(form)}
    for position, spec in enumerate(fields, 1):
        old = kept.get(spec["label"].strip())
        if old is not None and (spec.get("unit") or "").strip() == old["unit"]:
            spec = {
                **spec,
                "indicator": old["indicator"],
                "justification": spec.get("justification") or old["justification"],
            }
        _add_field(new, position, spec)
    _transition(new, FormStatus.DRAFT, actor, f"修订第 {form.edition} 版：{reason}")
    audit_record(
        actor=actor,
        action="forms.form_revise",
        obj=new,
        before={
            "form": form.pk,
            "edition": form.edition,
            "fields": [f["label"] for f in current_fields(form)],
        },
        after=snapshot(new),
        message=reason,
    )
    return new


def _copy(form: DepartmentForm, actor, reason: str) -> DepartmentForm:
    new = DepartmentForm(
        department=form.department,
        region=form.region,
        year=form.year,
        number=form.number,
        name=form.name,
        legal_basis=form.legal_basis,
        frequency=form.frequency,
        list_item_code=form.list_item_code,
        list_item_text=form.list_item_text,
        exception_reason=form.exception_reason,
        due_day=form.due_day,
        revises=form,
        edition=form.edition + 1,
        revision_reason=reason[:300],
        created_by=actor if actor is not None else None,
    )
    new.full_clean(validate_constraints=False)
    new.save()
    return new


def supersede(*, actor, new: DepartmentForm) -> None:
    """Inside the approval of ``new``: the version it revises leaves the list and hands over its townships'
    schedules; periods it opened stay with it."""
    assert new.revises_id is not None
    old = DepartmentForm.objects.select_for_update().get(pk=new.revises_id)
    if not FORM_FLOW.may(old, "supersede"):
        raise ValidationError(
            {"__all__": f"被修订的第 {old.edition} 版当前为{old.get_status_display()}，不能再由新版本替代。"}
        )
    _transition(old, FormStatus.SUPERSEDED, actor, f"由第 {new.edition} 版替代")
    before = snapshot(old)
    FORM_FLOW.move(old, "supersede")
    old.version += 1
    old.save()
    for schedule in TownshipSchedule.objects.filter(form=old):
        TownshipSchedule.objects.get_or_create(
            form=new,
            township_id=schedule.township_id,
            defaults={
                "frequency": schedule.frequency,
                "due_day": schedule.due_day,
                "note": schedule.note,
                "changed_by": schedule.changed_by,
                "changed_at": schedule.changed_at,
            },
        )
    audit_record(
        actor=actor,
        action="forms.form_supersede",
        obj=old,
        before=before,
        after=snapshot(old),
        message=f"由第 {new.edition} 版替代",
    )
