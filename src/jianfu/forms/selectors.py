"""Scoped reads for 一张表: every list starts from ``visible_to(user)``; another region's record is a 404."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, F, Min, Q, Sum, Value, When
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from jianfu.core.registry import HomeTask
from jianfu.orgs import access
from jianfu.orgs.models import PREFIX_LENGTH, Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from . import dedup, periods
from .models import (
    ACCEPTED_STATES,
    APPROVED_STATES,
    REPORTED_STATES,
    BaseValue,
    BreakdownValue,
    Category,
    CategoryCombo,
    ChannelStatus,
    DepartmentForm,
    FormStatus,
    FormTask,
    FormTaskStatus,
    Indicator,
    PeriodLock,
    ReportingRollup,
    TownshipSchedule,
    UnlockRequest,
    UnlockStatus,
    ValidationRule,
    ValueHistory,
    WorkChannel,
)
from .services import rule_problems


def may_view(user) -> bool:
    return user.is_authenticated and user.has_capability(Capability.FORMS_VIEW)


def entry_villages(user) -> list[Region]:
    """Villages whose base data this user enters (a village cadre's own village)."""
    if not user.is_authenticated:
        return []
    return [
        a.region
        for a in access.assignments(user)
        if a.region.level == Level.VILLAGE and user.can(Capability.FORMS_ENTER, a.region)
    ]


def review_townships(user) -> list[Region]:
    """Townships whose periods this user may lock (township staff: theirs; the county office: all of its)."""
    prefixes = access.region_prefixes(user, Capability.FORMS_REVIEW)
    if not prefixes:
        return []
    return list(Region.objects.filter(subtree_q(prefixes), level=Level.TOWNSHIP, is_active=True))


def pending_unlocks(user) -> list:
    """Unlock requests waiting for this user's decision (the county office, one level above the township)."""
    prefixes = access.region_prefixes(user, Capability.FORMS_MANAGE)
    if not prefixes:
        return []
    rows = UnlockRequest.objects.visible_to(user).filter(
        subtree_q(prefixes, "lock__township__code"), status=UnlockStatus.PENDING
    )
    return list(rows.select_related("lock__township", "requested_by").order_by("requested_at", "pk")[:50])


def visible_villages(user):
    return Region.objects.filter(
        subtree_q(access.region_prefixes(user, Capability.FORMS_VIEW)), level=Level.VILLAGE, is_active=True
    )


def village_get(user, code: str) -> Region:
    return get_object_or_404(visible_villages(user), code=code)


def township_get(user, code: str) -> Region:
    townships = Region.objects.filter(
        subtree_q(access.region_prefixes(user, Capability.FORMS_VIEW)), level=Level.TOWNSHIP
    )
    return get_object_or_404(townships, code=code)


def indicators(user, *, query: str = "", include_retired: bool = False):
    rows = Indicator.objects.visible_to(user).select_related("owner_department", "merged_into", "region")
    if not include_retired:
        rows = rows.filter(is_active=True)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return rows


def indicator_get(user, pk: int) -> Indicator:
    return get_object_or_404(indicators(user, include_retired=True), pk=pk)


def rules(user):
    return ValidationRule.objects.visible_to(user).select_related("left", "right")


def rule_get(user, pk: int) -> ValidationRule:
    return get_object_or_404(rules(user), pk=pk)


def duplicate_groups(user) -> list[list[Indicator]]:
    """Groups of active indicators naming the same fact, by the same dedup code the bench measures."""
    rows = list(indicators(user).order_by("code"))
    groups = dedup.duplicate_groups([i.name for i in rows], [i.unit for i in rows])
    return [[rows[i] for i in group] for group in groups]


def village_values(user, village: Region, period: str) -> list[tuple[Indicator, BaseValue | None]]:
    """Each indicator of the period's kind with the village's value (None when not yet entered)."""
    from .services import period_kind

    kind = period_kind(period)
    current = {
        v.indicator_id: v
        for v in BaseValue.objects.visible_to(user)
        .filter(village=village, period=period)
        .select_related("entered_by")
    }
    chosen = (
        indicators(user).filter(period=kind).select_related("category_combo")
        if kind
        else Indicator.objects.none()
    )
    return [(i, current.get(i.pk)) for i in chosen.order_by("code")]


def value_history(user, village: Region, period: str):
    return (
        ValueHistory.objects.visible_to(user)
        .filter(base_value__village=village, base_value__period=period)
        .select_related("base_value__indicator", "by")
    )


def township_review(user, township: Region, period: str) -> dict:
    """Per village: values entered and the rules they break, for the township before it locks the period."""
    villages = list(township.children.filter(is_active=True).order_by("code"))
    counts = dict(
        BaseValue.objects.filter(village__in=villages, period=period)
        .values("village")
        .annotate(n=Count("pk"))
        .values_list("village", "n")
    )
    rows = [
        {"village": v, "entered": counts.get(v.pk, 0), "problems": rule_problems(v, period)} for v in villages
    ]
    locks = PeriodLock.objects.filter(township=township, period=period).select_related("locked_by")
    lock = locks.filter(unlocked_at__isnull=True).first()
    unlocks = UnlockRequest.objects.filter(lock__in=locks).select_related("requested_by", "decided_by")
    return {
        "rows": rows,
        "lock": lock,
        "unlocks": unlocks,
        "errors": sum(1 for r in rows for p in r["problems"] if p.is_error),
    }


def village_lock(village: Region, period: str) -> dict:
    """The township's lock on a village's period, if any, and whether an unlock request is already waiting."""
    lock = PeriodLock.objects.filter(
        township__code=village.code[:9].ljust(12, "0"), period=period, unlocked_at__isnull=True
    ).first()
    pending = lock is not None and lock.unlock_requests.filter(status=UnlockStatus.PENDING).exists()
    return {"lock": lock, "pending": pending}


def unlock_get(user, pk: int) -> UnlockRequest:
    return get_object_or_404(UnlockRequest.objects.visible_to(user).select_related("lock__township"), pk=pk)


def forms(user, *, year: int | None = None, status: str = "", query: str = ""):
    rows = DepartmentForm.objects.visible_to(user).select_related("department", "region")
    if year:
        rows = rows.filter(year=year)
    if status:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(department__name__icontains=query))
    return rows


def form_get(user, pk: int) -> DepartmentForm:
    return get_object_or_404(forms(user), pk=pk)


def annual_list(user, year: int):
    return forms(user, year=year, status=FormStatus.APPROVED).order_by("number")


# What a task's state filter keeps; ``today`` splits the unreported into not yet due and overdue.
TASK_STATES = {
    "open": ("待填报", lambda today: ~Q(status__in=REPORTED_STATES)),
    "submitted": ("已报送", lambda today: Q(status__in=REPORTED_STATES)),
    "on_time": ("按时报送", lambda today: Q(on_time=True)),
    "late": ("逾期报送", lambda today: Q(on_time=False)),
    "overdue": ("逾期未报", lambda today: ~Q(status__in=REPORTED_STATES) & Q(due_on__lt=today)),
    "pending": ("未到截止日", lambda today: ~Q(status__in=REPORTED_STATES) & ~Q(due_on__lt=today)),
}


def tasks(
    user,
    *,
    village: Region | None = None,
    status: str = "",
    state: str = "",
    year: int | None = None,
    form_id: int | None = None,
    period: str = "",
    township: str = "",
    village_code: str = "",
    area: str = "",
):
    """Tasks in the user's villages, filtered as the reporting-rate report's links ask (``area``: the code of a
    prefecture, county or township the report listed)."""
    rows = FormTask.objects.visible_to(user).select_related("issue__form__department", "village")
    if village is not None:
        rows = rows.filter(village=village)
    if status:
        rows = rows.filter(status=status)
    if state in TASK_STATES:
        rows = rows.filter(TASK_STATES[state][1](timezone.localdate()))
    if year:
        rows = rows.filter(issue__form__year=year)
    if form_id:
        rows = rows.filter(issue__form_id=form_id)
    if period:
        rows = rows.filter(issue__period=period)
    if township:
        rows = rows.filter(village__parent__code=township)
    if village_code:
        rows = rows.filter(village__code=village_code)
    if area:
        region = area_get(user, area)
        rows = rows.filter(subtree_q([region.prefix], "village__code")) if region else rows.none()
    return rows.order_by("status", "due_on", "village__code", "pk")


def task_get(user, pk: int) -> FormTask:
    return get_object_or_404(tasks(user), pk=pk)


def task_cards(task: FormTask) -> list:
    """The accepted process cards (谁交办任务、谁建立流程) that name this task's form or an earlier version of it:
    how the work is to be done, shown to the village on its task. The newest accepted version per item wins.
    Read through the cards' own link to forms (catalog's ``ProcessCard.forms``), so forms imports nothing of it."""
    form = task.issue.form
    newest: dict = {}
    for card in (
        form.process_cards.model.objects.accepted()
        .filter(forms__in=[form.pk, *form.earlier_ids()])
        .select_related("department")
        .order_by("item_code", "number")
        .distinct()
    ):
        newest[card.item_code] = card
    return list(newest.values())


def task_rows(task: FormTask) -> list[dict]:
    """Each field of the task's form: served (with the base-table value) or to type (with what was typed)."""
    from .services.forms import served_value

    typed = {v.field_id: v.value for v in task.values.all()}
    rows = []
    for field in task.issue.form.fields.select_related("indicator"):
        served = served_value(task, field)
        rows.append({"field": field, "served": served, "typed": typed.get(field.pk, "")})
    return rows


def village_counts(user, *, year: int) -> list[dict]:
    """Per village: fields typed against fields served from the base table in the year's reported tasks (submitted,
    approved by the township or accepted by the county: a task moving up the approval levels still counts)."""
    rows = (
        tasks(user)
        .filter(status__in=REPORTED_STATES, issue__period__startswith=str(year))
        .values("village__code", "village__name")
        .annotate(typed=Sum("typed"), served=Sum("served"), n=Count("pk"))
        .order_by("village__code")
    )
    return list(rows)


def served_counts(*, region, year: int) -> dict:
    """For monitoring's dashboards: fields the villages under ``region`` typed against fields served from the base
    table in ``year`` (reported tasks, at any approval level, whose period falls in the year): ``{"typed": int, "served": int}``."""
    return served_counts_by_year(region=region, years=[year])[year]


def served_counts_by_year(*, region, years) -> dict[int, dict]:
    """``served_counts`` of each of ``years`` in one read (a period starts with its year: 2026, 2026Q1, 2026-03)."""
    years = sorted(set(years))
    in_years = Q()
    for y in years:
        in_years |= Q(issue__period__startswith=str(y))
    rows = (
        FormTask.objects.filter(
            subtree_q([region.prefix], "village__code"), in_years, status__in=REPORTED_STATES
        )
        .annotate(y=Substr("issue__period", 1, 4))
        .values_list("y")
        .annotate(typed=Sum("typed"), served=Sum("served"))
        .order_by()
    )
    found = {str(y): (typed or 0, served or 0) for y, typed, served in rows}
    return {y: dict(zip(("typed", "served"), found.get(str(y), (0, 0)), strict=True)) for y in years}


# Schedules and reporting rates ------------------------------------------------------------------------------


def schedule_rows(user, year: int, on: date | None = None) -> list[dict]:
    """Each listed form of the year with its frequency, due day, the current period and its due date, and the
    townships' own schedules the user may see."""
    on = on or timezone.localdate()
    own = defaultdict(list)
    for row in TownshipSchedule.objects.visible_to(user).select_related("township").filter(form__year=year):
        own[row.form_id].append(row)
    rows = []
    for form in annual_list(user, year).select_related("department"):
        kind = periods.period_frequency(form.frequency)
        current = periods.current(kind, on) if on.year == year else periods.keys(kind, year)[0]
        rows.append(
            {
                "form": form,
                "current": current,
                "due_on": periods.due_date(current, form.due_day),
                "townships": own[form.pk],
            }
        )
    return rows


FIGURES = ("expected", "submitted", "timely", "late", "overdue", "approved", "accepted")


def _counts(today: date) -> dict:
    unreported = ~Q(status__in=REPORTED_STATES)
    return {
        "expected": Count("pk"),
        "submitted": Count("pk", filter=Q(status__in=REPORTED_STATES)),
        "timely": Count("pk", filter=Q(on_time=True)),  # not "on_time": that is the field counted
        "late": Count("pk", filter=Q(on_time=False)),
        "overdue": Count("pk", filter=unreported & Q(due_on__lt=today)),
        "approved": Count("pk", filter=Q(status__in=APPROVED_STATES)),
        "accepted": Count("pk", filter=Q(status__in=ACCEPTED_STATES)),
    }


def _rates(row: dict) -> dict:
    for key in FIGURES:
        row[key] = int(row[key] or 0)
    expected = row["expected"]
    row["pending"] = expected - row["submitted"] - row["overdue"]
    row["reporting_rate"] = round(100 * row["submitted"] / expected, 1) if expected else None
    row["timely_rate"] = round(100 * row["timely"] / expected, 1) if expected else None
    return row


def _report(total: dict, places, forms, periods_) -> dict:
    return {
        "total": _rates(total),
        "places": [_rates(r) for r in places],
        "forms": [_rates(r) for r in forms],
        "periods": [_rates(r) for r in periods_],
    }


def reads_rollup(user, township: str = "") -> bool:
    """Whether the report can be added up from the rollup for this user: it sums whole townships, so not for one
    township's villages (read live, one township's tasks) nor for someone who sees single villages only."""
    if township:
        return False
    return all(
        len(p) <= PREFIX_LENGTH[Level.TOWNSHIP] for p in access.region_prefixes(user, Capability.FORMS_VIEW)
    )


def area_get(user, code: str) -> Region | None:
    """A region the user sees, above its villages, whose report (one level down) is asked for; None if not."""
    if not code:
        return None
    prefixes = access.region_prefixes(user, Capability.FORMS_VIEW)
    found = Region.objects.filter(subtree_q(prefixes), code=code[:12]).first() if prefixes else None
    return found if found is not None and found.level < Level.VILLAGE else None


def place_length(user, area: Region | None = None) -> int:
    """The code length of the report's rows: one level below the area asked for, or below the user's widest region
    (a province's office lists its prefectures, a prefecture its counties, a county its townships), never below
    the township, the rollup's finest cell. Someone without a region role (a department) lists townships."""
    if area is not None:
        top = area.level
    else:
        lengths = [len(p) for p in access.region_prefixes(user, Capability.FORMS_VIEW)]
        widest = min(lengths, default=PREFIX_LENGTH[Level.COUNTY])
        top = next(lvl for lvl, n in PREFIX_LENGTH.items() if n >= widest)
    return PREFIX_LENGTH[Level(min(top + 1, Level.TOWNSHIP))]


def _place_names(keys, length: int) -> dict[str, tuple[str, str, int]]:
    """Per code prefix of ``length``: the region's full code, name and level."""
    codes = {key.ljust(12, "0"): key for key in keys}
    return {
        codes[code]: (code, name, level)
        for code, name, level in Region.objects.filter(code__in=codes).values_list("code", "name", "level")
    }


def reporting_rates(
    user, *, year: int, form_id: int | None = None, period: str = "", township: str = "", area: str = ""
) -> dict:
    """DHIS2's reporting rate summary: expected, submitted, on time, late and overdue tasks, and the reporting
    and timeliness rates, in total and by place one level down (prefectures for a province, counties for a
    prefecture, townships for a county; villages within one township), form and period. Read from the rollup
    where it serves (``reads_rollup``), else counted live from the tasks; both give the same figures."""
    region = area_get(user, area)
    if region is not None and region.level == Level.TOWNSHIP:
        township, region = region.code, None
    if not reads_rollup(user, township):
        return reporting_rates_live(user, year=year, form_id=form_id, period=period, township=township)
    today = timezone.localdate()
    cells = ReportingRollup.objects.visible_to(user).filter(year=year)
    if region is not None:
        cells = cells.filter(subtree_q([region.prefix], "township_code"))
    if form_id:
        cells = cells.filter(form_id=form_id)
    if period:
        cells = cells.filter(period=period)
    return _added_up(cells, today, place_length(user, region))


def _cell_sums(today: date) -> dict:
    """The figures summed over cells (named ``sum_*``: an aggregate may not take a field's name); overdue is a
    cell's unreported tasks once its due date has passed, decided at reading, so no cell ages."""
    sums = {f"sum_{k}": Sum(k) for k in FIGURES if k != "overdue"}
    unreported = F("expected") - F("submitted")
    return {**sums, "sum_overdue": Sum(Case(When(due_on__lt=today, then=unreported), default=Value(0)))}


def _added_up(cells, today: date, length: int) -> dict:
    """One grouped read of the cells, no join: by place (the township code's first ``length`` digits), form and
    period — a few hundred rows for a province's year, from which the places, forms, periods and total are added
    in Python (a second pass over the cells cost as much as the first)."""
    sums = _cell_sums(today)
    grouped = (
        cells.annotate(place=Substr("township_code", 1, length))
        .values("place", "form_id", "period")
        .order_by()
        .annotate(**sums)
    )
    total, places, forms, by_period = dict.fromkeys(FIGURES, 0), {}, {}, {}
    for r in grouped:
        for row in (
            total,
            places.setdefault(r["place"], dict.fromkeys(FIGURES, 0)),
            forms.setdefault(r["form_id"], dict.fromkeys(FIGURES, 0)),
            by_period.setdefault(r["period"], dict.fromkeys(FIGURES, 0)),
        ):
            for name in FIGURES:
                row[name] += int(r[f"sum_{name}"] or 0)
    names = _place_names(places, length)
    form_names = dict(DepartmentForm.objects.filter(pk__in=forms).values_list("pk", "name"))
    return _report(
        total,
        [
            {"code": names[key][0], "name": names[key][1], "level": names[key][2], **places[key]}
            for key in sorted(places)
            if key in names
        ],
        [
            {"form_name": form_names[pk], "form": pk, **forms[pk]}
            for pk in sorted(forms, key=lambda pk: (form_names[pk], pk))
        ],
        [{"period": key, **by_period[key]} for key in sorted(by_period)],
    )


def reporting_rates_live(
    user, *, year: int, form_id: int | None = None, period: str = "", township: str = "", area: str = ""
) -> dict:
    """The reporting rates counted from the task table itself (one township's villages; a village's cadre; and the
    check the rollup is measured against), by place one level down as ``reporting_rates``."""
    today = timezone.localdate()
    region = area_get(user, area)
    if region is not None and region.level == Level.TOWNSHIP:
        township, region = region.code, None
    rows = tasks(user, year=year, form_id=form_id, period=period, township=township).order_by()
    if region is not None:
        rows = rows.filter(subtree_q([region.prefix], "village__code"))
    counts = _counts(today)
    if township:
        places = list(
            rows.values(code=F("village__code"), name=F("village__name"), level=F("village__level"))
            .order_by("code")
            .annotate(**counts)
        )
    else:
        length = place_length(user, region)
        grouped = rows.annotate(place=Substr("village__code", 1, length)).values("place").order_by("place")
        found = {r.pop("place"): r for r in grouped.annotate(**counts)}
        names = _place_names(found, length)
        places = [
            {"code": names[k][0], "name": names[k][1], "level": names[k][2], **found[k]}
            for k in sorted(found)
            if k in names
        ]
    forms = rows.values(form_name=F("issue__form__name"), form_ref=F("issue__form_id")).order_by(
        "form_name", "form_ref"
    )
    by_period = rows.values(period=F("issue__period")).order_by("period")
    return _report(
        rows.aggregate(**counts),
        places,
        [{"form_name": r.pop("form_name"), "form": r.pop("form_ref"), **r} for r in forms.annotate(**counts)],
        by_period.annotate(**counts),
    )


def channels(user, *, status: str = "", flagged: bool = False, query: str = ""):
    rows = WorkChannel.objects.visible_to(user).select_related("department", "region")
    if status:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(purpose__icontains=query))
    if flagged:
        return [c for c in rows if c.flagged_for_closure]
    return rows


def channel_get(user, pk: int) -> WorkChannel:
    return get_object_or_404(WorkChannel.objects.visible_to(user), pk=pk)


def cleanup_figures(user, years: list[int]) -> list[dict]:
    """The figures a county reports upward, per year: forms registered/approved/merged/rejected, indicators
    deduplicated, fields served instead of typed, channels closed or merged."""
    form_rows = forms(user).filter(year__in=years).values("year", "status").annotate(n=Count("pk"))
    by_year = defaultdict(lambda: defaultdict(int))
    for row in form_rows:
        by_year[row["year"]][row["status"]] += row["n"]
        by_year[row["year"]]["registered"] += row["n"]
    merged = Indicator.objects.visible_to(user).filter(merged_at__isnull=False)
    channel_rows = WorkChannel.objects.visible_to(user).filter(status_changed_at__isnull=False)
    out = []
    for year in years:
        counts = by_year[year]
        typed = _typed_served(user, year)
        out.append(
            {
                "year": year,
                "registered": counts["registered"],
                "approved": counts[FormStatus.APPROVED],
                "merged": counts[FormStatus.MERGED],
                "rejected": counts[FormStatus.REJECTED],
                "indicators_merged": merged.filter(merged_at__year=year).count(),
                "served": typed["served"],
                "typed": typed["typed"],
                "channels_closed": channel_rows.filter(
                    status=ChannelStatus.CLOSED, status_changed_at__year=year
                ).count(),
                "channels_merged": channel_rows.filter(
                    status=ChannelStatus.MERGED, status_changed_at__year=year
                ).count(),
            }
        )
    return out


def _typed_served(user, year: int) -> dict:
    totals = (
        tasks(user)
        .filter(status__in=REPORTED_STATES, issue__period__startswith=str(year))
        .aggregate(typed=Sum("typed"), served=Sum("served"))
    )
    return {"typed": totals["typed"] or 0, "served": totals["served"] or 0}


def home_card(user) -> dict | None:
    """What the home page shows this user about 一张表; None hides the card."""
    if not may_view(user):
        return None
    open_tasks = tasks(user, status=FormTaskStatus.OPEN).count() if entry_villages(user) else None
    pending = forms(user, status=FormStatus.SUBMITTED).count()
    return {"open_tasks": open_tasks, "pending": pending, "flagged": len(channels(user, flagged=True))}


def home_tasks(user) -> list:
    """A village's forms to fill (by deadline) and the office's department forms to decide."""
    if not may_view(user):
        return []
    out = []
    if entry_villages(user):
        today = timezone.localdate()
        open_tasks = tasks(user, status=FormTaskStatus.OPEN)
        out.append(
            HomeTask(
                "张报表待填报",
                open_tasks.count(),
                f"{reverse('forms:tasks')}?status={FormTaskStatus.OPEN}",
                due=open_tasks.aggregate(due=Min("due_on"))["due"],
                overdue=open_tasks.filter(due_on__lt=today).count(),
                action="去填报",
            )
        )
    if user.has_capability(Capability.FORMS_MANAGE):
        out.append(
            HomeTask(
                "张部门表格待审定",
                forms(user, status=FormStatus.SUBMITTED).count(),
                f"{reverse('forms:form_list')}?status={FormStatus.SUBMITTED}",
            )
        )
    return out


# Categories ------------------------------------------------------------------------------------------------


def categories(user):
    return Category.objects.visible_to(user).prefetch_related("options")


def combos(user):
    return CategoryCombo.objects.visible_to(user).prefetch_related("members__category", "indicators")


def combo_get(user, pk: int) -> CategoryCombo:
    return get_object_or_404(combos(user), pk=pk)


def broken_down(user):
    """The indicators the user sees that are entered by cells."""
    return (
        indicators(user).filter(category_combo__isnull=False, is_active=True).select_related("category_combo")
    )


def breakdown_cells(village: Region, indicator: Indicator, period: str) -> dict[str, Decimal]:
    """A village's cells of a broken-down indicator for a period (the caller has loaded the village through
    ``village_get``, so it is in scope)."""
    return dict(
        BreakdownValue.objects.filter(village=village, indicator=indicator, period=period).values_list(
            "cell", "number"
        )
    )


def breakdown_report(user, *, indicator: Indicator, period: str, area: Region | None = None) -> dict:
    """Each cell of a broken-down indicator added up over the villages the user sees (or one area's), beside the
    sum of the same villages' values: the two agree, since a value is the sum of its cells."""
    from .services import cells

    rows = BreakdownValue.objects.visible_to(user).filter(indicator=indicator, period=period)
    values = BaseValue.objects.visible_to(user).filter(indicator=indicator, period=period)
    if area is not None:
        rows = rows.filter(subtree_q([area.prefix], "village__code"))
        values = values.filter(subtree_q([area.prefix], "village__code"))
    sums = dict(rows.values("cell").order_by().annotate(n=Sum("number")).values_list("cell", "n"))
    out = [
        {"key": key, "label": label, "number": _plain(sums.get(key))}
        for key, label in cells(indicator.category_combo)
    ]
    return {
        "cells": out,
        "total": _plain(sum((Decimal(c["number"]) for c in out), Decimal(0))),
        "base_total": _plain(values.aggregate(n=Sum("number"))["n"]),
        "villages": rows.values("village_id").distinct().count(),
    }


def _plain(number) -> int | Decimal:
    """A sum as people write it: 21, not 21.0000 (PostgreSQL keeps the column's scale, SQLite does not)."""
    value = Decimal(number or 0)
    return int(value) if value == value.to_integral_value() else value.normalize()


# Savings ---------------------------------------------------------------------------------------------------


def _share(served: int, typed: int) -> float | None:
    return round(100 * served / (served + typed), 1) if served + typed else None


def village_savings(user, village: Region, year: int) -> dict:
    """Per form of the year: the village's reported tasks, the fields the base table served them and the fields the
    village typed, and the share served; the totals beside them."""
    rows = (
        tasks(user, village=village, year=year)
        .filter(status__in=REPORTED_STATES)
        .values("issue__form_id", "issue__form__name")
        .annotate(n=Count("pk"), served=Sum("served"), typed=Sum("typed"))
        .order_by("issue__form__name", "issue__form_id")
    )
    forms_ = [
        {
            "form": r["issue__form_id"],
            "name": r["issue__form__name"],
            "tasks": r["n"],
            "served": r["served"] or 0,
            "typed": r["typed"] or 0,
            "share": _share(r["served"] or 0, r["typed"] or 0),
        }
        for r in rows
    ]
    served, typed = sum(f["served"] for f in forms_), sum(f["typed"] for f in forms_)
    return {
        "forms": forms_,
        "total": {
            "tasks": sum(f["tasks"] for f in forms_),
            "served": served,
            "typed": typed,
            "share": _share(served, typed),
        },
    }


def cleanup_before_after(user, year: int) -> dict:
    """The county's forms and indicators before and after the clean-up: forms registered for the year against those
    listed; indicators ever made against those still in use (duplicates merged away); fields served as a share."""
    counts = dict(
        forms(user, year=year).values("status").order_by().annotate(n=Count("pk")).values_list("status", "n")
    )
    made = Indicator.objects.visible_to(user)
    served = _typed_served(user, year)
    registered, listed = sum(counts.values()), counts.get(FormStatus.APPROVED, 0)
    indicators_before, indicators_after = made.count(), made.filter(is_active=True).count()
    return {
        "forms_before": registered,
        "forms_after": listed,
        "forms_cut": round(100 * (registered - listed) / registered, 1) if registered else None,
        "indicators_before": indicators_before,
        "indicators_after": indicators_after,
        "indicators_cut": (
            round(100 * (indicators_before - indicators_after) / indicators_before, 1)
            if indicators_before
            else None
        ),
        "served_share": _share(served["served"], served["typed"]),
    }


def breakdown_total(village: Region, indicator: Indicator, period: str) -> str:
    """The value a village's cells add up to (as stored), '' before any was entered."""
    found = BaseValue.objects.filter(village=village, indicator=indicator, period=period).first()
    return found.value if found else ""
