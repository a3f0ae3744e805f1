"""The demo records load once and a second run changes nothing; the duplicates command lists the planted twin."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from jianfu.forms.demo import load_demo_records
from jianfu.forms.models import (
    BaseValue,
    DepartmentForm,
    FormStatus,
    FormTask,
    TownshipSchedule,
    WorkChannel,
)
from tests.forms.conftest import load_lists


def test_the_demo_loads_once_and_lists_its_duplicate_indicators(world):
    load_lists()
    assert "个基础指标" in load_demo_records()
    counts = (BaseValue.objects.count(), DepartmentForm.objects.count(), WorkChannel.objects.count())
    assert "未变" in load_demo_records()
    assert counts == (BaseValue.objects.count(), DepartmentForm.objects.count(), WorkChannel.objects.count())
    statuses = set(DepartmentForm.objects.values_list("status", flat=True))
    assert {FormStatus.APPROVED, FormStatus.REJECTED, FormStatus.MERGED} <= statuses
    assert FormTask.objects.filter(on_time=True).exists() and FormTask.objects.filter(on_time=False).exists()
    overdue = FormTask.objects.filter(status="open", due_on__lt=date.today())
    assert (
        overdue.exists()
        and FormTask.objects.filter(issue__scheduled=True).count() == FormTask.objects.count()
    )
    assert TownshipSchedule.objects.filter(frequency="half_yearly").exists()
    assert sum(c.flagged_for_closure for c in WorkChannel.objects.all()) == 2
    out = StringIO()
    call_command("forms_duplicates", stdout=out)
    assert "常住人口" in out.getvalue() and "本村常住人口数" in out.getvalue()


def test_the_demo_breaks_resident_population_down_and_taoyuan_filled_one_period(world):
    from jianfu.forms.models import BreakdownValue, Category, CategoryCombo, Indicator

    load_lists()
    assert "性别×年龄段" in load_demo_records()
    assert set(Category.objects.values_list("name", flat=True)) >= {"性别", "年龄段"}
    combo = CategoryCombo.objects.get(name="性别×年龄段")
    indicator = Indicator.objects.get(code="JC-001", category_combo=combo)
    cells = BreakdownValue.objects.filter(indicator=indicator, village__name="桃园村")
    assert cells.count() == 6 and len(set(cells.values_list("period", flat=True))) == 1
    value = BaseValue.objects.get(indicator=indicator, village__name="桃园村", period=cells.first().period)
    assert value.number == sum(c.number for c in cells)
    assert "未变" in load_demo_records()
    assert (Category.objects.count(), CategoryCombo.objects.count(), cells.count()) == (2, 1, 6)
    # a database loaded before categories existed gets them on the next run, once
    indicator.category_combo = None
    indicator.save()
    BreakdownValue.objects.all().delete()
    CategoryCombo.objects.all().delete()
    assert "补充分类" in load_demo_records() and cells.count() == 6
