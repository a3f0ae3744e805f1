"""Findings: intake from every source, the department they name, the inspector's decisions, and every later move
along ``models.findings.FINDING_FLOW`` (one helper, ``move``, checks the table, writes the step and the audit row).

A decision on a finding that came from a burden event also sets that event's verdict, so the dashboards' rollup
and every count drawn from events follow the inspector rather than the automatic check. Where that verdict was the
classifier's (a task, or a certificate demand without a code), the decision also becomes a decided correction for
the county's wording (``catalog.corrections``): the classifier then answers the same wording as the inspector did.

Lock order (``rollup``'s module docstring states it for every service): the chain heads of every county the
service touches, in county-code order (``rollup.lock_counties``), then the event, then its finding, then the
cells. ``findings_decide`` takes all its counties' heads before the first finding, and each finding's event
before the finding, as ``event_recheck`` and the verdict correction (event, then the finding its re-check
refreshes) do; so a decision and a re-check of the same event never wait for each other in a circle.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz

from jianfu.audit.services import audit_record, snapshot
from jianfu.core import partitions
from jianfu.core.checks import Check
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.text import limit_of
from jianfu.orgs.models import Department, Region, ancestor_codes_of
from jianfu.orgs.roles import Capability

from ..models import (
    FINDING_FLOW,
    AutoVerdict,
    BurdenEvent,
    ClueReview,
    Finding,
    FindingSource,
    FindingState,
    FindingStep,
    Verdict,
)
from ..rulebook import basis_for
from . import finding_rollup, rollup

FINDING_FIELDS = ("id", "source", "village", "department", "subject", "rule", "automatic", "state", "reason")
# A free-text name matches a department when it scores at least this (rapidfuzz partial ratio, 0-100);
# one match well ahead of the next is taken, several close ones are left for the inspector to confirm.
MATCH_SCORE = 80
MATCH_LEAD = 10
MAX_BULK = 200


def _norm(text: str) -> str:
    return "".join((text or "").split()).replace("（", "(").replace("）", ")")


def county_departments(village: Region):
    """The departments that may push work down to ``village``: its own region's and those above it."""
    return Department.objects.filter(region__code__in=ancestor_codes_of(village.code), is_active=True)


def match_department(village: Region, text: str) -> tuple[Department | None, list[int]]:
    """The department ``text`` names among those above the village, or (None, the candidates to choose from)."""
    name = _norm(text)
    if not name:
        return None, []
    departments = list(county_departments(village).select_related("region"))
    exact = [d for d in departments if _norm(d.name) == name]
    if len(exact) == 1:
        return exact[0], []
    scored = sorted(
        (
            (max(fuzz.ratio(name, _norm(d.name)), fuzz.partial_ratio(name, _norm(d.name))), d)
            for d in departments
        ),
        key=lambda pair: (-pair[0], pair[1].pk),
    )
    close = [(score, d) for score, d in scored if score >= MATCH_SCORE]
    if len(close) == 1 or (len(close) > 1 and close[0][0] - close[1][0] >= MATCH_LEAD):
        return close[0][1], []
    nearest = _nearest_level(close)
    if nearest is not None:
        return nearest, []
    return None, [d.pk for _, d in close[:5]]


def _nearest_level(close: list) -> Department | None:
    """Among names that fit equally well, the department nearest the village: a village that writes "人社局"
    means its county's 人社局, not the prefecture's 市人社局 above it. Two at the same level stay ambiguous."""
    top = [d for score, d in close if close[0][0] - score < MATCH_LEAD]
    deepest = max((d.region.level for d in top), default=None)
    nearest = [d for d in top if d.region.level == deepest]
    return nearest[0] if len(nearest) == 1 else None


def check_department(village: Region, department: Department) -> None:
    """A department outside the village's county (and the regions above it) cannot be named for it."""
    if department.region.code not in ancestor_codes_of(village.code):
        raise ValidationError(
            {"department": f"“{department.name}”不是{village.name}所在县及上级的部门，不能作为责任部门。"}
        )


AUTOMATIC = {True: AutoVerdict.OK, False: AutoVerdict.VIOLATION, None: AutoVerdict.UNDECIDED}


def finding_intake(
    *,
    source: str,
    record_pk: int,
    village: Region,
    occurred_on: date,
    subject: str,
    check: Check,
    department: Department | None = None,
    department_text: str = "",
    evidence_url: str = "",
    evidence_label: str = "",
    event: BurdenEvent | None = None,
    actor=None,
) -> Finding | None:
    """Create or refresh the finding of one source record; called inside the source's own transaction.

    A record whose check passed creates nothing (an existing finding keeps its state, the inspector's call).
    Returns the finding, or None."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("finding_intake must run in the source record's transaction")
    if source not in FindingSource.values:
        raise ValueError(source)
    key = f"{source}:{record_pk}"
    # On PostgreSQL findings are partitioned by month, so ``source_key`` has no unique index there: two
    # intakes of one record (a re-check racing the first) meet at this lock, and the second finds the first.
    partitions.lock_unique("finding", key)
    finding = Finding.objects.select_for_update(of=("self",)).filter(source_key=key).first()
    if finding is None and check.passed is True:
        return None
    if department is not None:
        check_department(village, department)
        candidates: list[int] = []
    else:
        department, candidates = match_department(village, department_text)
    fields = {
        "automatic": AUTOMATIC[check.passed],
        "rule": check.rule[:200],
        "basis": basis_for(check.rule)[:300],
        "detail": check.detail[: limit_of(Finding, "detail")],
    }
    if finding is not None:
        if finding.state == FindingState.PENDING:
            before = finding_rollup.cell(finding)
            for name, value in fields.items():
                setattr(finding, name, value)
            finding.version += 1
            finding.save(update_fields=[*fields, "version"])
            finding_rollup.change(finding, before)
        return finding
    finding = Finding(
        source=source,
        source_key=key,
        event=event,
        village=village,
        region_code=village.code,
        department=department,
        department_text=(department_text or (department.name if department else ""))[:100],
        department_candidates=candidates,
        occurred_on=occurred_on,
        subject=(subject or "").strip()[:200] or "（未写明事项）",
        evidence_url=evidence_url[:300],
        evidence_label=evidence_label[:100],
        **fields,
    )
    finding.full_clean(exclude=["region_code", "department_candidates"])
    finding.save()
    finding_rollup.add(finding)
    FindingStep.objects.create(
        finding=finding, action="intake", to_state=FindingState.PENDING, actor=actor, note=finding.rule
    )
    audit_record(
        actor=actor,
        action="monitoring.finding_intake",
        obj=finding,
        after=snapshot(finding, FINDING_FIELDS),
        region_code=finding.region_code,
    )
    return finding


def judged_verdict(event: BurdenEvent) -> str | None:
    """The inspector's verdict on the event, once its finding is decided; None while it waits."""
    state = Finding.objects.filter(event_id=event.pk).values_list("state", flat=True).first()
    if state is None or state == FindingState.PENDING:
        return None
    return Verdict.OK if state == FindingState.DISMISSED else Verdict.VIOLATION


def event_finding(event: BurdenEvent, actor=None) -> Finding | None:
    """The finding of a burden event (a monitor's record, a clue, a grid worker's report); a form's event counts
    as the source "form outside the annual list"."""
    from django.urls import reverse

    from ..models import EventKind, Origin

    if event.origin == Origin.CLUE:
        source = FindingSource.CLUE
    elif event.origin == Origin.GRID:
        source = FindingSource.GRID
    else:
        source = FindingSource.FORM if event.kind == EventKind.FORM else FindingSource.EVENT
    passed: bool | None = {"ok": True, "violation": False}.get(str(event.verdict))
    return finding_intake(
        source=source,
        record_pk=event.pk,
        village=event.village,
        occurred_on=event.occurred_on,
        subject=event.subject or f"{event.get_kind_display()}：{event.description[:60]}",
        check=Check(passed, event.check_rule, event.check_detail, event.check_url),
        department=event.department,
        evidence_url=reverse("monitoring:event_detail", kwargs={"pk": event.pk}),
        evidence_label=f"{event.get_origin_display()}（{event.get_kind_display()}）",
        event=event,
        # A clue's reporter never shows on the finding a department may read (nor in its steps).
        actor=None if event.is_clue else actor,
    )


# Moves -------------------------------------------------------------------------------------------------------


def _require_inspector(actor, finding: Finding) -> None:
    if actor is not None and not actor.can(Capability.MONITORING_PUBLISH, finding.village):
        raise PermissionDenied("只有纪检监察人员可以研判问题。")


def lock(finding: Finding, version: int | None) -> Finding:
    locked = Finding.objects.select_for_update(of=("self",)).select_related("village").get(pk=finding.pk)
    if version is not None and locked.version != version:
        raise StaleWriteError(f"问题“{locked.subject[:30]}”")
    return locked


def move(finding: Finding, action: str, *, actor, note: str = "", **changes) -> Finding:
    """The one place a finding changes state: refused unless ``FINDING_FLOW`` allows ``action`` from here."""
    FINDING_FLOW.check(finding, action, name=f"问题“{finding.subject[:30]}”")
    before, counted = snapshot(finding, FINDING_FIELDS), finding_rollup.cell(finding)
    for name, value in changes.items():
        setattr(finding, name, value)
    from_state, to_state = FINDING_FLOW.move(finding, action)
    finding.version += 1
    finding.save()
    finding_rollup.change(finding, counted)
    FindingStep.objects.create(
        finding=finding, action=action, from_state=from_state, to_state=to_state, actor=actor, note=note
    )
    audit_record(
        actor=actor,
        action=f"monitoring.finding_{action}",
        obj=finding,
        before=before,
        after=snapshot(finding, FINDING_FIELDS),
        region_code=finding.region_code,
    )
    return finding


def _sync_event(finding: Finding, actor) -> None:
    """The inspector's verdict replaces the event's automatic one (and so the rollup's counts)."""
    if finding.event_id is None:
        return
    event = BurdenEvent.objects.select_for_update(of=("self",)).get(pk=finding.event_id)
    verdict = Verdict.VIOLATION if finding.state == FindingState.CONFIRMED else Verdict.OK
    counted = rollup.contribution(event)
    event.verdict, event.version = verdict, event.version + 1
    fields = ["verdict", "version"]
    # A clue is judged once, as its finding: 认定违规 accepts it, 不认定 dismisses it (it no longer counts).
    review = {Verdict.VIOLATION: ClueReview.ACCEPTED, Verdict.OK: ClueReview.DISMISSED}[verdict]
    if event.is_clue and event.review != review:
        event.review, event.review_note = review, finding.reason[:300]
        fields += ["review", "review_note"]
    event.save(update_fields=fields)
    rollup.change(event, counted)


@transaction.atomic
def finding_department_set(*, actor, finding: Finding, department: Department, version: int | None = None):
    """The inspector confirms which department a free-text name meant (or corrects the matched one)."""
    _require_inspector(actor, finding)
    rollup.lock_counties([finding.region_code])
    finding = lock(finding, version)
    if department is None:
        raise ValidationError({"department": "请选择责任部门。"})
    check_department(finding.village, department)
    if finding.state not in (FindingState.PENDING, FindingState.CONFIRMED, FindingState.DISMISSED):
        raise ValidationError("该问题已通报，不能再更改责任部门。")
    before, counted = snapshot(finding, FINDING_FIELDS), finding_rollup.cell(finding)
    finding.department, finding.department_candidates = department, []
    finding.version += 1
    finding.save(update_fields=["department", "department_candidates", "version"])
    finding_rollup.change(finding, counted)
    FindingStep.objects.create(
        finding=finding,
        action="department",
        from_state=finding.state,
        to_state=finding.state,
        actor=actor,
        note=department.name,
    )
    audit_record(
        actor=actor,
        action="monitoring.finding_department",
        obj=finding,
        before=before,
        after=snapshot(finding, FINDING_FIELDS),
        region_code=finding.region_code,
    )
    return finding


DECISIONS = {"confirm": "认定违规", "dismiss": "不认定"}


def _corrected(finding: Finding, mode: str, decision: str, item_id: int | None):
    """(verdict, item pk) the decision means for the wording, or None when it says nothing about the wording (a
    dismissal without the list item the work falls under may rest on the facts, not on the words)."""
    from jianfu.catalog.models import ITEM_KIND_FOR_VERDICT, ListItem

    from .. import verdicts

    if decision == "dismiss":
        if item_id is None:
            return None
        item = ListItem.objects.filter(pk=item_id).select_related("work_list").first()
        kinds = {"work": ("duty", "assist"), "certificate": ("cert_allowed",)}[mode]
        verdict = next((v for v in kinds if item and ITEM_KIND_FOR_VERDICT[v] == item.work_list.kind), None)
        if verdict is None:
            wanted = "职责清单或协助清单" if mode == "work" else "可出具的证明事项清单"
            raise ValidationError({"item": f"不认定时所选的事项须是{wanted}中的事项。"})
        return verdict, item_id
    if finding.event is None:
        return None
    said = verdicts.machine_verdict(finding.event)
    if said["verdict"] not in ("negative", "cert_forbidden"):
        return "unlisted", None  # a violation no forbidding item names: outside the lists
    best = (said.get("matches") or [{}])[0]
    item = ListItem.objects.filter(work_list_id=best.get("list_id"), code=best.get("code")).first()
    return (said["verdict"], item.pk) if item else ("unlisted", None)


def _teach_classifier(finding: Finding, *, actor, decision: str, reason: str, item_id: int | None) -> None:
    """The decided verdict becomes a correction for the county's wording (decided at once by an inspector of
    the county, else asked of them), in this transaction: the classifier's answer follows the inspector's."""
    from jianfu.catalog import corrections
    from jianfu.catalog.classify import county_of
    from jianfu.catalog.models import CorrectionSource

    from ..verdicts import classifier_mode

    mode = classifier_mode(finding)
    if mode is None:
        if item_id is not None:
            raise ValidationError({"item": "该问题不是按清单比对核验的，无需选择清单事项。"})
        return
    corrected = _corrected(finding, mode, decision, item_id)
    if corrected is None:
        return
    source = CorrectionSource.MONITORING_EVENT
    county = county_of(finding.village)
    note = f"纪检监察研判“{DECISIONS[decision]}”：{reason}"[:500]
    if actor is not None and county is not None and not actor.can(Capability.MONITORING_PUBLISH, county):
        corrections.review_request(actor=actor, source=source, source_id=finding.event_id, question=note)
        return
    verdict, item = corrected
    corrections.verdict_correct(
        actor=actor,
        corrected_verdict=verdict,
        item_id=item,
        reason=note,
        source=source,
        source_id=finding.event_id,
    )


@transaction.atomic
def findings_decide(
    *,
    actor,
    items: list[tuple[int, int | None]],
    decision: str,
    reason: str,
    item_id: int | None = None,
) -> list[Finding]:
    """The inspector decides one or many findings at once (认定违规 or 不认定), with one reason; all or none:
    a finding decided meanwhile by someone else (its version moved) refuses the whole batch.

    ``item_id``: for one finding the classifier judged, the list item the work falls under when it is not a
    violation (不认定); the decision then teaches the classifier that item for the wording."""
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise ValidationError({"decision": "请选择“认定违规”或“不认定”。"})
    if not reason:
        raise ValidationError({"reason": "请写明研判理由。"})
    if len(reason) > limit_of(Finding, "reason"):
        raise ValidationError({"reason": f"研判理由不能超过 {limit_of(Finding, 'reason')} 字。"})
    if not items:
        raise ValidationError({"findings": "请至少选择一个问题。"})
    if len(items) > MAX_BULK:
        raise ValidationError({"findings": f"一次最多研判 {MAX_BULK} 个问题。"})
    if item_id is not None and len(items) > 1:
        raise ValidationError({"item": "对应的清单事项只能在逐个研判时选择。"})
    chosen = {
        f.pk: f for f in Finding.objects.select_related("village").filter(pk__in=[pk for pk, _ in items])
    }
    if len(chosen) != len({pk for pk, _ in items}):
        raise ValidationError({"findings": "所选问题不存在。"})
    for finding in chosen.values():
        _require_inspector(actor, finding)
    # Every county's chain head before any finding (the lock order of ``rollup``), not each in finding order.
    rollup.lock_counties(f.region_code for f in chosen.values())
    decided = []
    for pk, version in sorted(items):
        finding = chosen[pk]
        if finding.event_id is not None:  # the event before its finding (``_sync_event`` finds it held)
            BurdenEvent.objects.select_for_update(of=("self",)).filter(pk=finding.event_id).first()
        finding = lock(finding, version)
        if decision == "confirm" and finding.department_id is None:
            raise ValidationError(
                {"findings": f"问题“{finding.subject[:30]}”的责任部门尚未确认，请先确认再认定违规。"}
            )
        finding = move(
            finding,
            decision,
            actor=actor,
            note=reason,
            reason=reason,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _sync_event(finding, actor)
        _teach_classifier(finding, actor=actor, decision=decision, reason=reason, item_id=item_id)
        decided.append(finding)
    return decided


def finding_decide(
    *,
    actor,
    finding: Finding,
    decision: str,
    reason: str,
    version: int | None = None,
    item_id: int | None = None,
):
    """One finding (the detail page and the API's single decision)."""
    return findings_decide(
        actor=actor, items=[(finding.pk, version)], decision=decision, reason=reason, item_id=item_id
    )[0]


def may_confirm_rectification(user, finding: Finding) -> bool:
    """The monitor serving the finding's village (not any monitor of the region), or the inspector."""
    from .events import served_point

    if not user.is_authenticated:
        return False
    if user.can(Capability.MONITORING_PUBLISH, finding.village):
        return True
    return (
        user.has_capability(Capability.MONITORING_RECORD) and served_point(user, finding.village) is not None
    )
