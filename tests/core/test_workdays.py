"""Working days on the official calendar, with the administrator's entries for years not yet covered."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.core.workdays import WorkdayCalendar, add_workdays, calendar_day_set, calendar_year_announce


def test_it_skips_the_national_day_holiday_and_counts_the_make_up_day(db):
    # 2026-09-30 (Wed) + 2 working days: 10-01..10-07 are holidays and 10-10 (Sat) is a make-up working day.
    calendar = WorkdayCalendar()
    assert calendar.is_workday(date(2026, 10, 1)) == (False, True)
    deadline = add_workdays(date(2026, 9, 30), 2)
    assert (deadline.day, deadline.estimated) == (date(2026, 10, 9), False)


def test_it_estimates_monday_to_friday_for_a_year_not_yet_announced_and_says_so(db):
    deadline = add_workdays(date(2026, 12, 30), 3)  # into 2027, which the package does not cover
    assert deadline.estimated
    assert "2027 年节假日安排尚未公布" in deadline.note
    assert deadline.day == date(2027, 1, 4)


def test_it_uses_the_days_an_administrator_entered_for_a_new_year(world):
    calendar_day_set(actor=world.admin, day=date(2027, 1, 1), is_workday=False, name="元旦")
    calendar_day_set(actor=world.admin, day=date(2027, 1, 4), is_workday=False, name="元旦调休")
    calendar_year_announce(actor=world.admin, year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    deadline = add_workdays(date(2026, 12, 31), 1)
    assert (deadline.day, deadline.estimated) == (date(2027, 1, 5), False)


def test_it_refuses_to_announce_a_year_with_no_days_entered_and_keeps_the_calendar_to_administrators(world):
    with pytest.raises(ValidationError, match="请先录入 2028 年"):
        calendar_year_announce(actor=world.admin, year=2028, source="通知")
    with pytest.raises(PermissionDenied):
        calendar_day_set(actor=world.office, day=date(2028, 1, 1), is_workday=False, name="元旦")


def test_it_shows_how_each_year_is_known_on_the_calendar_page(world, client):
    client.force_login(world.admin)
    page = client.get("/calendar/").content.decode()
    assert "按周一至周五估算" in page
    response = client.post("/calendar/days/", {"day": "2027-02-10", "is_workday": "0", "name": "春节"})
    assert response.status_code == 302
    assert "春节" in client.get("/calendar/").content.decode()
