"""The forms of 费随事转's pages (thin: the services check the numbers and say what is wrong)."""

from django import forms

from jianfu.core.text import form_text
from jianfu.core.uploads import SpreadsheetField
from jianfu.orgs.forms import StyledForm

LEDGER = "admission.FundingLedger"


class LedgerForm(StyledForm):
    promised_amount = forms.CharField(label="承诺下拨经费（元）", max_length=20)
    promised_people = forms.CharField(label="承诺保障人员（人）", max_length=6, required=False)
    funds_source = forms.CharField(label="经费来源", max_length=200, required=False)
    people_note = form_text(LEDGER, "people_note", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EntryForm(StyledForm):
    village = forms.ChoiceField(label="村（社区）")
    amount = forms.CharField(label="到位经费（元）", max_length=20)
    people = forms.CharField(label="到位人员（人）", max_length=6, required=False)
    people_names = forms.CharField(label="人员姓名或岗位", max_length=300, required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "请选择"), *((v.code, v.name) for v in villages)]


class SheetForm(StyledForm):
    file = SpreadsheetField(label="Excel 文件（.xlsx）")
