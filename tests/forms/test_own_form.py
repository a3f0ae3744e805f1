"""Separation of duties on the annual form list: nobody decides their own department's form."""

import pytest
from django.core.exceptions import PermissionDenied

from jianfu.forms import services
from jianfu.forms.models import FormStatus

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def _mz_form(world, department=None):
    form = services.form_register(
        actor=None,
        department=department or world.dept_mz,
        region=world.county,
        year=YEAR,
        name="2026年低保对象动态管理表",
        legal_basis="《社会救助暂行办法》第十一条",
        frequency="quarterly",
        list_item_code="",
        fields=[{"label": "低保户数", "unit": "户", "justification": "低保动态管理需要，基础表无此项"}],
    )
    services.form_submit(actor=None, form=form)
    form.refresh_from_db()
    return form


def test_the_office_cannot_approve_or_reject_its_own_departments_form(world, login):
    form = _mz_form(world)
    assert world.office.department == world.dept_mz
    with pytest.raises(PermissionDenied, match="不能审定本部门的报表"):
        services.form_reject(actor=world.office, form=form, note="与基础表重复")
    with pytest.raises(PermissionDenied, match="不能审定本部门的报表"):
        services.form_reject(actor=world.office2, form=form, note="与基础表重复")
    form.refresh_from_db()
    assert form.status == FormStatus.SUBMITTED and not services.may_decide_form(world.office, form)
    page = login(world.office).get(f"/forms/forms/{form.pk}/").content.decode()
    assert "不能审定本部门的报表" in page


def test_the_office_still_decides_another_departments_form(world):
    form = _mz_form(world, department=world.dept_rs)
    assert services.may_decide_form(world.office, form)
    services.form_reject(actor=world.office, form=form, note="与基础表重复")
