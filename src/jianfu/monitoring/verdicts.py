"""How the inspector's judgement replaces the automatic check of a burden event (registered with
``catalog.corrections.SOURCES``): the event is checked again, and the classifier now answers for that wording
with the decided verdict, so the event's verdict, the violation counts in the rollup and any bulletin drawn
from it follow the correction."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.catalog.classify import classify, verdict_as_dict
from jianfu.catalog.corrections import SourceRecord, register_source
from jianfu.catalog.models import CorrectionSource

from .models import BurdenEvent, EventKind
from .services import findings, rollup

JUDGED_KINDS = (EventKind.TASK, EventKind.CERTIFICATE)


def _text(event: BurdenEvent) -> str:
    return (event.subject or "").strip() or event.description


def mode_of(event: BurdenEvent) -> str:
    """ "work" or "certificate" when the event's check is the classifier's; ValidationError otherwise."""
    if event.kind not in JUDGED_KINDS or (event.kind == EventKind.CERTIFICATE and event.certificate_code):
        raise ValidationError(
            "该负担事件不经清单比对核验（按计划、报表清单或证明编码核验），无需更正比对结论。"
        )
    return "certificate" if event.kind == EventKind.CERTIFICATE else "work"


def classifier_mode(finding) -> str | None:
    """ "work" or "certificate" when a finding rests on the classifier's verdict on its event's wording."""
    if finding.event_id is None:
        return None
    try:
        return mode_of(finding.event)
    except ValidationError:  # checked against plans, the form list, a certificate code…: not the classifier
        return None


def _record(pk: int) -> SourceRecord:
    event = BurdenEvent.objects.select_related("village").get(pk=pk)
    mode = mode_of(event)
    verdict = verdict_as_dict(classify(_text(event), event.village, event.occurred_on, mode=mode))
    return SourceRecord(event.village, _text(event), mode, verdict)


def machine_verdict(event: BurdenEvent) -> dict:
    """What the classifier says about the event now (confidence, nearest items) for the inspector's page."""
    mode = mode_of(event)
    return verdict_as_dict(classify(_text(event), event.village, event.occurred_on, mode=mode))


def _apply(pk: int, correction, actor) -> None:
    from .services import EVENT_FIELDS, apply_check

    # The county's chain head, the event, then its finding (``services.rollup``'s lock order).
    rollup.lock_county(BurdenEvent.objects.values_list("region_code", flat=True).get(pk=pk))
    event = BurdenEvent.objects.select_for_update().get(pk=pk)
    before, counted = snapshot(event, EVENT_FIELDS), rollup.contribution(event)
    apply_check(event)
    event.checked_at = timezone.now()
    event.version += 1
    event.save(update_fields=["verdict", "check_rule", "check_detail", "check_url", "checked_at", "version"])
    rollup.change(event, counted)
    findings.event_finding(event, actor)
    audit_record(
        actor=actor,
        action="monitoring.event_corrected",
        obj=event,
        before=before,
        after=snapshot(event, EVENT_FIELDS),
        region_code=event.region_code,
    )


def register() -> None:
    register_source(CorrectionSource.MONITORING_EVENT, load=_record, apply=_apply)
