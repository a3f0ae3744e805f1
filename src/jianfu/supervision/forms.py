"""Forms of the supervision pages: parse and label only; the services decide."""

from django import forms
from django.utils import timezone

from jianfu.core.text import form_text
from jianfu.core.uploads import limit, megabytes
from jianfu.orgs.forms import StyledForm
from jianfu.orgs.models import PREFIX_LENGTH, Department, Level, Region, subtree_q
from jianfu.orgs.pickers import RegionChoiceField, RegionMultipleChoiceField

from .models import InspectionKind, PlacardKind

MONTHS = [(m, f"{m}月") for m in range(1, 13)]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(StyledForm):
    department = forms.ModelChoiceField(Department.objects.none(), label="部门")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    note = form_text(
        "supervision.InspectionPlan",
        "note",
        label="说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(pk__in=[d.pk for d in departments])
        self.fields["year"].initial = timezone.localdate().year + 1


class ItemForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="类型", choices=InspectionKind.choices)
    subject = forms.CharField(label="事项", max_length=200)
    month = forms.TypedChoiceField(label="月份", choices=MONTHS, coerce=int)
    villages = RegionMultipleChoiceField(
        label="到村（社区）", required=False, help_text="勾选要去的村（社区）；不点名时填写下面的范围和数量"
    )
    scope = forms.ModelChoiceField(Region.objects.none(), label="范围（按数量计划时）", required=False)
    village_count = forms.IntegerField(label="村（社区）数", min_value=0, required=False, initial=0)
    demands_materials = forms.BooleanField(label="要求村（社区）准备汇报材料", required=False)
    veto = forms.BooleanField(label="含一票否决事项", required=False)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region is not None:
            under = Region.objects.filter(subtree_q([region.prefix]), is_active=True)
            self.fields["villages"].set_regions(under.filter(level=Level.VILLAGE).select_related("parent"))
            self.fields["scope"].queryset = under.filter(level__lt=Level.VILLAGE).order_by("code")


class SupplementForm(ItemForm):
    """One visit added to an approved plan, with the reason (the API takes several at once)."""

    reason = form_text(
        "supervision.PlanSupplement",
        "reason",
        label="补充理由",
        help_text="为什么年初未列入计划；补充须经县减负工作办公室批准",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecideForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = form_text(
        "supervision.InspectionPlan",
        "decision_note",
        label="审批意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VisitForm(StyledForm):
    village = RegionChoiceField(label="村（社区）")
    department = forms.ModelChoiceField(Department.objects.none(), label="来督查检查的部门")
    on = forms.DateField(label="日期", widget=DATE)
    kind = forms.ChoiceField(label="类型", choices=InspectionKind.choices)
    subject = forms.CharField(label="事项", max_length=200)
    demanded_materials = forms.BooleanField(label="要求我们准备汇报材料", required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].set_regions(sorted(villages, key=lambda v: v.code))
        if len(villages) == 1:
            self.fields["village"].initial = villages[0].code
        # The departments responsible for the villages: those whose region contains one of them (the service's
        # rule), from the province down to the township.
        codes = {v.code[:n].ljust(12, "0") for v in villages for n in PREFIX_LENGTH.values()}
        self.fields["department"].queryset = Department.objects.filter(
            region__code__in=codes, is_active=True
        ).order_by("region__code", "name")
        self.fields["on"].initial = timezone.localdate()


class PlacardForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=PlacardKind.choices)
    title = forms.CharField(label="名称", max_length=100)
    department_name = forms.CharField(label="要求挂牌的单位", max_length=100, required=False)
    photo = forms.FileField(
        label="照片",
        required=False,
        help_text=f"JPEG、PNG、WebP 或 GIF，不超过 {megabytes(limit('photo'))}",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class MechanismForm(StyledForm):
    name = forms.CharField(label="工作机制名称", max_length=100)
    department_name = forms.CharField(label="设立单位", max_length=100)
    legal_basis = forms.CharField(
        label="依据（法律法规或中央、省级文件；没有请留空）", max_length=300, required=False
    )


class RemoveForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    removed_on = forms.DateField(label="摘除日期", widget=DATE, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class StandardForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outside_placards = forms.CharField(
        label="外部标牌", widget=forms.Textarea(attrs={"rows": 4}), help_text="每行一个：名称：关键词、关键词"
    )
    outside_signs = forms.CharField(
        label="外部标识", widget=forms.Textarea(attrs={"rows": 2}), help_text="每行一个：名称：关键词、关键词"
    )
    inside_max = forms.IntegerField(label="内部标牌上限（块）", min_value=0, max_value=50)
    wall_rules = forms.CharField(label="可上墙的制度（关键词，用顿号分隔）", required=False)
    source = forms.CharField(label="依据", max_length=300, required=False)

    @staticmethod
    def initial_for(standard: dict, version) -> dict:
        def lines(entries):
            return "\n".join(f"{e['name']}：{'、'.join(e.get('keywords', []))}" for e in entries)

        return {
            "version": version,
            "outside_placards": lines(standard["outside_placards"]),
            "outside_signs": lines(standard["outside_signs"]),
            "inside_max": standard["inside_max"],
            "wall_rules": "、".join(standard["wall_rules"]),
            "source": standard.get("source", ""),
        }
