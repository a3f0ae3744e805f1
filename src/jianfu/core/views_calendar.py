"""The working-day calendar page: how each year is known, and the administrator's entry of announced days."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.orgs.forms import StyledForm

from .models import AnnouncedYear, CalendarDay
from .views_util import add_service_errors
from .workdays import (
    calendar_day_set,
    calendar_year_announce,
    may_edit_calendar,
    require_calendar_editor,
    year_status,
)


class CalendarDayForm(StyledForm):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="安排", choices=[("0", "放假"), ("1", "调休上班")], coerce=lambda v: v == "1"
    )
    name = forms.CharField(label="说明", max_length=50, help_text="如：春节、国庆节调休上班")


class AnnounceForm(StyledForm):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(
        label="依据", max_length=200, help_text="国务院办公厅关于该年部分节假日安排的通知"
    )


@login_required
def calendar(request):
    this_year = timezone.localdate().year
    years = [
        (y, year_status(y), list(CalendarDay.objects.filter(day__year=y))) for y in (this_year, this_year + 1)
    ]
    context = {
        "years": years,
        "announced": AnnouncedYear.objects.all(),
        "can_edit": may_edit_calendar(request.user),
        "day_form": CalendarDayForm(),
        "announce_form": AnnounceForm(initial={"year": this_year + 1}),
    }
    return render(request, "core/calendar.html", context)


@login_required
@require_POST
def calendar_day(request):
    require_calendar_editor(request.user)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        calendar_day_set(actor=request.user, **form.cleaned_data)
        messages.success(request, f"已录入 {form.cleaned_data['day']}。")
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    return redirect("calendar")


@login_required
@require_POST
def calendar_announce(request):
    require_calendar_editor(request.user)
    form = AnnounceForm(request.POST)
    if form.is_valid():
        try:
            calendar_year_announce(actor=request.user, **form.cleaned_data)
            messages.success(request, f"{form.cleaned_data['year']} 年已标记为已公布。")
        except ValidationError as exc:
            add_service_errors(form, exc)
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    return redirect("calendar")
