"""How a person's judgement replaces the classifier's verdict in admission's records: the application's
pre-check and the village's decline (registered with ``catalog.corrections.SOURCES``)."""

from jianfu.audit.services import audit_record
from jianfu.catalog.corrections import SourceRecord, corrected_verdict_dict, register_source
from jianfu.catalog.models import CorrectionSource

from .models import Application, Decline

MUST_DO_VERDICTS = ("duty", "assist", "admitted")


def _precheck_record(pk: int) -> SourceRecord:
    from .precheck import application_text

    application = Application.objects.select_related("county").get(pk=pk)
    results = (application.precheck or {}).get("results") or [{}]
    first = next((r for r in results if r.get("needs_review")), results[0])
    return SourceRecord(application.county, application_text(application), "work", first)


def _precheck_apply(pk: int, correction, actor) -> None:
    application = Application.objects.select_for_update().get(pk=pk)
    before = dict(application.precheck or {})
    decided = corrected_verdict_dict(correction)
    results = [{"region": r.get("region", ""), **decided} for r in before.get("results") or [{}]]
    application.precheck = {**before, "results": results, "needs_review": False}
    application.version += 1
    application.save(update_fields=["precheck", "version"])
    audit_record(
        actor=actor,
        action="admission.precheck_corrected",
        obj=application,
        before={"precheck": before},
        after={"precheck": application.precheck},
        region_code=application.county.code,
    )


def _decline_record(pk: int) -> SourceRecord:
    decline = Decline.objects.select_related("region").get(pk=pk)
    return SourceRecord(decline.region, decline.work_text, "work", decline.verdict or {})


def _decline_apply(pk: int, correction, actor) -> None:
    decline = Decline.objects.select_for_update().get(pk=pk)
    before = dict(decline.verdict or {})
    decided = corrected_verdict_dict(correction)
    decline.verdict = {
        **decided,
        "region": before.get("region", decline.region.name),
        "must_do": decided["verdict"] in MUST_DO_VERDICTS,
    }
    decline.save(update_fields=["verdict"])
    audit_record(
        actor=actor,
        action="admission.decline_corrected",
        obj=decline,
        before={"verdict": before},
        after={"verdict": decline.verdict},
        region_code=decline.region.code,
    )


def register() -> None:
    register_source(CorrectionSource.PRECHECK, load=_precheck_record, apply=_precheck_apply)
    register_source(CorrectionSource.DECLINE, load=_decline_record, apply=_decline_apply)
