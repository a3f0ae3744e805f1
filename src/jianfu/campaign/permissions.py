"""Capability checks shared by the services, views and API (403 with a Chinese reason)."""

from django.core.exceptions import PermissionDenied

from jianfu.orgs.roles import Capability


def unit_ids(user) -> set[int]:
    """Departments the user acts for: their own department and any department role."""
    ids = set(user.department_ids())
    if user.department_id:
        ids.add(user.department_id)
    return ids


def require_manage(actor, region) -> None:
    if actor is not None and not actor.can(Capability.CAMPAIGN_MANAGE, region):
        raise PermissionDenied("只有县减负工作专班（县民政局）可以维护专项行动、任务分工和联席会议。")


def require_lead(actor, task) -> None:
    if actor is None:
        return
    if not actor.has_capability(Capability.CAMPAIGN_REPORT) or task.lead_department_id not in unit_ids(actor):
        raise PermissionDenied(f"只有牵头单位（{task.lead_department.name}）可以报送该任务的进展。")


def may_report(user) -> bool:
    return user.is_authenticated and user.has_capability(Capability.CAMPAIGN_REPORT) and bool(unit_ids(user))


def require_evaluate(actor, region, what: str = "组织考评") -> None:
    if actor is not None and not actor.can(Capability.EVALUATION_MANAGE, region):
        raise PermissionDenied(f"只有{region.name}或其上级的考评组织者可以{what}。")


def require_department_score(actor, evaluation) -> None:
    if actor is None:
        return
    if not actor.has_capability(Capability.EVALUATION_SCORE) or evaluation.department_id not in unit_ids(
        actor
    ):
        raise PermissionDenied(f"只有派出部门（{evaluation.department.name}）可以评定履行法定职责情况。")
