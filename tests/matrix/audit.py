"""Permission-matrix cases for the audit log's record pages and checkpoints (merged by
tests/test_permission_matrix.py; the list, export and verify routes are in that file).

Every audit record carries the region it concerns, and only inspectors above that region read it: a resident's
write-in to 解放路社区 is 清河县's inspector's to read, one to 东岭社区 is not (404, like any record outside
one's scope). ``test_permission_matrix.test_it_shows_each_county_inspector_only_its_own_write_ins`` checks the
other direction with a 东岭县 inspector, who is not one of the named personas.
"""

from jianfu.audit.models import AuditRecord
from jianfu.consultation import services as consultation_services
from jianfu.orgs.models import Region
from tests.matrix.base import ANON, AUDITORS, LOGIN, Case, signed_in
from tests.matrix.base import SEES as ALL_SEES

DONGLING_COMMUNITY = "428522100001"  # 东岭县东岭镇东岭社区


def write_in_audit_record(village_code: str) -> AuditRecord:
    """What an anonymous resident's write-in leaves in the audit log."""
    region = Region.objects.get(code=village_code)
    opinion = consultation_services.opinion_submit_public(region=region, content="矩阵：村口路灯坏了好几天")
    return AuditRecord.objects.get(action="consultation.opinion_submit", object_id=str(opinion.pk))


def auditors_in_scope(ok, anon=LOGIN):
    """The inspector reads records about regions in their subtree (404 outside it); nobody else reads any."""
    return lambda p, t: (
        anon if p == ANON else (403 if p not in AUDITORS else (ok if p in ALL_SEES[t] else 404))
    )


def seq(record):
    return {"seq": record.seq}


WRITE_INS = ("audit_writein_qinghe", "audit_writein_dongling")

OBJECTS = {
    "audit_writein_qinghe": lambda w: write_in_audit_record(w.community_jiefang.code),
    "audit_writein_dongling": lambda w: write_in_audit_record(DONGLING_COMMUNITY),
}
SEES = {"audit_writein_qinghe": {"inspector"}, "audit_writein_dongling": set()}


def _auditors(ok, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (ok if p in AUDITORS else 403)


ROUTES = {
    "audit:detail": Case(auditors_in_scope(200), targets=WRITE_INS, kwargs=seq),
    "api:audit_record": Case(auditors_in_scope(200, anon=401), targets=WRITE_INS, kwargs=seq),
    "audit:checkpoint": (Case(signed_in(405)), Case(_auditors(200), "post")),
    "api:audit_checkpoint": Case(_auditors(200, anon=401), "post"),
}
# Exporting a checkpoint is the inspector's own duty; it writes only its audit record.
INSPECTOR_MAY = {"audit:checkpoint", "api:audit_checkpoint"}
