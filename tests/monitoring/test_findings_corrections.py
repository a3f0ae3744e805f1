"""The inspector's decision on a finding the classifier judged becomes the county's correction for that wording
(``catalog.corrections``): a confirmed violation confirms the verdict, a dismissal naming the list item the work
falls under teaches that item; a finding checked another way teaches nothing."""

import pytest
from django.core.exceptions import ValidationError

from jianfu.catalog.classify import classify
from jianfu.catalog.corrections import review_request
from jianfu.catalog.models import CorrectionSource, CorrectionStatus, ListItem, VerdictCorrection
from jianfu.monitoring import selectors, services
from jianfu.monitoring.models import Finding, FindingState, Verdict

from .conftest import record

UNLISTED_WORK = "请村里组织人员为农商银行推销理财产品"


def _duty_item(code="LZ-004") -> ListItem:
    return ListItem.objects.get(work_list__kind="duty", code=code, work_list__region__code="420000000000")


def test_a_confirmed_violation_becomes_the_countys_correction(world, point, lists):
    event, _ = record(world, kind="task", subject=UNLISTED_WORK, description=UNLISTED_WORK)
    assert event.verdict == Verdict.VIOLATION
    finding = Finding.objects.get(event=event)
    services.finding_decide(actor=world.inspector, finding=finding, decision="confirm", reason="经核实属实")
    correction = VerdictCorrection.objects.get(source=CorrectionSource.MONITORING_EVENT, source_id=event.pk)
    assert correction.status == CorrectionStatus.DECIDED and correction.decided_by == world.inspector
    assert correction.corrected_verdict == "unlisted" and correction.item is None
    assert correction.county == world.county and "认定违规" in correction.reason
    again = classify(UNLISTED_WORK, world.village_taoyuan)
    assert again.by_person and again.verdict == "unlisted"
    assert not classify(
        UNLISTED_WORK, world.other_village
    ).by_person  # another county's classifier is untouched


def test_a_dismissal_naming_a_duty_item_teaches_the_wording_and_answers_the_open_request(world, point, lists):
    event, _ = record(world, kind="task", subject=UNLISTED_WORK, description=UNLISTED_WORK)
    finding = Finding.objects.get(event=event)
    asked = review_request(actor=world.monitor, source=CorrectionSource.MONITORING_EVENT, source_id=event.pk)
    item = _duty_item()
    assert item in selectors.listed_items(finding)
    services.finding_decide(
        actor=world.inspector, finding=finding, decision="dismiss", reason="属于村委会职责", item_id=item.pk
    )
    asked.refresh_from_db()  # the request was decided by the same decision: one place to judge
    assert (
        asked.status == CorrectionStatus.DECIDED and asked.corrected_verdict == "duty" and asked.item == item
    )
    assert VerdictCorrection.objects.count() == 1
    event.refresh_from_db()
    assert event.verdict == Verdict.OK
    taught = classify(UNLISTED_WORK, world.village_taoyuan)
    assert taught.by_person and taught.verdict == "duty"


def test_a_dismissal_without_an_item_and_a_finding_checked_otherwise_teach_nothing(world, point, lists):
    event, _ = record(world, kind="task", subject=UNLISTED_WORK, description=UNLISTED_WORK)
    services.finding_decide(
        actor=world.inspector, finding=Finding.objects.get(event=event), decision="dismiss", reason="查无此事"
    )
    assert not VerdictCorrection.objects.exists()  # the dismissal may rest on the facts, not on the words
    app, _ = record(world, kind="app", description="APP每日打卡")
    finding = Finding.objects.get(event=app)
    assert selectors.listed_items(finding) == []
    with pytest.raises(ValidationError, match="无需选择清单事项"):
        services.finding_decide(
            actor=world.inspector, finding=finding, decision="dismiss", reason="x", item_id=_duty_item().pk
        )
    finding.refresh_from_db()
    assert finding.state == FindingState.PENDING  # nothing changed
    services.finding_decide(actor=world.inspector, finding=finding, decision="confirm", reason="属实")
    assert not VerdictCorrection.objects.exists()


def test_an_item_from_the_wrong_list_or_in_a_bulk_decision_is_refused(world, point, lists):
    first, _ = record(world, kind="task", subject=UNLISTED_WORK, description=UNLISTED_WORK)
    second, _ = record(world, kind="task", subject="组织村民参加县里的广场舞比赛彩排")
    findings = [Finding.objects.get(event=e) for e in (first, second)]
    negative = ListItem.objects.filter(work_list__kind="negative").first()
    with pytest.raises(ValidationError, match="职责清单或协助清单"):
        services.finding_decide(
            actor=world.inspector, finding=findings[0], decision="dismiss", reason="x", item_id=negative.pk
        )
    with pytest.raises(ValidationError, match="逐个研判"):
        services.findings_decide(
            actor=world.inspector,
            items=[(f.pk, f.version) for f in findings],
            decision="dismiss",
            reason="x",
            item_id=_duty_item().pk,
        )
    assert not Finding.objects.exclude(state=FindingState.PENDING).exists()
    assert not VerdictCorrection.objects.exists()


def test_the_inspectors_page_offers_the_items_and_decides_with_one(world, point, lists, login):
    event, _ = record(world, kind="task", subject=UNLISTED_WORK, description=UNLISTED_WORK)
    finding = Finding.objects.get(event=event)
    client = login(world.inspector)
    page = client.get(f"/monitoring/findings/{finding.pk}/").content.decode()
    assert "属于本县清单的哪一项" in page and _duty_item().code in page
    client.post(
        "/monitoring/findings/decide/",
        {
            "finding": f"{finding.pk}:{finding.version}",
            "decision": "dismiss",
            "reason": "属于村委会职责",
            "item": _duty_item().pk,
        },
    )
    assert VerdictCorrection.objects.get().item == _duty_item()


def test_the_api_decides_with_the_list_item(world, point, lists, login):
    event, _ = record(world, kind="task", subject=UNLISTED_WORK, description=UNLISTED_WORK)
    finding = Finding.objects.get(event=event)
    client = login(world.inspector)
    url = f"/api/v1/monitoring/findings/{finding.pk}/decision"
    wrong = ListItem.objects.filter(work_list__kind="negative").first()
    body = {"decision": "dismiss", "reason": "属于村委会职责", "version": finding.version}
    refused = client.post(url, {**body, "item_id": wrong.pk}, content_type="application/json")
    assert refused.status_code == 400 and "职责清单或协助清单" in refused.json()["error"]["message"]
    decided = client.post(url, {**body, "item_id": _duty_item().pk}, content_type="application/json")
    assert decided.status_code == 200, decided.content
    assert VerdictCorrection.objects.get().corrected_verdict == "duty"
