"""Dates round-trip through <input type="date"> (issue 21): the page fills in an ISO value the browser keeps, and
the same value posted back is accepted. zh-hans would otherwise render 2026/12/06, which the input discards."""

import re
from datetime import date

from django import forms
from django.utils import timezone

from jianfu.grid.models import GridEvent
from jianfu.monitoring.models import BurdenEvent


def _date_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    assert 'type="date"' in tag, tag
    return re.search(r'value="([^"]*)"', tag).group(1)


class _Form(forms.Form):
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def test_it_renders_date_and_datetime_inputs_in_iso_and_reads_them_back():
    form = _Form(initial={"on": date(2026, 12, 6), "at": timezone.datetime(2026, 12, 6, 9, 30)})
    assert 'value="2026-12-06"' in str(form["on"]) and 'value="2026-12-06T09:30"' in str(form["at"])
    posted = _Form({"on": "2026-12-06", "at": "2026-12-06T09:30"})
    assert posted.is_valid(), posted.errors
    assert _Form({"on": "2026/12/06", "at": "2026-12-06 09:30"}).is_valid()  # typed spellings still read


def test_it_prefills_todays_burden_report_so_the_first_submit_goes_through(world, client):
    client.force_login(world.grid_worker)
    page = client.get("/grid/burden/").content.decode()
    today = _date_value(page, "occurred_on")
    assert today == timezone.localdate().isoformat()
    department = re.search(r'<select[^>]*name="source_department".*?<option value="(\d+)"', page, re.S).group(
        1
    )
    response = client.post(
        "/grid/burden/",
        {
            "kind": "task",
            "source_department": department,
            "occurred_on": today,
            "description": "要求填报走访台账",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert BurdenEvent.objects.filter(occurred_on=timezone.localdate()).exists()
    assert not GridEvent.objects.exists()  # a burden is not a grid event


def test_it_prefills_the_village_check_with_an_iso_date(world, client):
    client.force_login(world.village_cadre)
    page = client.get("/admission/check/").content.decode()
    assert _date_value(page, "received_on") == timezone.localdate().isoformat()
