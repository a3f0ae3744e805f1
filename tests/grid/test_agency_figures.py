"""The contract campaign's dispatched-agency evaluation calls: events a department handled in a township."""

from datetime import timedelta

from django.utils import timezone

from jianfu.grid.selectors import agency_figures
from jianfu.grid.services import events as workflow
from tests.grid.conftest import file_event


def _handle(event, world, *, late=False, rating=None):
    event = workflow.event_accept(actor=world.dept_clerk, event=event)
    at = event.deadline + timedelta(hours=1) if late else None
    event = workflow.event_feedback(
        actor=None if late else world.dept_clerk, event=event, result="已处置", at=at
    )
    event = workflow.event_verify(actor=world.grid_worker, event=event, passed=True)
    if rating:
        workflow.event_rate(code=event.rating_code, rating=rating)
    return event


def test_it_counts_handled_on_time_and_satisfaction_for_the_department_in_the_township(world, grids):
    year = timezone.localdate().year
    labour = grids["LB-01"]
    _handle(file_event(world, labour, resident_phone="13900000001"), world, rating=5)
    _handle(file_event(world, labour, resident_phone="13900000002", building="解放路8号楼"), world, rating=3)
    _handle(file_event(world, labour, building="解放路9号楼"), world, late=True)
    file_event(world, labour, building="解放路10号楼")  # dispatched, not handled yet
    figures = agency_figures(department=world.dept_rs, township=world.township_cg, year=year)
    assert figures == {"handled": 3, "on_time": 2, "on_time_rate": round(2 / 3, 4), "satisfaction": 80.0}
    assert agency_figures(department=world.dept_rs, township=world.township_hk, year=year) == {
        "handled": 0,
        "on_time": 0,
        "on_time_rate": None,
        "satisfaction": None,
    }
    assert agency_figures(department=world.dept_rs, township=world.township_cg, year=year - 1)["handled"] == 0
    assert agency_figures(department=world.dept_mz, township=world.township_cg, year=year)["handled"] == 0
