"""Reads of 费随事转, scoped to the user: ledgers, what reached each village, the county report, the surveys."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404

from jianfu.orgs import access
from jianfu.orgs.models import Department, Region
from jianfu.orgs.roles import Capability

from ..models import AdmittedItem
from .models import FUNDING_CAPS, AllocationState, FundingAllocation, FundingLedger, FundingSurvey

ALL_CAPS = (*FUNDING_CAPS, Capability.FUNDING_LEDGER, Capability.FUNDING_ENTER, Capability.FUNDING_CONFIRM)


def may_view(user) -> bool:
    return any(access.may(user, cap) for cap in ALL_CAPS)


def require_view(user) -> None:
    access.require_that(may_view(user), "您没有查看费随事转台账的权限。")


def ledgers(user, year: int | None = None):
    require_view(user)
    rows = FundingLedger.objects.visible_to(user).select_related("department", "county", "admitted_item")
    return rows.filter(year=year) if year else rows


def ledger(user, pk) -> FundingLedger:
    return get_object_or_404(ledgers(user), pk=pk)


def sees_whole(user, ledger: FundingLedger) -> bool:
    """The department and the county's reviewers see every village of a ledger; a township or village its own."""
    return access.acts_for(user, Capability.FUNDING_LEDGER, ledger.department) or any(
        access.may(user, cap, ledger.county) for cap in FUNDING_CAPS
    )


def allocations_of(user, ledger: FundingLedger):
    rows = ledger.allocations.select_related("village", "township", "entered_by", "answered_by")
    return (
        rows if sees_whole(user, ledger) else rows.filter(pk__in=FundingAllocation.objects.visible_to(user))
    )


def allocation(user, pk) -> FundingAllocation:
    require_view(user)
    return get_object_or_404(
        FundingAllocation.objects.visible_to(user).select_related(
            "ledger__department", "village", "township"
        ),
        pk=pk,
    )


def own_villages(user) -> list[Region]:
    """The villages the user confirms for (a village cadre's own)."""
    return access.regions(user, Capability.FUNDING_CONFIRM)


def village_allocations(user):
    """What reached the user's own villages, awaiting confirmation first."""
    villages = own_villages(user)
    return (
        FundingAllocation.objects.filter(village__in=villages)
        .select_related("ledger__department", "village", "township")
        .order_by("-ledger__year", "state", "ledger__item_code")
    )


def enter_townships(user) -> list[Region]:
    return access.regions(user, Capability.FUNDING_ENTER)


def townships_villages(ledger: FundingLedger, township: Region) -> list[Region]:
    """The township's villages the ledger's item reaches."""
    from .services import in_scope

    return [v for v in township.children.order_by("code") if in_scope(ledger, v)]


# The county report: items pushed down with no or partial funding, by department --------------------------------


@dataclass
class ReportRow:
    code: str
    title: str
    department: Department
    ledger: FundingLedger | None
    promised: Decimal = Decimal("0")
    confirmed: Decimal = Decimal("0")
    promised_people: int = 0
    confirmed_people: int = 0
    villages: int = 0
    confirmed_villages: int = 0

    @property
    def status(self) -> str:
        if self.ledger is None or (not self.promised and not self.promised_people):
            return "none"
        if self.confirmed < self.promised or self.confirmed_people < self.promised_people:
            return "partial"
        return "full"

    @property
    def status_label(self) -> str:
        return {"none": "无经费和人员保障", "partial": "部分到位", "full": "已足额到位"}[self.status]


@dataclass
class DepartmentRow:
    department: Department
    rows: list[ReportRow] = field(default_factory=list)

    @property
    def unfunded(self) -> int:
        return sum(r.status == "none" for r in self.rows)

    @property
    def partial(self) -> int:
        return sum(r.status == "partial" for r in self.rows)


def funding_report(county: Region, year: int) -> list[DepartmentRow]:
    """Every admitted item of the county in force in the year and every ledger of an assist item, with what was
    promised and what the villages confirmed; departments with the most unfunded items first."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    books = {
        b.item_code: b
        for b in FundingLedger.objects.filter(county=county, year=year)
        .select_related("department")
        .annotate(
            confirmed=Sum("allocations__amount", filter=Q(allocations__state=AllocationState.CONFIRMED)),
            confirmed_people=Sum(
                "allocations__people", filter=Q(allocations__state=AllocationState.CONFIRMED)
            ),
            confirmed_villages=Count("allocations", filter=Q(allocations__state=AllocationState.CONFIRMED)),
        )
    }
    items = (
        AdmittedItem.objects.filter(county=county, effective_from__lte=last)
        .exclude(effective_to__lt=first)
        .select_related("department")
    )
    rows = [_row(i.code, i.title, i.department, books.pop(i.code, None)) for i in items]
    rows += [_row(b.item_code, b.item_title, b.department, b) for b in books.values()]
    by_department: dict[int, DepartmentRow] = {}
    for row in sorted(rows, key=lambda r: r.code):
        by_department.setdefault(row.department.pk, DepartmentRow(row.department)).rows.append(row)
    return sorted(by_department.values(), key=lambda d: (-d.unfunded, -d.partial, d.department.name))


def _row(code, title, department, book) -> ReportRow:
    row = ReportRow(code=code, title=title, department=department, ledger=book)
    if book is not None:
        row.promised, row.promised_people = book.promised_amount, book.promised_people
        row.confirmed = book.confirmed or Decimal("0")
        row.confirmed_people = book.confirmed_people or 0
        row.confirmed_villages = book.confirmed_villages
    return row


def report_counties(user) -> list[Region]:
    """The counties whose report the user reads (the office, the chair, the inspector)."""
    return [r for r in access.regions(user, *FUNDING_CAPS)]


# Surveys ----------------------------------------------------------------------------------------------------


def surveys(user, year: int | None = None):
    require_view(user)
    rows = FundingSurvey.objects.visible_to(user).select_related("department").annotate(lines=Count("rows"))
    return rows.filter(year=year) if year else rows


def survey(user, pk) -> FundingSurvey:
    return get_object_or_404(surveys(user), pk=pk)


def my_departments(user) -> list[Department]:
    return list(Department.objects.filter(pk__in=access.department_ids(user, Capability.FUNDING_LEDGER)))


def missing_surveys(county: Region, year: int) -> list[Department]:
    """The county's departments that push work down (an admitted item or a ledger) and filed no survey."""
    filed = FundingSurvey.objects.filter(year=year).exclude(state="draft").values("department")
    pushing = set(AdmittedItem.objects.filter(county=county).values_list("department", flat=True)) | set(
        FundingLedger.objects.filter(county=county, year=year).values_list("department", flat=True)
    )
    return list(Department.objects.filter(pk__in=pushing).exclude(pk__in=filed).order_by("name"))
