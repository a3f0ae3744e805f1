"""The reporting-rate rollup gives the figures the task table gives: kept current by the services that open periods
and move tasks, and rebuilt from the tasks by ``jianfu forms_rollup`` to the same cells."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from jianfu.forms import selectors, services
from jianfu.forms.models import FormTask, ReportingRollup
from jianfu.forms.selectors import reporting_rates, reporting_rates_live
from jianfu.forms.services import rollup
from tests.forms.conftest import YEAR


def _submit(table, task, value="7"):
    """A village reports through the service; villages without base data correct the served fields."""
    fields = list(table.form.fields.all())
    typed = {f.pk: value for f in fields if not f.indicator_id}
    served = {f.pk: "800" if "常住" in f.label else "200" for f in fields if f.indicator_id}
    has_values = task.village_id == table.task.village_id
    services.task_submit(
        actor=None,
        task=FormTask.objects.get(pk=task.pk),
        typed=typed,
        corrections={} if has_values else served,
        reason="" if has_values else "村（社区）核实后填写",
    )


def _cells() -> list[tuple]:
    return sorted(
        ReportingRollup.objects.values_list(
            "issue_id",
            "township_id",
            "due_on",
            "expected",
            "submitted",
            "timely",
            "late",
            "approved",
            "accepted",
        )
    )


def _same_for_everyone(world, table) -> None:
    for user in (world.office, world.town_cg, world.town_hk):
        assert selectors.reads_rollup(user)
        for filters in ({}, {"form_id": table.form.pk}, {"period": f"{YEAR}Q2"}, {"period": f"{YEAR}H1"}):
            assert reporting_rates(user, year=YEAR, **filters) == reporting_rates_live(
                user, year=YEAR, **filters
            ), (user, filters)


def test_the_rollup_gives_the_live_figures_as_periods_open_and_villages_report(world, table):
    services.township_schedule_set(
        actor=world.town_hk, form=table.form, township=world.township_hk, frequency="half_yearly", due_day=20
    )
    _same_for_everyone(world, table)
    services.periods_open(on=date(YEAR, 7, 5))  # Q2 and Q3 for the rest, H1 and H2 for 河口镇 (due the 20th)
    services.form_issue(actor=world.dept_clerk, form=table.form, period=f"{YEAR}Q4")
    assert ReportingRollup.objects.filter(township=world.township_hk, due_on=date(YEAR, 7, 20)).exists()
    tasks = list(FormTask.objects.order_by("pk"))
    for n, task in enumerate(tasks):
        if n % 3:
            _submit(table, task)
        if n % 7 == 0:
            _same_for_everyone(world, table)
    _same_for_everyone(world, table)
    report = reporting_rates(world.office, year=YEAR)
    assert report["total"]["expected"] == len(tasks) and report["total"]["submitted"] == sum(
        1 for n in range(len(tasks)) if n % 3
    )
    assert {r["period"] for r in report["periods"]} >= {f"{YEAR}Q1", f"{YEAR}H1", f"{YEAR}Q4"}


def test_a_rebuild_gives_the_cells_the_services_kept(world, table):
    services.periods_open(on=date(YEAR, 4, 2))
    for task in FormTask.objects.filter(village__parent=world.township_cg):
        _submit(table, task)
    kept = _cells()
    out = StringIO()
    call_command("forms_rollup", stdout=out)
    assert _cells() == kept and f"{len(kept)} 行" in out.getvalue()


def test_one_townships_villages_and_a_village_cadre_are_counted_live(world, table):
    assert not selectors.reads_rollup(world.village_cadre)
    assert not selectors.reads_rollup(world.office, township=world.township_hk.code)
    ReportingRollup.objects.all().delete()  # whatever the cells say, these read the tasks
    assert reporting_rates(world.village_cadre, year=YEAR)["total"]["expected"] == 1
    hk = reporting_rates(world.office, year=YEAR, township=world.township_hk.code)
    assert hk["total"]["expected"] == world.township_hk.children.filter(is_active=True).count()


def test_a_task_written_around_the_services_is_counted_when_its_issue_moves_next(world, table):
    ReportingRollup.objects.all().delete()
    _submit(table, table.task)
    assert reporting_rates(world.office, year=YEAR) == reporting_rates_live(world.office, year=YEAR)
    assert rollup.rebuild() == len(_cells())


def _province_office(world):
    from jianfu.orgs import services as orgs_services
    from jianfu.orgs.roles import Role

    user = orgs_services.user_create(
        actor=None,
        username="hb_office",
        full_name="省减负办",
        home_region=world.province,
        password="Hb-Office-2026!",
    )
    orgs_services.role_grant(actor=None, user=user, role=Role.COMMITTEE_OFFICE, region=world.province)
    return type(user).objects.get(pk=user.pk)


def test_it_lists_a_province_by_prefecture_and_a_prefecture_by_county_from_the_rollup(world, table):
    services.periods_open(on=date(YEAR, 4, 2))
    for task in FormTask.objects.filter(village__parent=world.township_cg):
        _submit(table, task)
    office = _province_office(world)
    assert selectors.reads_rollup(office)
    report = reporting_rates(office, year=YEAR)
    assert report == reporting_rates_live(office, year=YEAR)
    prefecture = world.county.parent
    assert [(r["code"], r["name"]) for r in report["places"]] == [(prefecture.code, prefecture.name)]
    assert report["places"][0]["expected"] == report["total"]["expected"]
    counties = reporting_rates(office, year=YEAR, area=prefecture.code)
    assert counties == reporting_rates_live(office, year=YEAR, area=prefecture.code)
    assert {r["code"] for r in counties["places"]} == {world.county.code}
    townships = reporting_rates(office, year=YEAR, area=world.county.code)
    assert townships == reporting_rates(world.office, year=YEAR)  # the county's own view, one level down
    villages = reporting_rates(office, year=YEAR, area=world.township_cg.code)
    assert {r["code"] for r in villages["places"]} <= set(
        world.township_cg.children.values_list("code", flat=True)
    )
    assert len(selectors.tasks(office, area=prefecture.code)) == report["total"]["expected"]
    assert not selectors.tasks(world.office, area=world.other_county.code).exists()
