"""People who correct the classifier: asking for a person's judgement (需人工研判) and deciding it.

A decided correction names the verdict and the list item in force in the county that the text is (none for
清单外), with a reason. In the same transaction it replaces the automatic verdict in the record it came from
(the app that owns the record registers how, in ``SOURCES``), and from then on the county's classifier
judges the same wording as decided and near wordings through the phrasing it adds to the item (see
``classify.py``). Every step is audited.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.chain import chain_of
from jianfu.audit.services import audit_record, lock_chain_head, snapshot
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability

from .classify import check_text, classify, county_of
from .models import (
    CORRECTION_FLOW,
    ITEM_KIND_FOR_VERDICT,
    CorrectionSource,
    CorrectionStatus,
    ListItem,
    VerdictCorrection,
    VerdictKind,
)
from .selectors import items_in_force

FIELDS = (
    "county",
    "region",
    "mode",
    "text",
    "source",
    "source_id",
    "original_verdict",
    "original_item_code",
    "original_confidence",
    "status",
    "corrected_verdict",
    "item",
    "reason",
    "question",
)
VERDICTS_FOR_MODE = {
    "work": (VerdictKind.DUTY, VerdictKind.ASSIST, VerdictKind.NEGATIVE, VerdictKind.UNLISTED),
    "certificate": (VerdictKind.CERT_ALLOWED, VerdictKind.CERT_FORBIDDEN, VerdictKind.UNLISTED),
}
# Who decides: the review office for the admission pre-check, the village's check and decline and the
# comparison page; the inspector for monitoring events (seed 003: the office reviews; 纪检 judges findings).
DECIDER = {
    CorrectionSource.PRECHECK: Capability.ADMISSION_REVIEW,
    CorrectionSource.VILLAGE_CHECK: Capability.ADMISSION_REVIEW,
    CorrectionSource.DECLINE: Capability.ADMISSION_REVIEW,
    CorrectionSource.CLASSIFY: Capability.ADMISSION_REVIEW,
    CorrectionSource.MONITORING_EVENT: Capability.MONITORING_PUBLISH,
}


@dataclass(frozen=True)
class SourceRecord:
    """What a record says the classifier judged: where, which text, and the stored verdict."""

    region: Region
    text: str
    mode: str
    verdict: dict  # verdict_as_dict shape


@dataclass(frozen=True)
class Source:
    load: Callable[[int], SourceRecord]  # the record's stored verdict (raises DoesNotExist)
    apply: Callable[..., None]  # apply(record_id, correction, actor): replace the stored verdict


# Apps that keep verdicts register here in AppConfig.ready (admission: precheck, decline; monitoring: events).
SOURCES: dict[str, Source] = {}


def register_source(source: str, *, load, apply) -> None:
    SOURCES[source] = Source(load, apply)


def _require(actor, source: str, county: Region) -> None:
    capability = DECIDER[source]
    if actor is None:
        return
    if not actor.can(capability, county):
        who = "纪检监察人员" if capability == Capability.MONITORING_PUBLISH else "准入审核委员会办公室"
        raise PermissionDenied(f"“{CorrectionSource(source).label}”的比对结论由{who}研判更正。")


def _original(source: str, source_id: int | None, region: Region | None, text: str, mode: str):
    """(region, text, mode, verdict dict) from the record, or from comparing the text now."""
    from .classify import verdict_as_dict

    if source_id is not None and source in SOURCES:
        try:
            record = SOURCES[source].load(source_id)
        except Exception as exc:  # the record's own DoesNotExist
            raise ValidationError({"source_id": "找不到要更正的记录。"}) from exc
        return record.region, record.text, record.mode, record.verdict
    if region is None:
        raise ValidationError({"region": "请选择比对的区划。"})
    text = check_text(text)
    return region, text, mode, verdict_as_dict(classify(text, region, timezone.localdate(), mode=mode))


def _county(region: Region) -> Region:
    county = county_of(region)
    if county is None:
        raise ValidationError({"region": "人工研判按县（市、区）进行，请选择县级或以下区划。"})
    return county


@transaction.atomic
def review_request(
    *,
    actor,
    source: str,
    source_id: int | None = None,
    region: Region | None = None,
    text: str = "",
    mode: str = "work",
    question: str = "",
) -> VerdictCorrection:
    """Ask the review office (or the inspector) to judge a verdict: a low confidence, or a village that
    doubts the check. One open request per record; asking again returns it."""
    if source not in CorrectionSource.values:
        raise ValidationError({"source": "未知的来源。"})
    region, text, mode, verdict = _original(source, source_id, region, text, mode)
    if (
        source == CorrectionSource.VILLAGE_CHECK
        and actor is not None
        and not actor.can(Capability.WORK_DECLINE, region)
    ):
        raise PermissionDenied("只能就本村（社区）收到的工作提请研判。")
    if len(question) > 500:
        raise ValidationError({"question": "提请说明请控制在 500 字以内。"})
    if source_id is not None:
        pending = VerdictCorrection.objects.filter(
            source=source, source_id=source_id, status=CorrectionStatus.PENDING
        ).first()
        if pending:
            return pending
    request = _new(region, text, mode, source, source_id, verdict)
    request.question, request.requested_by = question.strip(), actor
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # asked twice at once: the first request stands
        return VerdictCorrection.objects.get(
            source=source, source_id=source_id, status=CorrectionStatus.PENDING
        )
    audit_record(
        actor=actor,
        action="catalog.review_request",
        obj=request,
        after=snapshot(request, FIELDS),
        region_code=request.county.code,
    )
    return request


def _new(region, text, mode, source, source_id, verdict: dict) -> VerdictCorrection:
    best = (verdict.get("matches") or [{}])[0]
    return VerdictCorrection(
        county=_county(region),
        region=region,
        mode=mode,
        text=text,
        source=source,
        source_id=source_id,
        original_verdict=verdict.get("verdict", VerdictKind.UNLISTED),
        original_item_code=best.get("code", "") if verdict.get("verdict") != VerdictKind.UNLISTED else "",
        original_confidence=float(verdict.get("confidence") or 0),
    )


def item_choices(county: Region, mode: str, on: date | None = None) -> list[ListItem]:
    """The items a correction may name: those of the county's lists in force, of the mode's kinds."""
    kinds = [ITEM_KIND_FOR_VERDICT[v] for v in VERDICTS_FOR_MODE[mode] if v in ITEM_KIND_FOR_VERDICT]
    return items_in_force(county, on or timezone.localdate(), kinds)


def _checked_item(county: Region, mode: str, verdict: str, item_id: int | None) -> ListItem | None:
    if verdict not in VERDICTS_FOR_MODE[mode]:
        labels = "、".join(VerdictKind(v).label for v in VERDICTS_FOR_MODE[mode])
        raise ValidationError({"corrected_verdict": f"研判结论只能是：{labels}。"})
    if verdict == VerdictKind.UNLISTED:
        if item_id:
            raise ValidationError({"item": "清单外事项不对应清单条目，请不要选择事项。"})
        return None
    if not item_id:
        raise ValidationError({"item": f"请选择该“{VerdictKind(verdict).label}”对应的清单事项。"})
    kind = ITEM_KIND_FOR_VERDICT[verdict]
    for item in item_choices(county, mode):
        if item.pk == item_id and item.work_list.kind == kind:
            return item
    raise ValidationError(
        {
            "item": f"所选事项不是{county.name}现行有效的{kind.label}中的事项，不能据此更正；请从本县现行清单中选择。"
        }
    )


@transaction.atomic
def verdict_correct(
    *,
    actor,
    corrected_verdict: str,
    item_id: int | None,
    reason: str,
    request: VerdictCorrection | None = None,
    expected_version: int | None = None,
    source: str = CorrectionSource.CLASSIFY,
    source_id: int | None = None,
    region: Region | None = None,
    text: str = "",
    mode: str = "work",
) -> VerdictCorrection:
    """Decide a verdict: confirm it or correct it, naming the item in force in the county and a reason.

    Decides an open request (``request``) or corrects a record or a text directly. The record's stored
    verdict is replaced in the same transaction."""
    if request is None and source_id is not None:  # a record someone already asked about: decide that
        request = VerdictCorrection.objects.filter(
            source=source, source_id=source_id, status=CorrectionStatus.PENDING
        ).first()
    if request is not None:
        # The county's audit chain head before the request's row: a record's correction goes on to lock the
        # record and its head, and the monitoring services take the head first (their rollup's lock order).
        county_code = Region.objects.values_list("code", flat=True).get(pk=request.county_id)
        lock_chain_head(chain_of(county_code))
        correction = VerdictCorrection.objects.select_for_update().get(pk=request.pk)
        if expected_version is not None and correction.version != expected_version:
            raise StaleWriteError("该研判请求")
        if not CORRECTION_FLOW.may(correction, "decide"):
            raise ValidationError("该请求已经研判过；如需再次更正，请在原记录上重新更正。")
    else:
        if source not in CorrectionSource.values:
            raise ValidationError({"source": "未知的来源。"})
        record = _original(source, source_id, region, text, mode)
        correction = _new_from(*record, source=source, source_id=source_id)
    _require(actor, correction.source, correction.county)
    before = snapshot(correction, FIELDS) if correction.pk else None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明研判理由（如依据的法规条款或清单事项）。"})
    if len(reason) > 500:
        raise ValidationError({"reason": "研判理由请控制在 500 字以内。"})
    item = _checked_item(correction.county, correction.mode, corrected_verdict, item_id)
    correction.corrected_verdict, correction.item, correction.reason = corrected_verdict, item, reason
    CORRECTION_FLOW.move(correction, "decide")
    correction.decided_by, correction.decided_at = actor, timezone.now()
    correction.version += 1 if correction.pk else 0
    correction.full_clean()
    correction.save()
    if correction.source_id is not None and correction.source in SOURCES:
        SOURCES[correction.source].apply(correction.source_id, correction, actor)
    audit_record(
        actor=actor,
        action="catalog.verdict_correct",
        obj=correction,
        before=before,
        after=snapshot(correction, FIELDS),
        region_code=correction.county.code,
    )
    return correction


def draft(
    *,
    source: str,
    source_id: int | None = None,
    region: Region | None = None,
    text: str = "",
    mode: str = "work",
) -> VerdictCorrection:
    """An unsaved correction holding what the classifier said about a record or a text (for the form)."""
    if source not in CorrectionSource.values:
        raise ValidationError({"source": "未知的来源。"})
    return _new_from(*_original(source, source_id, region, text, mode), source=source, source_id=source_id)


def _new_from(region, text, mode, verdict, *, source, source_id):
    return _new(region, text, mode, source, source_id, verdict)


def corrected_verdict_dict(correction: VerdictCorrection) -> dict:
    """The verdict a record stores after a person decided: same shape as ``verdict_as_dict``."""
    from .classify import VERDICT_LABELS, as_match_item
    from .matching import Match, explain

    verdict = correction.corrected_verdict
    if correction.item_id:
        item = as_match_item(correction.item)
        explanation = "经人工研判，" + explain(Match(item, 1.0, correction.text))
        matches = [
            {
                "list": item.list_title,
                "list_id": item.list_id,
                "kind": item.kind,
                "code": item.code,
                "text": item.content,
                "matched_text": correction.text,
                "legal_basis": item.legal_basis,
                "score": 1.0,
            }
        ]
    else:
        explanation = (
            "经人工研判，该证明不在证明事项清单之内，须经审核确认后再决定是否出具。"
            if correction.mode == "certificate"
            else "经人工研判，该事项不在清单之内，须经准入审核批准后方可交由村（社区）承担。"
        )
        matches = []
    return {
        "verdict": verdict,
        "label": VERDICT_LABELS.get(verdict, verdict),
        "confidence": 1.0,
        "needs_review": False,
        "by_person": True,
        "explanation": explanation,
        "matches": matches,
        "correction_id": correction.pk,
        "reason": correction.reason,
    }
