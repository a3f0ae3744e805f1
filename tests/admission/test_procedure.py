"""Each transition of seed 003's procedure, and each refusal, with named people.

县人社局's clerk (dept_clerk) applies; 县民政局's clerk (office) reviews; the chair (the county deputy party
secretary) decides; 县委编办 (member) gives an opinion at the meeting; 桃园村 and 解放路社区 receive the notice.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianfu.admission import services
from jianfu.admission.models import AdmittedItem, Application, ItemStatus, Status, Transition
from jianfu.admission.services import filing, review
from jianfu.audit.models import AuditRecord
from jianfu.catalog.classify import classify
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.workdays import WorkdayCalendar
from jianfu.orgs.models import Department
from tests.admission.conftest import COMPLETE, approved, at_decision, draft, submitted, townships_answer

pytestmark = pytest.mark.usefixtures("reference")


def test_it_submits_a_complete_assist_item_and_numbers_it(world):
    application = submitted(world)
    assert application.status == Status.SUBMITTED
    assert application.number.startswith(f"准入申〔{timezone.localdate().year}〕")
    assert application.step_due_on > timezone.localdate()
    assert application.precheck["results"][0]["verdict"] in {"assist", "unlisted"}
    assert AuditRecord.objects.filter(action="admission.submit", object_id=str(application.pk)).exists()


def test_it_refuses_an_assist_item_without_funding_and_changes_nothing(world):
    application = draft(world, funds_amount=None, funds_source="")
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=world.dept_clerk, application=application, expected_version=1)
    assert "费随事转" in str(refused.value.message_dict["funds_amount"])
    application.refresh_from_db()
    assert (application.status, application.number, application.version) == (Status.DRAFT, "", 1)


def test_it_refuses_a_plan_without_time_points(world):
    application = draft(world, plan_milestones="")
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=world.dept_clerk, application=application, expected_version=1)
    assert "时间节点" in str(refused.value.message_dict["plan_milestones"])


def test_it_blocks_a_negative_list_match_and_names_the_item(world):
    application = draft(
        world, title="拆除违章建筑", description="由村（社区）组织拆除违章建筑，认定危房等级。"
    )
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=world.dept_clerk, application=application, expected_version=1)
    message = str(refused.value.message_dict["description"])
    assert "负面清单" in message and "违章" in message
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_it_tells_the_applicant_a_duty_item_needs_no_admission(world):
    application = draft(world, title="调解民间纠纷", description="调解民间纠纷。")
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=world.dept_clerk, application=application, expected_version=1)
    assert "无需" in str(refused.value.message_dict["description"])


def test_it_lets_only_the_department_apply_in_its_own_name(world):
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.village_cadre)
    with pytest.raises(PermissionDenied):
        services.application_create(actor=world.dept_clerk, applicant=world.dept_mz, title="冒名")


def test_it_refuses_a_scope_outside_the_county(world):
    with pytest.raises(ValidationError) as refused:
        draft(world, scope_all=False, scope_regions=[world.other_village])
    assert "scope_regions" in refused.value.message_dict


def test_it_puts_an_item_without_objection_to_the_simple_procedure(world):
    application = at_decision(world)
    assert (application.status, application.procedure) == (Status.DECISION, "simple")


def test_it_refuses_the_simple_procedure_when_a_township_objected(world):
    application = submitted(world, township_stance="objection")
    with pytest.raises(ValidationError) as refused:
        review.application_initial_review(
            actor=world.office,
            application=application,
            expected_version=application.version,
            outcome="simple",
            opinion="简易",
        )
    assert "第七条" in str(refused.value)


def test_it_walks_the_ordinary_procedure_through_the_meeting(world):
    application = submitted(world, township_stance="objection")
    application = review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="河口镇有异议，走普通程序。",
    )
    assert application.status == Status.COORDINATING
    application = review.application_coordinate(
        actor=world.office,
        application=application,
        expected_version=application.version,
        note="已协调，经费增加。",
    )
    assert application.status == Status.MEETING
    meeting = review.meeting_record(
        actor=world.office,
        application=application,
        held_on=timezone.localdate(),
        place="县政府三楼会议室",
        convener="李建国（审核委员会主任）",
        applicant_report="县人社局专题汇报了认证方案。",
    )
    review.meeting_opinion_add(
        actor=world.member,
        meeting=meeting,
        stance="agree",
        text="同意",
        department=Department.objects.get(name="县委编办"),
    )
    review.meeting_opinion_add(
        actor=world.town_hk,
        meeting=meeting,
        stance="changes",
        text="请提前一周下发名单",
        region=world.township_hk,
    )
    application.refresh_from_db()
    application = review.meeting_conclude(
        actor=world.office, application=application, expected_version=application.version
    )
    assert application.status == Status.DECISION
    application = review.application_decide(
        actor=world.chair, application=application, expected_version=application.version, outcome="approve"
    )
    assert application.status == Status.APPROVED
    assert application.opinions.filter(stage="meeting").count() == 2
    steps = list(Transition.objects.filter(application=application).values_list("to_status", flat=True))
    assert steps == ["draft", "submitted", "coordinating", "meeting", "decision", "approved"]


def test_it_refuses_concluding_a_meeting_without_opinions(world):
    application = submitted(world, township_stance="objection")
    application = review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="普通",
    )
    application = review.application_coordinate(
        actor=world.office, application=application, expected_version=application.version, note="协调"
    )
    with pytest.raises(ValidationError):
        review.meeting_conclude(
            actor=world.office, application=application, expected_version=application.version
        )


def test_it_refuses_a_second_opinion_from_the_same_unit(world):
    application = submitted(world, township_stance="objection")
    application = review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="普通",
    )
    application = review.application_coordinate(
        actor=world.office, application=application, expected_version=application.version, note="协调"
    )
    meeting = review.meeting_record(
        actor=world.chair,
        application=application,
        held_on=timezone.localdate(),
        place="",
        convener="主任",
        applicant_report="汇报",
    )
    unit = Department.objects.get(name="县委编办")
    review.meeting_opinion_add(actor=world.member, meeting=meeting, stance="agree", text="", department=unit)
    with pytest.raises(ValidationError, match="不能重复"):
        review.meeting_opinion_add(
            actor=world.office,
            meeting=meeting,
            stance="disagree",
            text="",
            department=unit,
            confirmed_by="县委编办副主任",
        )
    with pytest.raises(PermissionDenied):
        review.meeting_opinion_add(
            actor=world.member,
            meeting=meeting,
            stance="agree",
            text="",
            department=Department.objects.get(name="县委组织部"),
        )
    with pytest.raises(PermissionDenied):
        review.meeting_opinion_add(
            actor=world.office, meeting=meeting, stance="agree", text="", department=world.dept_rs
        )


def test_it_returns_an_application_for_revision_and_accepts_it_again(world):
    application = submitted(world)
    application = review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="return",
        opinion="请补充培训安排。",
    )
    assert application.status == Status.RETURNED
    application = services.application_update(
        actor=world.dept_clerk,
        application=application,
        expected_version=application.version,
        training="5月再培训一次。",
    )
    number = application.number
    application = services.application_submit(
        actor=world.dept_clerk, application=application, expected_version=application.version
    )
    assert (application.status, application.number) == (Status.SUBMITTED, number)


def test_it_rejects_with_reasons_and_keeps_all_the_data(world):
    application = at_decision(world)
    with pytest.raises(ValidationError):
        review.application_decide(
            actor=world.chair, application=application, expected_version=application.version, outcome="reject"
        )
    application = review.application_decide(
        actor=world.chair,
        application=application,
        expected_version=application.version,
        outcome="reject",
        reason="应由社保所自行完成。",
    )
    assert application.status == Status.REJECTED
    assert application.description and application.funds_amount == Decimal("60000.00")
    assert not AdmittedItem.objects.exists()


def test_it_withdraws_and_keeps_the_data(world):
    application = submitted(world)
    application = services.application_withdraw(
        actor=world.dept_clerk, application=application, reason="政策调整"
    )
    assert application.status == Status.WITHDRAWN and application.title


def test_it_never_lets_the_applying_department_review_its_own_application(world):
    """县民政局 applies; its own clerk, who is the office, may not review it."""
    application = services.application_create(
        actor=world.office, applicant=world.dept_mz, origin="retroactive", **COMPLETE
    )
    application = services.application_submit(
        actor=world.office, application=application, expected_version=application.version
    )
    with pytest.raises(PermissionDenied, match="本单位"):
        review.application_initial_review(
            actor=world.office,
            application=application,
            expected_version=application.version,
            outcome="simple",
            opinion="自审",
        )


def test_it_refuses_the_chair_of_the_applying_department(world):
    application = at_decision(world)
    world.chair.department = world.dept_rs
    world.chair.save()
    with pytest.raises(PermissionDenied):
        review.application_decide(
            actor=world.chair,
            application=application,
            expected_version=application.version,
            outcome="approve",
        )


def test_it_refuses_a_stale_decision(world):
    application = at_decision(world)
    with pytest.raises(StaleWriteError):
        review.application_decide(
            actor=world.chair,
            application=application,
            expected_version=application.version - 1,
            outcome="approve",
        )


def test_it_refuses_a_transition_from_the_wrong_state(world):
    application = submitted(world)
    with pytest.raises(ValidationError, match="待审核委员会核准"):
        review.application_decide(
            actor=world.chair,
            application=application,
            expected_version=application.version,
            outcome="approve",
        )


def test_it_refuses_review_steps_to_people_without_the_role(world):
    application = submitted(world)
    for person in (world.chair, world.member, world.village_cadre, world.outsider, world.inspector):
        with pytest.raises(PermissionDenied):
            review.application_initial_review(
                actor=person,
                application=application,
                expected_version=application.version,
                outcome="simple",
                opinion="x",
            )
    at = at_decision(
        world, title="高龄津贴发放对象年度核查协助", description="协助开展高龄津贴发放对象年度核查。"
    )
    for person in (world.office, world.member, world.town_hk):
        with pytest.raises(PermissionDenied):
            review.application_decide(
                actor=person, application=at, expected_version=at.version, outcome="approve"
            )


def test_it_sends_an_urgent_item_to_the_deputy_secretary(world):
    application = submitted(world, urgency="urgent", urgency_reason="汛期防汛需要立即组织巡查。")
    application = review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="urgent",
        opinion="特殊紧急，报县委副书记。",
    )
    assert (application.status, application.procedure) == (Status.DECISION, "urgent")
    two_days = services.step_limit(world.county, "decision_urgent")
    assert two_days == 2
    application = review.application_decide(
        actor=world.chair, application=application, expected_version=application.version, outcome="approve"
    )
    assert application.decision_body == "清河县委副书记"


def test_it_refuses_the_urgent_path_for_a_normal_item(world):
    application = submitted(world)
    with pytest.raises(ValidationError, match="特殊紧急"):
        review.application_initial_review(
            actor=world.office,
            application=application,
            expected_version=application.version,
            outcome="urgent",
            opinion="x",
        )


def test_it_admits_the_item_issues_a_numbered_notice_and_files_it(world):
    application = approved(world)
    item = application.admitted_item
    notice = application.notice
    assert item.code.startswith("ZR-428521-") and item.status == ItemStatus.ACTIVE
    assert notice.number.startswith("清河社审告〔") and notice.filed_on == timezone.localdate()
    regions = set(notice.recipients.values_list("region__code", flat=True))
    assert {world.village_taoyuan.code, world.township_hk.code, world.community_jiefang.code} <= regions
    assert world.other_village.code not in regions


def test_it_counts_the_admitted_item_as_in_force_for_the_classifier(world):
    approved(world)
    verdict = classify("每季度开展企业用工情况调查，填报企业用工台账", world.village_taoyuan)
    assert verdict.verdict == "admitted", verdict.explanation
    assert "准入" in verdict.explanation


def test_it_scopes_an_item_to_the_chosen_township(world):
    application = approved(world, scope_all=False, scope_regions=[world.township_hk])
    regions = set(application.notice.recipients.values_list("region__code", flat=True))
    assert world.village_taoyuan.code in regions and world.community_jiefang.code not in regions
    assert AdmittedItem.objects.in_force(world.village_taoyuan, timezone.localdate()).count() == 1
    assert AdmittedItem.objects.in_force(world.community_jiefang, timezone.localdate()).count() == 0


def test_it_shows_a_near_duplicate_to_the_office_and_demands_an_overlap_decision(world):
    approved(world)
    second = at_decision(world, title="企业用工情况调查协助（第二次）")
    assert second.precheck["near_duplicates"], second.precheck
    with pytest.raises(ValidationError) as refused:
        review.application_decide(
            actor=world.chair, application=second, expected_version=second.version, outcome="approve"
        )
    assert "overlaps" in refused.value.message_dict
    second.refresh_from_db()
    second = review.application_decide(
        actor=world.chair,
        application=second,
        expected_version=second.version,
        outcome="approve",
        overlaps=[{"existing": "原认证协助事项", "action": "merge"}],
    )
    assert second.overlaps.get().action == "merge"


def test_it_lets_a_village_acknowledge_its_notice_once(world):
    notice = approved(world).notice
    recipient = notice.recipients.get(region=world.village_taoyuan)
    filing.notice_acknowledge(actor=world.village_cadre, recipient=recipient)
    with pytest.raises(ValidationError, match="已于"):
        filing.notice_acknowledge(actor=world.village_cadre, recipient=recipient)
    with pytest.raises(PermissionDenied):
        filing.notice_acknowledge(
            actor=world.community_cadre, recipient=notice.recipients.get(region=world.village_taoyuan)
        )


def test_it_changes_an_admitted_item_through_a_new_application(world):
    item = approved(world).admitted_item
    change = services.application_create(
        actor=world.dept_clerk,
        applicant=world.dept_rs,
        kind="change",
        related_item=item,
        **{**COMPLETE, "title": "企业用工调查协助（调整为每半年一次）"},
    )
    change = services.application_submit(
        actor=world.dept_clerk, application=change, expected_version=change.version
    )
    townships_answer(change, "no_objection")
    change = review.application_initial_review(
        actor=world.office,
        application=change,
        expected_version=change.version,
        outcome="simple",
        opinion="变更",
    )
    change = review.application_decide(
        actor=world.chair, application=change, expected_version=change.version, outcome="approve"
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.SUPERSEDED
    assert change.admitted_item.status == ItemStatus.ACTIVE


def test_it_ends_an_item_on_the_date_the_applicant_files(world):
    item = approved(world).admitted_item
    end = timezone.localdate() + timedelta(days=10)
    with pytest.raises(PermissionDenied):
        filing.item_end(actor=world.office, item=item, end_on=end, reason="完成")
    record = filing.item_end(actor=world.dept_clerk, item=item, end_on=end, reason="认证工作已全部完成")
    assert (record.kind, record.status) == ("exit", Status.FILED)
    assert AdmittedItem.objects.in_force(world.village_taoyuan, end).count() == 1
    assert AdmittedItem.objects.in_force(world.village_taoyuan, end + timedelta(days=1)).count() == 0


def test_it_lets_the_office_register_work_pushed_down_without_an_application(world):
    application = services.application_create(
        actor=world.office, applicant=world.dept_rs, origin="retroactive", **COMPLETE
    )
    application = services.application_submit(
        actor=world.office, application=application, expected_version=application.version
    )
    assert application.origin == "retroactive" and application.status == Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.application_create(
            actor=world.dept_clerk, applicant=world.dept_rs, origin="retroactive", title="x"
        )


def test_it_lets_a_village_decline_unadmitted_work_and_refuses_to_decline_listed_work(world):
    decline = filing.work_decline(
        actor=world.village_cadre,
        region=world.village_taoyuan,
        text="请村里协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积",
        department=world.dept_rs,
        department_name="",
        received_on=timezone.localdate(),
    )
    assert decline.number.startswith(world.village_taoyuan.code) and decline.verdict["verdict"] == "unlisted"
    with pytest.raises(ValidationError, match="应当执行"):
        filing.work_decline(
            actor=world.village_cadre,
            region=world.village_taoyuan,
            text="调解民间纠纷",
            department=world.dept_rs,
            department_name="",
            received_on=timezone.localdate(),
        )
    with pytest.raises(PermissionDenied):
        filing.work_decline(
            actor=world.village_cadre,
            region=world.community_jiefang,
            text="上报台账",
            department=world.dept_rs,
            department_name="",
            received_on=timezone.localdate(),
        )


def test_it_refuses_to_decline_admitted_work(world):
    approved(world)
    with pytest.raises(ValidationError, match="已准入事项"):
        filing.work_decline(
            actor=world.village_cadre,
            region=world.village_taoyuan,
            text="每季度开展企业用工情况调查，填报企业用工台账",
            department=world.dept_rs,
            department_name="",
            received_on=timezone.localdate(),
        )


def test_it_reminds_the_office_and_the_applicant_of_an_overdue_step_once(world):
    application = submitted(world)
    Application.objects.filter(pk=application.pk).update(step_due_on=date(2026, 1, 5))
    assert filing.send_reminders(on=date(2026, 1, 6)) >= 2
    assert filing.send_reminders(on=date(2026, 1, 7)) == 0
    assert world.office.admission_reminders.filter(application=application).exists()
    assert world.dept_clerk.admission_reminders.filter(application=application).exists()


def test_it_counts_step_deadlines_in_working_days_over_the_national_day_holiday(world):
    from jianfu.core.workdays import add_workdays

    deadline = add_workdays(date(2026, 9, 30), services.step_limit(world.county, "submitted"))
    # 10月1日至7日放假，10月10日（星期六）调休上班：8日、9日、10日、12日、13日
    assert deadline.day == date(2026, 10, 13) and not deadline.estimated


def test_it_marks_a_deadline_in_an_unannounced_year_as_estimated(world):
    from jianfu.core.workdays import add_workdays

    assert add_workdays(date(2027, 3, 1), 5).estimated


def test_each_county_keeps_its_own_step_limits_from_their_date(world):
    """One county's office changing a limit never moves another county's deadlines (issue 19)."""
    from jianfu.orgs import services as orgs_services

    today = timezone.localdate()
    orgs_services.region_setting_set(
        actor=world.office,
        region=world.county,
        key="admission.step_limit.submitted",
        value=3,
        effective_from=today,
        reason="县审核委员会会议决定",
    )
    assert services.step_limit(world.county, "submitted") == 3
    assert services.step_limit(world.other_county, "submitted") == 5
    assert services.step_limit(world.county, "submitted", today - timedelta(days=1)) == 5
    application = submitted(world)
    expected = WorkdayCalendar().add_workdays(today, 3).day
    assert application.step_due_on == expected
    applied = services.step_limit_applied(application)
    assert applied.value == 3 and applied.version.region == world.county
    with pytest.raises(ValidationError, match="初审时限"):
        orgs_services.region_setting_set(
            actor=world.office,
            region=world.county,
            key="admission.step_limit.submitted",
            value=0,
            effective_from=today,
            reason="试",
        )
    with pytest.raises(PermissionDenied):
        orgs_services.region_setting_set(
            actor=world.dept_clerk,
            region=world.county,
            key="admission.step_limit.submitted",
            value=4,
            effective_from=today,
            reason="试",
        )


def test_it_lets_only_the_unit_itself_sign_its_notice_or_decline_work(world):
    notice = approved(world).notice
    with pytest.raises(PermissionDenied):
        filing.notice_acknowledge(
            actor=world.town_hk, recipient=notice.recipients.get(region=world.village_taoyuan)
        )
    filing.notice_acknowledge(actor=world.town_hk, recipient=notice.recipients.get(region=world.township_hk))
    with pytest.raises(PermissionDenied):
        filing.work_decline(
            actor=world.town_hk,
            region=world.village_taoyuan,
            text="请协助统计养蜂户数量",
            department=world.dept_rs,
            department_name="",
            received_on=timezone.localdate(),
        )


def test_it_refuses_an_exit_application_and_points_to_the_filing(world):
    with pytest.raises(ValidationError) as refused:
        draft(world, kind="exit")
    assert "第十条" in str(refused.value.message_dict["kind"])


def test_it_lets_the_township_see_a_submitted_application_but_not_a_draft(world):
    from jianfu.admission import selectors

    first, second = (
        draft(world),
        submitted(world, title="高龄津贴发放对象年度核查协助", description="协助核查。"),
    )
    visible = set(selectors.applications(world.town_hk).values_list("pk", flat=True))
    assert second.pk in visible and first.pk not in visible
