"""Capability checks shared by the services, views and API (403 with a Chinese reason)."""

from jianfu.orgs import access
from jianfu.orgs.roles import Capability

# The departments a person belongs to (their account's and their department roles'): "my tasks".
unit_ids = access.own_department_ids


def require_manage(actor, region) -> None:
    access.require(
        actor,
        Capability.CAMPAIGN_MANAGE,
        region,
        message="只有县减负工作专班（县民政局）可以维护专项行动、任务分工和联席会议。",
    )


def may_lead(actor, task) -> bool:
    """The lead unit's own people report on its task."""
    return actor is None or (
        access.may(actor, Capability.CAMPAIGN_REPORT) and access.works_in(actor, task.lead_department)
    )


def require_lead(actor, task) -> None:
    access.require_that(
        may_lead(actor, task), f"只有牵头单位（{task.lead_department.name}）可以报送该任务的进展。"
    )


def may_report(user) -> bool:
    return access.may(user, Capability.CAMPAIGN_REPORT) and bool(unit_ids(user))


def require_evaluate(actor, region, what: str = "组织考评") -> None:
    access.require(
        actor,
        Capability.EVALUATION_MANAGE,
        region,
        message=f"只有{region.name}或其上级的考评组织者可以{what}。",
    )


def require_department_score(actor, evaluation) -> None:
    access.require_that(
        actor is None
        or (access.may(actor, Capability.EVALUATION_SCORE) and access.works_in(actor, evaluation.department)),
        f"只有派出部门（{evaluation.department.name}）可以评定履行法定职责情况。",
    )
