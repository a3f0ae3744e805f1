"""Two chairs approve the same application at the same moment: one approval, one clear conflict."""

import pytest
from django.core.exceptions import ValidationError

from jianfu.admission.models import AdmittedItem, Application, Status, WorkNotice
from jianfu.admission.services import review
from jianfu.audit.models import AuditRecord
from jianfu.audit.verify import audit_verify
from jianfu.catalog.reference import load_reference_lists
from jianfu.orgs import services as orgs
from tests.admission.conftest import at_decision
from tests.core.test_database import _run_threads


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_version", [True, False], ids=["same-copy", "no-version"])
def test_it_gives_one_approval_when_two_chairs_approve_at_once(world, with_version):
    load_reference_lists()
    deputy = orgs.user_create(
        actor=None,
        username="vice_chair",
        full_name="副主任",
        home_region=world.county,
        password="Jianfu@2026x",
    )
    orgs.role_grant(actor=None, user=deputy, role="committee_chair", region=world.county)
    deputy = type(deputy).objects.get(pk=deputy.pk)  # a fresh copy carries the new role
    application = at_decision(world)
    outcomes: list[str] = []

    def approve(chair):
        def run():
            try:
                review.application_decide(
                    actor=chair,
                    application=application,
                    outcome="approve",
                    expected_version=application.version if with_version else None,
                )
                outcomes.append("approved")
            except ValidationError as exc:  # StaleWriteError is a ValidationError
                outcomes.append(" ".join(exc.messages))

        return run

    errors = _run_threads([approve(world.chair), approve(deputy)])
    assert errors == [], [repr(e) for e in errors]
    assert outcomes.count("approved") == 1, outcomes
    conflict = next(o for o in outcomes if o != "approved")
    assert ("已被其他用户修改" in conflict) if with_version else ("已准入" in conflict), conflict
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED
    assert (AdmittedItem.objects.count(), WorkNotice.objects.count()) == (1, 1)
    assert AuditRecord.objects.filter(action="admission.approve").count() == 1
    assert audit_verify().ok
