"""Permission-matrix cases for 费随事转 (funding and people follow the work).

Who may do what, written out by hand:
- 县人社局 (dept_clerk) keeps its items' ledgers and files its yearly 梳理表; the member unit 县委编办 (member) may
  open its own, and sees nothing of 县人社局's;
- 河口镇 (town_hk) enters what reached its villages; 城关街道 (town_cg) sees the county's ledgers too, and its
  entries for another township's village are refused: 403 naming the wrong township, or a sheet refused whole;
- 桃园村 (village_cadre) confirms or objects to its own entry; 解放路社区 (community_cadre) sees nothing of it;
- the office receives the surveys and reads the county report; the chair and the inspector read;
- the administrator, the monitor, the grid worker and the neighbouring county's administrator hold no funding
  capability at all: 403 everywhere.
"""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from jianfu.admission import services
from tests.matrix.admission import _approved
from tests.matrix.base import ANON, LOGIN, Case, Redirect, pk

YEAR = 2026
READERS = {"office", "chair", "inspector"}
FUNDING = READERS | {"dept_clerk", "member", "town_hk", "town_cg", "village_cadre", "community_cadre"}
VILLAGES = {"village_cadre", "community_cadre"}


def _ledger(w):
    item = _approved(w).admitted_item
    ledger = services.ledger_open(
        actor=w.dept_clerk, department=w.dept_rs, year=YEAR, item_code=item.code, promised_amount="1000"
    )
    services.allocation_enter(
        actor=w.town_hk, ledger=ledger, village=w.village_taoyuan, amount=Decimal("300")
    )
    return ledger


def _allocation(w):
    return _ledger(w).allocations.get()


def _survey(w):
    survey = services.survey_open(actor=w.dept_clerk, department=w.dept_rs, year=YEAR)
    rows = [{"service": "就业失业登记", "funds": Decimal("100"), "guarantee": "partial"}]
    survey = services.survey_fill(actor=w.dept_clerk, survey=survey, rows=rows)
    return services.survey_submit(actor=w.dept_clerk, survey=survey)


OBJECTS = {"fund_ledger": _ledger, "fund_allocation": _allocation, "fund_survey": _survey}
SEES = {
    "fund_ledger": READERS | {"dept_clerk", "town_hk", "town_cg", "village_cadre"},  # townships: the county's
    "fund_allocation": READERS | {"town_hk", "village_cadre"},
    "fund_survey": READERS | {"dept_clerk"},
}


def within(people, ok, anon=LOGIN, writes=False):
    """A funding page: 403 without any funding capability, else ``ok`` for ``people`` and 403 for the rest."""

    def expect(p, t):
        if p == ANON:
            return anon
        return ok if p in people else 403

    expect.writes = writes
    return expect


def on(people, ok, anon=LOGIN, writes=True):
    """An action on a record: 403 without any funding capability, 404 out of sight, ``ok`` for ``people``."""

    def expect(p, t):
        if p == ANON:
            return anon
        if p not in FUNDING:
            return 403
        if p not in SEES[t]:
            return 404
        return ok if p in people else 403

    expect.writes = writes
    return expect


def _sheet(o):
    workbook = Workbook()
    workbook.active.append(["村（社区）代码", "到位经费（元）"])
    workbook.active.append(["428521101201", 200])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {"file": SimpleUploadedFile("到位情况.xlsx", buffer.getvalue())}


HK = {"township": "428521101000"}
LEDGER_PAGE = Redirect("/admission/funding/ledgers/")
SURVEY_PAGE = Redirect("/admission/funding/surveys/")
ROUTES = {
    "admission:funding": Case(within(FUNDING, 200)),
    "admission:funding_ledger_open": Case(
        within({"dept_clerk", "member"}, Redirect("/admission/funding/"), writes=True),
        "post",
        data=lambda o: {"code": "ZR-428521-2026-001"},
    ),
    "admission:funding_ledger": (
        Case(on(SEES["fund_ledger"], 200, writes=False), targets=("fund_ledger",), kwargs=pk),
        Case(
            on({"dept_clerk"}, LEDGER_PAGE),
            "post",
            ("fund_ledger",),
            pk,
            lambda o: {"promised_amount": "2000", "version": o.version},
        ),
    ),
    "admission:funding_enter": Case(
        on({"town_hk"}, LEDGER_PAGE),
        "post",
        ("fund_ledger",),
        pk,
        lambda o: {
            **HK,
            f"t{o.allocations.get().township_id}-village": "428521101201",
            f"t{o.allocations.get().township_id}-amount": "400",
        },
    ),
    "admission:funding_entry_sheet": Case(
        on({"town_hk"}, 200, writes=False), targets=("fund_ledger",), kwargs=pk, query=lambda o: HK
    ),
    "admission:funding_entry_import": Case(
        on({"town_hk", "town_cg"}, LEDGER_PAGE), "post", ("fund_ledger",), pk, _sheet
    ),
    "admission:funding_village": Case(within(VILLAGES, 200)),
    "admission:funding_answer": Case(
        on({"village_cadre"}, Redirect("/admission/funding/village/")),
        "post",
        ("fund_allocation",),
        pk,
        lambda o: {"answer": "confirm"},
    ),
    "admission:funding_report": Case(within(READERS, 200)),
    "admission:funding_report_export": Case(within(READERS, 200)),
    "admission:funding_surveys": Case(within(FUNDING, 200)),
    "admission:funding_survey_open": Case(within({"dept_clerk", "member"}, SURVEY_PAGE, writes=True), "post"),
    "admission:funding_survey": Case(
        on(SEES["fund_survey"], 200, writes=False), targets=("fund_survey",), kwargs=pk
    ),
    "admission:funding_survey_sheet": Case(
        on(SEES["fund_survey"], 200, writes=False), targets=("fund_survey",), kwargs=pk
    ),
    "admission:funding_survey_import": Case(
        on({"dept_clerk"}, SURVEY_PAGE), "post", ("fund_survey",), pk, _sheet
    ),
    "admission:funding_survey_submit": Case(on({"dept_clerk"}, SURVEY_PAGE), "post", ("fund_survey",), pk),
    "admission:funding_survey_decide": Case(
        on({"office"}, SURVEY_PAGE), "post", ("fund_survey",), pk, lambda o: {"decision": "accept"}
    ),
    # API
    "api:admission_funding_ledgers": Case(within(FUNDING, 200, anon=401)),
    "api:admission_funding_ledger_open": Case(
        within({"dept_clerk"}, 400, anon=401, writes=True),
        "post",
        data=lambda o: {"department_id": _rs(), "year": YEAR, "item_code": "矩阵-不存在"},
    ),
    "api:admission_funding_allocations": Case(
        on(SEES["fund_ledger"], 200, anon=401, writes=False), targets=("fund_ledger",), kwargs=pk
    ),
    "api:admission_funding_enter": Case(
        on({"town_hk"}, 200, anon=401),
        "post",
        ("fund_ledger",),
        pk,
        lambda o: {"village_code": "428521101201", "amount": "500"},
    ),
    "api:admission_funding_answer": Case(
        on({"village_cadre"}, 200, anon=401), "post", ("fund_allocation",), pk, lambda o: {"confirm": True}
    ),
    "api:admission_funding_report": Case(within(READERS, 200, anon=401), query=lambda o: {"year": YEAR}),
    "api:admission_funding_surveys": Case(within(FUNDING, 200, anon=401)),
}


def _rs() -> int:
    from jianfu.orgs.models import Department

    return Department.objects.get(name="县人社局").pk
