"""Unlocking a locked period: the township (or one of its villages) asks with a reason, the county office, one
level up, approves or refuses; an approved request retires the lock (kept in the record), and both steps are
audited. Locking and a village's entry take the same row lock (the township's), so neither slips past the other.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import check_version
from jianfu.orgs import access
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability

from ..models import UNLOCK_FLOW, PeriodLock, UnlockRequest, UnlockStatus


def may_request_unlock(actor, township: Region) -> bool:
    """The township's reviewers, or a cadre of one of its villages (who found the error)."""
    if actor.can(Capability.FORMS_REVIEW, township):
        return True
    return any(p.startswith(township.prefix) for p in access.region_prefixes(actor, Capability.FORMS_ENTER))


def county_of(township: Region) -> Region:
    return Region.objects.get(code=township.code[:6].ljust(12, "0"))


@transaction.atomic
def unlock_request(*, actor, lock: PeriodLock, reason: str) -> UnlockRequest:
    """Ask the county to unlock a locked period; the reason is required and one request is pending at a time."""
    if actor is not None and not may_request_unlock(actor, lock.township):
        raise PermissionDenied("只有本乡镇（街道）或所辖村（社区）可以申请解锁。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写申请解锁的理由（如需更正的数据和原因）。"})
    Region.objects.select_for_update().filter(pk=lock.township_id).first()
    lock = PeriodLock.objects.get(pk=lock.pk)
    if lock.unlocked_at is not None:
        raise ValidationError({"lock": f"{lock.township.name} {lock.period} 已经解锁。"})
    if lock.unlock_requests.filter(status=UnlockStatus.PENDING).exists():
        raise ValidationError({"lock": "该统计期已有待审批的解锁申请。"})
    try:
        with transaction.atomic():
            made = UnlockRequest.objects.create(
                lock=lock, reason=reason.strip()[:300], requested_by=actor, requested_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError({"lock": "该统计期已有待审批的解锁申请。"}) from None
    audit_record(actor=actor, action="forms.unlock_request", obj=made, after=snapshot(made))
    return made


@transaction.atomic
def unlock_decide(
    *, actor, request: UnlockRequest, approve: bool, note: str = "", expected_version=None
) -> UnlockRequest:
    """The county office decides; approving retires the lock so the villages may enter again. Nobody decides
    their own request."""
    township = request.lock.township
    access.require(
        actor, Capability.FORMS_MANAGE, county_of(township), message="解锁须由上一级（县减负工作机构）审批。"
    )
    Region.objects.select_for_update().filter(pk=township.pk).first()
    request = UnlockRequest.objects.select_for_update().select_related("lock").get(pk=request.pk)
    check_version(request, expected_version, "该解锁申请")
    if not UNLOCK_FLOW.may(request, "approve"):
        raise ValidationError({"status": f"该申请已{request.get_status_display()}。"})
    if actor is not None and request.requested_by_id == actor.pk:
        raise PermissionDenied("不能审批自己提交的解锁申请。")
    if not approve and not (note or "").strip():
        raise ValidationError({"note": "不批准解锁须说明理由。"})
    before = snapshot(request)
    UNLOCK_FLOW.move(request, "approve" if approve else "refuse")
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_note, request.version = (note or "").strip()[:300], request.version + 1
    request.save()
    if approve:
        PeriodLock.objects.filter(pk=request.lock_id).update(unlocked_at=request.decided_at)
    audit_record(
        actor=actor, action="forms.unlock_decide", obj=request, before=before, after=snapshot(request)
    )
    return request
