from decimal import Decimal

import pytest

from jianfu.admission import services
from jianfu.admission.services import review
from jianfu.catalog.reference import load_reference_lists

COMPLETE = {
    "title": "企业用工情况季度调查协助",
    "description": "协助县人社局每季度开展辖区企业用工情况调查，填报企业用工台账，核对新增就业人数。",
    "work_type": "assist",
    "plan_requirements": "每年6月底前完成认证，认证率达到98%以上。",
    "plan_division": "县人社局负责系统和培训，乡镇社保所负责组织，村（社区）协助上门采集。",
    "plan_process": "人社局下发名单→村（社区）核对→上门采集→社保所审核。",
    "plan_milestones": "4月培训，5月采集，6月底完成。",
    "people": "县人社局派驻乡镇社保所专人2名。",
    "funds_amount": Decimal("60000.00"),
    "funds_source": "县级社保经办经费",
    "training": "4月集中培训一次，全程电话指导。",
    "consultation_record": "2026年3月与审核委员会办公室沟通；征求了河口镇、城关街道意见。",
}


@pytest.fixture
def reference(world):
    """The reference lists (duty, assist, negative) in force for the demo province and city."""
    return load_reference_lists()


def draft(world, actor=None, **overrides):
    """A complete draft of 县人社局 (the department clerk's department)."""
    fields = {**COMPLETE, **overrides}
    scope = fields.pop("scope_regions", ())
    return services.application_create(
        actor=actor or world.dept_clerk, applicant=world.dept_rs, scope_regions=scope, **fields
    )


def townships_answer(application, stance: str) -> None:
    """Every township asked answers for itself (the system stands in for their staff here; the township's own
    page and persona are tested in test_consults.py). ``not_consulted`` leaves them unanswered."""
    if stance == "not_consulted":
        return
    for consult in application.consults.all():
        services.township_stance_give(
            actor=None,
            consult=consult,
            stance=stance,
            note="" if stance == "no_objection" else "本乡镇有异议",
        )
    application.refresh_from_db()


def submitted(world, township_stance: str = "no_objection", **overrides):
    """Submitted, and each township it reaches has answered ``township_stance`` itself."""
    application = draft(world, **overrides)
    application = services.application_submit(
        actor=world.dept_clerk, application=application, expected_version=application.version
    )
    townships_answer(application, township_stance)
    return application


def at_decision(world, **overrides):
    """Submitted and put to the simple procedure by the office."""
    application = submitted(world, **overrides)
    return review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="simple",
        opinion="材料齐全，乡镇无异议，适用简易程序。",
    )


def approved(world, overlaps=None, **overrides):
    application = at_decision(world, **overrides)
    return review.application_decide(
        actor=world.chair,
        application=application,
        overlaps=overlaps,
        expected_version=application.version,
        outcome="approve",
    )
