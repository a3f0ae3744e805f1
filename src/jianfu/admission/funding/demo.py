"""Demo records of 费随事转: 县人社局's admitted item funded (one village confirmed, one waiting), its other admitted
items left without a ledger (the report shows them unfunded), and its yearly 梳理表 submitted."""

from decimal import Decimal

from django.utils import timezone

from jianfu.orgs.models import Department, Region, User

from .. import models
from . import services


def load_funding_demo() -> str:
    year = timezone.localdate().year
    rs = Department.objects.get(name="县人社局")
    clerk, town = User.objects.get(username="rs_clerk"), User.objects.get(username="hk_town")
    item = models.AdmittedItem.objects.filter(
        department=rs, status="active", title__startswith="公益性岗位"
    ).first()
    if item is None or models.FundingLedger.objects.filter(item_code=item.code, year=year).exists():
        return ""
    ledger = services.ledger_open(
        actor=clerk,
        department=rs,
        year=year,
        item_code=item.code,
        promised_people=2,
        funds_source="县级就业补助资金",
    )
    taoyuan = Region.objects.get(code="428521101201")
    neighbour = (
        Region.objects.filter(parent=taoyuan.parent, level=taoyuan.level).exclude(pk=taoyuan.pk).first()
    )
    entry = services.allocation_enter(
        actor=town,
        ledger=ledger,
        village=taoyuan,
        amount=Decimal("3000"),
        people=1,
        people_names="公益性岗位协理员",
    )
    services.allocation_confirm(actor=User.objects.get(username="taoyuan"), allocation=entry)
    if neighbour is not None:
        services.allocation_enter(
            actor=town, ledger=ledger, village=neighbour, amount=Decimal("2500"), people=1
        )
    survey = services.survey_open(actor=clerk, department=rs, year=year)
    rows = [
        {
            "service": item.title,
            "item_code": item.code,
            "villages": 20,
            "funds": ledger.promised_amount,
            "funds_source": "县级就业补助资金",
            "people": 2,
            "guarantee": "partial",
            "note": "各村到位情况仍在确认",
        },
        {
            "service": "就业失业登记",
            "item_code": "",
            "villages": 20,
            "funds": Decimal("0"),
            "funds_source": "",
            "people": 0,
            "guarantee": "none",
            "note": "未安排专项经费",
        },
    ]
    services.survey_submit(actor=clerk, survey=services.survey_fill(actor=clerk, survey=survey, rows=rows))
    return "，1 本费随事转台账（1 村已确认、1 村待确认）和 1 份梳理表"
