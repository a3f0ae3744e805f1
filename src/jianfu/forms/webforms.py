"""Django forms for the one-table pages (parsing only; the services decide)."""

from django import forms

from jianfu.core.uploads import SpreadsheetField
from jianfu.orgs.models import Department

from .models import (
    ChannelKind,
    ChannelStatus,
    ChannelUse,
    Frequency,
    Indicator,
    Operator,
    Severity,
    ValueType,
)


def styled(form) -> None:
    """Bootstrap classes on every widget (after the querysets are set), labels stay the form's own."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = "请选择"
        if isinstance(
            widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)
        ):
            continue
        widget.attrs.setdefault(
            "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
        )


class Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class IndicatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "unit",
            "value_type",
            "period",
            "owner_department",
            "min_value",
            "max_value",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["owner_department"].queryset = departments
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        styled(self)

    def validate_unique(self):
        """The service checks the code (and answers in Chinese); the form only parses."""


class MergeForm(Styled):
    keep = forms.ModelChoiceField(Indicator.objects.none(), label="保留的指标")
    version = forms.IntegerField(widget=forms.HiddenInput)


class RuleForm(Styled):
    left = forms.ModelChoiceField(Indicator.objects.none(), label="左侧指标")
    operator = forms.ChoiceField(choices=Operator.choices, label="关系")
    factor = forms.DecimalField(label="右侧系数", initial=1, max_digits=10, decimal_places=4)
    right = forms.ModelChoiceField(Indicator.objects.none(), label="右侧指标")
    severity = forms.ChoiceField(choices=Severity.choices, label="严重程度")
    message = forms.CharField(label="提示语", max_length=200, required=False)

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left"].queryset = self.fields["right"].queryset = indicators


class CorrectForm(Styled):
    indicator = forms.ModelChoiceField(Indicator.objects.none(), label="指标")
    value = forms.CharField(label="更正后的数值", max_length=200)
    reason = forms.CharField(label="更正理由", max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImportForm(Styled):
    file = SpreadsheetField(label="Excel 文件（.xlsx）")


class LockForm(Styled):
    period = forms.CharField(label="统计期", max_length=10)
    note = forms.CharField(label="审核意见", max_length=300, required=False)


FIELD_ROWS = 8


class FormRegisterForm(Styled):
    department = forms.ModelChoiceField(Department.objects.none(), label="报表部门")
    year = forms.IntegerField(label="年度", min_value=2020, max_value=2100)
    name = forms.CharField(label="报表名称", max_length=120)
    legal_basis = forms.CharField(label="填报依据", max_length=300, help_text="法律法规或上级文件条款")
    frequency = forms.ChoiceField(choices=Frequency.choices, label="填报频次")
    list_item_code = forms.CharField(
        label="服务的清单事项编码",
        max_length=40,
        required=False,
        help_text="依法履职、依法协助或社区承办事项清单中的事项编码，如 SZ-RS-XZ-001",
    )
    exception_reason = forms.CharField(label="高频填报例外理由", max_length=300, required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        for n in range(1, FIELD_ROWS + 1):
            self.fields[f"label_{n}"] = forms.CharField(
                label=f"第 {n} 栏名称", max_length=100, required=False
            )
            self.fields[f"unit_{n}"] = forms.CharField(label=f"第 {n} 栏单位", max_length=20, required=False)
            self.fields[f"type_{n}"] = forms.ChoiceField(choices=ValueType.choices, label=f"第 {n} 栏类型")
        styled(self)

    def field_specs(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"label": data[f"label_{n}"], "unit": data[f"unit_{n}"], "value_type": data[f"type_{n}"]}
            for n in range(1, FIELD_ROWS + 1)
            if data.get(f"label_{n}", "").strip()
        ]

    def row_fields(self):
        return [(self[f"label_{n}"], self[f"unit_{n}"], self[f"type_{n}"]) for n in range(1, FIELD_ROWS + 1)]

    def head_fields(self):
        return [
            self[name]
            for name in (
                "department",
                "year",
                "name",
                "legal_basis",
                "frequency",
                "list_item_code",
                "exception_reason",
            )
        ]


class DecideForm(Styled):
    DECISIONS = [("approve", "列入年度填报表格清单"), ("reject", "不予列入"), ("merge", "合并到已列入的报表")]
    decision = forms.ChoiceField(choices=DECISIONS, label="审定结果", widget=forms.RadioSelect)
    note = forms.CharField(label="审定意见", max_length=300, required=False)
    merge_into = forms.IntegerField(label="合并到（报表编号 ID）", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class IssueForm(Styled):
    period = forms.CharField(label="统计期", max_length=10, help_text="如 2026、2026Q1 或 2026-03")


class ListRulesForm(Styled):
    require_list_item = forms.BooleanField(label="只列入服务依法履职或依法协助事项的报表", required=False)
    max_forms_per_department = forms.IntegerField(label="每个部门每年最多报表数", min_value=1, max_value=50)
    max_frequency = forms.ChoiceField(choices=Frequency.choices, label="最高填报频次（超过须说明例外理由）")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChannelForm(Styled):
    kind = forms.ChoiceField(choices=ChannelKind.choices, label="类型")
    name = forms.CharField(label="名称", max_length=100)
    department = forms.ModelChoiceField(Department.objects.none(), label="主管部门")
    region = forms.CharField(label="覆盖区划代码", max_length=12, help_text="12 位区划代码，如 428521000000")
    purpose = forms.CharField(label="用途说明", max_length=300)
    uses = forms.MultipleChoiceField(
        choices=ChannelUse.choices, label="用途", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ChannelStatusForm(Styled):
    status = forms.ChoiceField(
        choices=[c for c in ChannelStatus.choices if c[0] != "active"], label="处理结果"
    )
    merged_into = forms.CharField(label="整合到", max_length=100, required=False)
    note = forms.CharField(label="处理说明", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TownshipScheduleForm(Styled):
    """A township's own schedule for a listed form (the service checks the frequency and the due day)."""

    township = forms.ChoiceField(label="乡镇（街道）")
    frequency = forms.ChoiceField(label="填报频次")
    due_day = forms.CharField(label="报送截止日（次月几日前）", max_length=4, help_text="1 至 28 日")
    note = forms.CharField(label="调整说明", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, townships=(), frequencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [(t.code, t.name) for t in townships]
        self.fields["frequency"].choices = list(frequencies)
        self.fields["due_day"].widget.attrs["inputmode"] = "numeric"


class DueDayForm(Styled):
    due_day = forms.CharField(label="报送截止日（次月几日前）", max_length=4, help_text="1 至 28 日")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RuleEditForm(RuleForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FollowUpForm(Styled):
    note = forms.CharField(label="核实情况", max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviseForm(Styled):
    """The fields of a new version: the listed version's fields to keep, change or clear, and empty rows to add."""

    revision_reason = forms.CharField(
        label="修订理由", max_length=300, help_text="为什么修改已列入清单的报表栏目"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = max(len(fields) + 3, FIELD_ROWS)
        for n in range(1, self.rows + 1):
            old = fields[n - 1] if n <= len(fields) else {}
            self.fields[f"label_{n}"] = forms.CharField(
                label=f"第 {n} 栏名称", max_length=100, required=False, initial=old.get("label", "")
            )
            self.fields[f"unit_{n}"] = forms.CharField(
                label=f"第 {n} 栏单位", max_length=20, required=False, initial=old.get("unit", "")
            )
            self.fields[f"type_{n}"] = forms.ChoiceField(
                choices=ValueType.choices, label=f"第 {n} 栏类型", initial=old.get("value_type", "integer")
            )
        styled(self)

    def field_specs(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"label": data[f"label_{n}"], "unit": data[f"unit_{n}"], "value_type": data[f"type_{n}"]}
            for n in range(1, self.rows + 1)
            if data.get(f"label_{n}", "").strip()
        ]

    def row_fields(self):
        return [(self[f"label_{n}"], self[f"unit_{n}"], self[f"type_{n}"]) for n in range(1, self.rows + 1)]
