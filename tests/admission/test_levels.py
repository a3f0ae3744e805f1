"""Admission for every level: a prefecture department's item goes to the joint meeting of the prefecture and the
counties it reaches; a township department's item to the township's own review. Each level's office and chair
act on their own region only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianfu.admission import services
from jianfu.admission.models import AdmittedItem, Application, Status
from jianfu.admission.services import review
from jianfu.orgs.models import Department, Region, User
from jianfu.orgs.roles import Role
from jianfu.orgs.services import role_grant
from tests.admission.conftest import COMPLETE


def _user(name: str, role: str, region: Region, department: Department | None = None) -> User:
    user = User.objects.create_user(
        username=name, password="x", full_name=name, home_region=region, department=department
    )
    role_grant(actor=None, user=user, role=role, region=region, department=department)
    return User.objects.get(pk=user.pk)  # role_grant read the roles before the grant


@pytest.fixture
def prefecture(world):
    return Region.objects.get(code="428500000000")


@pytest.fixture
def qj(world, prefecture):
    """The demo's prefecture personas: 清江市人社局's clerk, the joint meeting's office and its convener."""
    return {
        u.username: u
        for u in User.objects.filter(username__in=["qj_rs", "qj_office", "qj_chair", "dl_office"])
    }


def _prefecture_application(qj, **overrides) -> Application:
    clerk = qj["qj_rs"]
    application = services.application_create(
        actor=clerk, applicant=clerk.department, **{**COMPLETE, **overrides}
    )
    return services.application_submit(
        actor=clerk, application=application, expected_version=application.version
    )


def _to_meeting(application, office):
    application = review.application_initial_review(
        actor=office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="普通程序",
    )
    application = review.application_coordinate(
        actor=office, application=application, expected_version=application.version, note="已征求两县意见"
    )
    meeting = review.meeting_record(
        actor=office,
        application=application,
        held_on=timezone.localdate(),
        place="市民政局会议室",
        convener="州县联席会议召集人",
        applicant_report="市人社局汇报",
    )
    return application, meeting


def test_a_prefecture_item_goes_to_the_joint_meeting_and_needs_every_county_reached(world, qj, prefecture):
    application = _prefecture_application(qj)
    assert application.county == prefecture
    assert application.review_body == "清江市市县联席会议"
    # Neither county's office reviews it: only the prefecture's office, on its own region.
    with pytest.raises(PermissionDenied):
        review.application_initial_review(
            actor=world.office,
            application=application,
            expected_version=application.version,
            outcome="ordinary",
            opinion="x",
        )
    application, meeting = _to_meeting(application, qj["qj_office"])
    # 清河县's office gives its county's opinion as its own (not 代录); 东岭县's is still missing.
    opinion = review.meeting_opinion_add(
        actor=world.office, meeting=meeting, stance="agree", text="同意，本县乡镇已征求", region=world.county
    )
    assert not opinion.proxy_entered
    application.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        review.meeting_conclude(
            actor=qj["qj_office"], application=application, expected_version=application.version
        )
    assert "东岭县" in refused.value.messages[0]
    review.meeting_opinion_add(
        actor=qj["dl_office"], meeting=meeting, stance="changes", text="原则同意", region=world.other_county
    )
    application.refresh_from_db()
    application = review.meeting_conclude(
        actor=qj["qj_office"], application=application, expected_version=application.version
    )
    # The county chair does not approve a prefecture's item; the joint meeting's convener does.
    with pytest.raises(PermissionDenied):
        review.application_decide(
            actor=world.chair,
            application=application,
            expected_version=application.version,
            outcome="approve",
        )
    application = review.application_decide(
        actor=qj["qj_chair"], application=application, expected_version=application.version, outcome="approve"
    )
    assert application.status == Status.APPROVED
    assert application.decision_body == "清江市市县联席会议"
    item = AdmittedItem.objects.get(application=application)
    # In force in both counties' villages: the classifier's scope follows the item's.
    today = timezone.localdate()
    assert item in AdmittedItem.objects.in_force(world.village_taoyuan, today)
    assert item in AdmittedItem.objects.in_force(world.other_village, today)


def test_a_prefecture_item_scoped_to_one_county_meets_that_county_only(world, qj):
    application = _prefecture_application(qj, scope_all=False, scope_regions=[world.county])
    application, meeting = _to_meeting(application, qj["qj_office"])
    with pytest.raises(ValidationError):
        review.meeting_opinion_add(
            actor=qj["dl_office"], meeting=meeting, stance="agree", text="同意", region=world.other_county
        )
    review.meeting_opinion_add(
        actor=world.office, meeting=meeting, stance="agree", text="同意", region=world.county
    )
    application.refresh_from_db()
    assert (
        review.meeting_conclude(
            actor=qj["qj_office"], application=application, expected_version=application.version
        ).status
        == Status.DECISION
    )


def test_a_prefecture_item_is_not_urgent_at_a_county_secretary(world, qj):
    application = _prefecture_application(qj, urgency="urgent", urgency_reason="汛期")
    with pytest.raises(ValidationError) as refused:
        review.application_initial_review(
            actor=qj["qj_office"],
            application=application,
            expected_version=application.version,
            outcome="urgent",
            opinion="急",
        )
    assert "县级部门" in refused.value.message_dict["outcome"][0]


def test_the_county_office_sees_a_prefecture_item_that_reaches_it_but_not_a_draft(world, qj):
    clerk = qj["qj_rs"]
    draft = services.application_create(actor=clerk, applicant=clerk.department, **COMPLETE)
    assert not Application.objects.visible_to(world.office).filter(pk=draft.pk).exists()
    submitted = services.application_submit(actor=clerk, application=draft, expected_version=draft.version)
    assert Application.objects.visible_to(world.office).filter(pk=submitted.pk).exists()
    assert Application.objects.visible_to(qj["dl_office"]).filter(pk=submitted.pk).exists()


def test_a_township_department_applies_to_the_township_review(world):
    township = world.township_hk
    dept = Department.objects.create(name="河口镇社会事务办", short_name="社会事务办", region=township)
    clerk = _user("hk_sw", Role.DEPARTMENT, township, dept)
    office = _user("hk_office", Role.COMMITTEE_OFFICE, township)
    chair = _user("hk_chair", Role.COMMITTEE_CHAIR, township)
    # A scope outside the township, or the township itself, is refused naming the field.
    with pytest.raises(ValidationError) as refused:
        services.application_create(
            actor=clerk,
            applicant=dept,
            **{**COMPLETE, "scope_all": False},
            scope_regions=[world.community_jiefang],
        )
    assert "本乡镇（街道）" in refused.value.message_dict["scope_regions"][0]
    application = services.application_create(
        actor=clerk, applicant=dept, **{**COMPLETE, "scope_all": False}, scope_regions=[world.village_taoyuan]
    )
    assert application.county == township
    assert application.review_body.startswith("河口镇社区工作准入审核")
    application = services.application_submit(
        actor=clerk, application=application, expected_version=application.version
    )
    # The county's office stands above the township and still does not review the township's item.
    with pytest.raises(PermissionDenied):
        review.application_initial_review(
            actor=world.office,
            application=application,
            expected_version=application.version,
            outcome="return",
            opinion="x",
        )
    application = review.application_initial_review(
        actor=office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="普通",
    )
    assert application.status == Status.COORDINATING
    application = review.application_coordinate(
        actor=office, application=application, expected_version=application.version, note="协调"
    )
    meeting = review.meeting_record(
        actor=chair,
        application=application,
        held_on=timezone.localdate(),
        place="",
        convener="镇党委",
        applicant_report="汇报",
    )
    review.meeting_opinion_add(
        actor=office,
        meeting=meeting,
        stance="agree",
        text="同意",
        region=world.village_taoyuan,
        confirmed_by="桃园村 吴主任",
    )
    application.refresh_from_db()
    application = review.meeting_conclude(
        actor=office, application=application, expected_version=application.version
    )
    with pytest.raises(PermissionDenied):
        review.application_decide(
            actor=world.chair,
            application=application,
            expected_version=application.version,
            outcome="approve",
        )
    application = review.application_decide(
        actor=chair, application=application, expected_version=application.version, outcome="approve"
    )
    item = AdmittedItem.objects.get(application=application)
    today = timezone.localdate()
    assert item in AdmittedItem.objects.in_force(world.village_taoyuan, today)
    assert item not in AdmittedItem.objects.in_force(world.community_jiefang, today)


def test_a_village_or_province_department_cannot_apply(world):
    dept = Department.objects.create(name="湖北省某厅", short_name="某厅", region=world.province)
    with pytest.raises(ValidationError) as refused:
        services.application_create(actor=None, applicant=dept, **COMPLETE)
    assert "市（州）、县（市、区）或乡镇（街道）" in refused.value.message_dict["applicant"][0]
