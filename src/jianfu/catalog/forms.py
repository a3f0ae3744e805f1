from django import forms

from jianfu.core.text import form_text
from jianfu.core.uploads import SpreadsheetField
from jianfu.orgs.forms import StyledForm
from jianfu.orgs.models import Region

from .models import ListKind, UndertakenSide

DATE = forms.DateInput(attrs={"type": "date"})


class DraftStartForm(StyledForm):
    kind = forms.ChoiceField(label="清单类型", choices=[("", "请选择")] + ListKind.choices)
    region = forms.ModelChoiceField(label="发布区划", queryset=Region.objects.none())
    title = forms.CharField(
        label="清单名称", max_length=200, required=False, help_text="调整已有清单时可留空，沿用上一版本名称"
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()


class DraftEditForm(StyledForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="清单名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    change_note = form_text(
        "catalog.WorkList",
        "change_note",
        label="调整说明",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ItemForm(StyledForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(
        label="编码（分类赋码）", max_length=40, required=False, help_text="留空则自动生成"
    )
    content = form_text(
        "catalog.ListItem", "content", label="事项内容", widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.CharField(label="类别", max_length=100, required=False)
    legal_basis = forms.CharField(
        label="法律依据",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="每条一行或用“；”分隔，如：《中华人民共和国城市居民委员会组织法》第三条",
    )
    departments = forms.CharField(label="涉及部门", required=False, help_text="多个部门用“、”分隔")
    reason = forms.CharField(label="列入负面清单的理由", max_length=200, required=False)
    examples = forms.CharField(
        label="具体事项",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="负面清单类别下的具体事项，每条一行",
    )
    process_basis = form_text(
        "catalog.ListItem",
        "process_basis",
        label="办理依据",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    process_standard = form_text(
        "catalog.ListItem",
        "process_standard",
        label="办理标准",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    process_conditions = form_text(
        "catalog.ListItem",
        "process_conditions",
        label="办理条件",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    process_materials = form_text(
        "catalog.ListItem",
        "process_materials",
        label="所需材料",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    alternative = form_text(
        "catalog.ListItem",
        "alternative",
        label="替代途径",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="不应出具的证明：群众可以到哪里、通过什么方式办理",
    )
    responsible_department = forms.CharField(label="责任部门", max_length=100, required=False)
    treated_as = forms.ChoiceField(
        label="承办事项性质",
        choices=[("", "未注明（按依法协助处理）"), *UndertakenSide.choices],
        required=False,
        help_text="属社区自身工作（自治、组织建设、面向居民的服务和活动）的，比对时按依法履职事项处理；其余按依法协助事项处理",
    )

    KIND_FIELDS = {
        "negative": {"reason", "examples"},
        "assist": {"process_basis", "process_standard", "process_conditions", "process_materials"},
        "undertaken": {
            "process_basis",
            "process_standard",
            "process_conditions",
            "process_materials",
            "treated_as",
        },
        "certificate_forbidden": {"alternative", "responsible_department"},
        "certificate_allowed": {"responsible_department"},
    }
    OPTIONAL = {
        "reason",
        "examples",
        "process_basis",
        "process_standard",
        "process_conditions",
        "process_materials",
        "alternative",
        "responsible_department",
        "treated_as",
    }

    def __init__(self, *args, kind: str = "duty", **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.KIND_FIELDS.get(kind, set())
        for name in self.OPTIONAL - keep:
            del self.fields[name]


class PublishForm(StyledForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    effective_from = forms.DateField(label="生效日期", widget=DATE)
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    studied_by = forms.CharField(label="研究机构", max_length=100, required=False, initial="县政府常务会议")
    studied_on = forms.DateField(label="研究日期", widget=DATE, required=False)
    approved_by = forms.CharField(label="审定机构", max_length=100, initial="县委常委会会议")
    approved_on = forms.DateField(label="审定日期", widget=DATE)


class RetireForm(StyledForm):
    effective_to = forms.DateField(label="失效日期（含当日）", widget=DATE)
    reason = forms.CharField(label="废止理由", widget=forms.Textarea(attrs={"rows": 2}))


class ItemImportForm(StyledForm):
    file = SpreadsheetField(
        label="Excel 文件（.xlsx）",
        help_text="列：编码、事项内容、类别、法律依据……；导入将替换草稿中的全部事项",
    )


class ClassifyForm(StyledForm):
    texts = forms.CharField(
        label="待比对事项（每行一项）",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        error_messages={"required": "请填写要比对的工作内容（不能为空）。"},
    )
    mode = forms.ChoiceField(label="比对类型", choices=[("work", "工作事项"), ("certificate", "证明事项")])
    on = forms.DateField(
        label="比对日期", widget=DATE, required=False, help_text="按该日有效的清单比对；留空为今天"
    )


class CorrectionForm(StyledForm):
    """A person's decision on a verdict: the verdict, the item in force it names, and why."""

    corrected_verdict = forms.ChoiceField(label="研判结论")
    item = forms.TypedChoiceField(
        label="对应清单事项",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="只能选择本县现行有效清单中的事项；清单外事项不选",
    )
    reason = forms.CharField(
        label="研判理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明依据的法规条款或清单事项",
    )

    def __init__(self, *args, verdicts=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrected_verdict"].choices = [(v.value, v.label) for v in verdicts]
        self.fields["item"].choices = [("", "（清单外事项，不选）")] + [
            (i.pk, f"{i.work_list.title}：{i.content[:60]}") for i in items
        ]


class ReviewAskForm(StyledForm):
    text = forms.CharField(label="交办的工作", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    question = forms.CharField(
        label="需要办公室研判什么", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _text(name, label, rows=2):
    return form_text(
        "catalog.ProcessCard", name, label=label, widget=forms.Textarea(attrs={"rows": rows}), required=False
    )


class CardForm(StyledForm):
    basis = _text("basis", "办理依据（法律法规及条款）")
    standard = _text("standard", "办理标准")
    conditions = _text("conditions", "办理条件")
    materials = _text("materials", "所需材料")
    steps = _text("steps", "办理步骤", rows=4)
    form_ids = forms.TypedMultipleChoiceField(
        label="使用的报表（一张表）",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="从本地区年度填报表格清单已列入的报表中选择",
    )
    forms_used = _text("forms_used", "其他表格（一张表之外的，说明来由）")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, form_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_ids"].choices = list(form_choices)
