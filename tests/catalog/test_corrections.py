"""People correct the classifier: a decided correction replaces the verdict where it is used (the monitoring
event and its rollup, the village's decline and its reply, the application's pre-check), is audited, and
teaches the county's classifier the wording; an item outside the county's lists in force is refused."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianfu.admission.documents import decline_docx
from jianfu.admission.services import filing
from jianfu.audit.models import AuditRecord
from jianfu.catalog import services
from jianfu.catalog.classify import classify
from jianfu.catalog.corrections import review_request, verdict_correct
from jianfu.catalog.models import CorrectionStatus, ListItem, VerdictCorrection
from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file
from jianfu.monitoring.models import MonthlyRollup, Verdict
from tests.admission.test_documents import docx_text
from tests.monitoring.conftest import make_point, record

from .conftest import publish

UNLISTED_WORK = "请村里组织人员为农商银行推销理财产品"


@pytest.fixture
def lists(world):
    for path in sorted(REFERENCE_DIR.glob("*.yaml")):
        load_reference_file(path)


def duty_item(code="LZ-004") -> ListItem:
    return ListItem.objects.get(work_list__kind="duty", code=code, work_list__region__code="420000000000")


def other_county_item(world) -> ListItem:
    draft = services.worklist_start_draft(
        actor=None, kind="duty", region=world.other_county, title="东岭县履职清单"
    )
    item = services.item_save(actor=None, work_list=draft, code="LZ-901", content="东岭县特有的工作")
    publish(draft, date(2024, 1, 1))
    return ListItem.objects.get(pk=item.pk)


def test_it_refuses_an_item_outside_the_countys_lists_in_force(world, lists):
    foreign = other_county_item(world)
    with pytest.raises(ValidationError) as refused:
        verdict_correct(
            actor=world.office,
            region=world.village_taoyuan,
            text=UNLISTED_WORK,
            corrected_verdict="duty",
            item_id=foreign.pk,
            reason="属于本村公共事务",
        )
    assert "现行有效" in str(refused.value) and "清河县" in str(refused.value)
    negative = ListItem.objects.filter(work_list__kind="negative").first()
    with pytest.raises(ValidationError, match="依法履职"):  # an item of another kind than the verdict
        verdict_correct(
            actor=world.office,
            region=world.village_taoyuan,
            text=UNLISTED_WORK,
            corrected_verdict="duty",
            item_id=negative.pk,
            reason="理由",
        )
    with pytest.raises(ValidationError, match="研判理由"):
        verdict_correct(
            actor=world.office,
            region=world.village_taoyuan,
            text=UNLISTED_WORK,
            corrected_verdict="duty",
            item_id=duty_item().pk,
            reason=" ",
        )
    assert not VerdictCorrection.objects.exists()


def test_a_correction_teaches_the_countys_classifier_the_wording_and_only_there(world, lists):
    text = "组织村民代表讨论修订村里的红白理事章程"
    assert (
        classify(text, world.village_taoyuan).verdict != "duty"
        or not classify(text, world.village_taoyuan).by_person
    )
    item = duty_item("LZ-006")  # 组织实施居民公约……
    correction = verdict_correct(
        actor=world.office,
        region=world.village_taoyuan,
        text=text,
        corrected_verdict="duty",
        item_id=item.pk,
        reason="红白理事章程属于村规民约，依《甘肃省文明行为促进条例》",
    )
    assert correction.status == CorrectionStatus.DECIDED and correction.decided_by == world.office
    same = classify(text + "。", world.village_taoyuan)
    assert same.verdict == "duty" and same.by_person and same.confidence == 1.0
    assert "经人工研判" in same.explanation and item.code not in same.explanation
    near = classify("请各村组织村民代表讨论修订红白理事章程", world.village_taoyuan)
    assert near.verdict == "duty" and near.matches[0].item.code == "LZ-006"
    assert not classify(text, world.other_village).by_person  # another county's classifier is untouched
    assert AuditRecord.objects.filter(action="catalog.verdict_correct").count() == 1


def test_the_inspectors_correction_replaces_the_events_verdict_and_the_rollup(world, lists, client):
    make_point(world)
    event, _ = record(world, kind="task", subject=UNLISTED_WORK, description=UNLISTED_WORK)
    assert event.verdict == Verdict.VIOLATION
    client.force_login(world.inspector)
    page = client.get(f"/monitoring/events/{event.pk}/").content.decode()
    # judged once, on its finding's page: the event's page shows the classifier's view and links there
    assert "置信度" in page and "到问题页研判" in page and "确认或更正核验结论" not in page
    client.force_login(world.village_cadre)
    page = client.get(f"/monitoring/events/{event.pk}/").content.decode()
    assert "置信度" not in page and "相似度" not in page
    cell = MonthlyRollup.objects.get(region_code=world.county.code, kind="task")
    assert cell.violations == 1
    with pytest.raises(PermissionDenied, match="纪检监察"):  # the office does not judge monitoring events
        verdict_correct(
            actor=world.office,
            source="monitoring_event",
            source_id=event.pk,
            corrected_verdict="duty",
            item_id=duty_item().pk,
            reason="理由",
        )
    verdict_correct(
        actor=world.inspector,
        source="monitoring_event",
        source_id=event.pk,
        corrected_verdict="duty",
        item_id=duty_item().pk,
        reason="属于居民的公共事务",
    )
    event.refresh_from_db()
    assert event.verdict == Verdict.OK and "经人工研判" in event.check_detail
    cell.refresh_from_db()
    assert cell.violations == 0 and cell.events == 1
    assert AuditRecord.objects.filter(action="monitoring.event_corrected").exists()


def test_the_offices_correction_replaces_the_declines_verdict_in_its_reply(world, lists):
    decline = filing.work_decline(
        actor=world.village_cadre,
        region=world.village_taoyuan,
        text=UNLISTED_WORK,
        department=world.dept_rs,
        department_name="",
        received_on=timezone.localdate(),
    )
    assert decline.verdict["verdict"] == "unlisted"
    with pytest.raises(PermissionDenied):
        verdict_correct(
            actor=world.village_cadre,
            source="decline",
            source_id=decline.pk,
            corrected_verdict="unlisted",
            item_id=None,
            reason="确认",
        )
    negative = ListItem.objects.filter(work_list__kind="negative", code="FM-005").first()  # 招商 …
    verdict_correct(
        actor=world.office,
        source="decline",
        source_id=decline.pk,
        corrected_verdict="negative",
        item_id=negative.pk,
        reason="属于招商引资类，负面清单",
    )
    decline.refresh_from_db()
    assert decline.verdict["verdict"] == "negative" and decline.verdict["by_person"]
    reply = docx_text(decline_docx(decline))
    assert "经人工研判" in reply and "FM-005" not in reply and "相似度" not in reply


def test_an_unsure_precheck_goes_to_the_office_instead_of_refusing(world, lists):
    from django.utils import timezone

    from jianfu.admission.services import application_submit
    from jianfu.orgs.services import region_setting_set
    from tests.admission.conftest import draft

    # The county has every verdict judged by a person (its own review threshold, 区划设置): none refuses alone.
    region_setting_set(
        actor=world.office,
        region=world.county,
        key="catalog.review_below",
        value=100,
        effective_from=timezone.localdate(),
        reason="试行期间全部人工研判",
    )
    application = draft(world, title="拆除违章建筑", description="请各村拆除辖区内违章建筑")
    application = application_submit(
        actor=world.dept_clerk, application=application, expected_version=application.version
    )
    assert (
        application.precheck["needs_review"] and application.precheck["results"][0]["verdict"] == "negative"
    )
    pending = VerdictCorrection.objects.get(source="precheck", source_id=application.pk)
    assert pending.status == CorrectionStatus.PENDING
    negative = ListItem.objects.get(work_list__kind="negative", code="FM-002")
    verdict_correct(
        actor=world.office,
        request=pending,
        expected_version=pending.version,
        corrected_verdict="negative",
        item_id=negative.pk,
        reason="拆除违章建筑属负面清单",
    )
    application.refresh_from_db()
    assert application.precheck["results"][0]["by_person"] and not application.precheck["needs_review"]


def test_a_village_asks_the_office_once_per_record_and_only_for_itself(world, lists):
    asked = review_request(
        actor=world.village_cadre,
        source="village_check",
        region=world.village_taoyuan,
        text=UNLISTED_WORK,
        question="是否属于负面清单？",
    )
    assert asked.status == CorrectionStatus.PENDING and asked.requested_by == world.village_cadre
    assert asked.county == world.county
    with pytest.raises(PermissionDenied):
        review_request(
            actor=world.village_cadre,
            source="village_check",
            region=world.community_jiefang,
            text=UNLISTED_WORK,
        )
    with pytest.raises(ValidationError, match="中文"):
        review_request(
            actor=world.village_cadre, source="village_check", region=world.village_taoyuan, text="hello"
        )


def test_the_page_lists_corrections_with_the_agreement_by_month(world, lists, client):
    verdict_correct(
        actor=world.office,
        region=world.village_taoyuan,
        text=UNLISTED_WORK,
        corrected_verdict="unlisted",
        item_id=None,
        reason="确认清单外",
    )
    contest = "请各村组织村民参加县里的合唱比赛"  # judged a duty (文体活动) automatically
    assert classify(contest, world.village_taoyuan).verdict == "duty"
    verdict_correct(
        actor=world.office,
        region=world.village_taoyuan,
        text=contest,
        corrected_verdict="unlisted",
        item_id=None,
        reason="县里举办的比赛，属新增工作事项，须经准入",
    )
    client.force_login(world.office)
    html = client.get("/lists/corrections/").content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    assert "一致率" in html and f"month={month}" in html and "data-agreement" in html
    assert "50%" in html  # one of two judged verdicts kept
    listed = client.get(f"/lists/corrections/?status=decided&month={month}").content.decode()
    assert "合唱比赛" in listed
    api = client.get("/api/v1/corrections").json()
    assert api["count"] == 2
    bad = client.post(
        "/api/v1/corrections",
        {
            "corrected_verdict": "duty",
            "item_id": 999999,
            "reason": "x",
            "region_code": world.village_taoyuan.code,
            "text": UNLISTED_WORK,
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "现行有效" in bad.json()["error"]["message"]
