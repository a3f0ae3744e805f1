"""Forms for the monitor's phone page, the clue page, points and bulletins (thin: services validate)."""

import uuid

from django import forms
from django.utils import timezone

from jianfu.core.text import form_text
from jianfu.core.uploads import limit, megabytes
from jianfu.orgs.forms import StyledForm
from jianfu.orgs.models import Department
from jianfu.orgs.pickers import RegionChoiceField, RegionSelect, group_regions

from .models import EventKind
from .selectors import source_departments

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(StyledForm):
    village = forms.ChoiceField(
        label="监测点（村、社区）",
        widget=RegionSelect,
        error_messages={
            "invalid_choice": "该村（社区）已不在您服务的监测点中（监测点可能已调整），不能为它记录。"
        },
    )
    kind = forms.ChoiceField(label="负担类型", choices=EventKind.choices)
    department = forms.ModelChoiceField(
        label="来源部门", queryset=Department.objects.none(), help_text="交办、检查、索要材料或证明的单位"
    )
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    hours = forms.DecimalField(
        label="耗费工时（小时）",
        min_value=0,
        max_value=24,
        decimal_places=1,
        initial=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    subject = forms.CharField(
        label="事项名称",
        max_length=200,
        required=False,
        help_text="如表格名称、交办的工作、检查名称、要求开具的证明",
    )
    description = form_text("monitoring.BurdenEvent", "description")
    demanded_materials = forms.BooleanField(label="要求准备汇报材料（督查检查）", required=False)
    certificate_code = forms.CharField(
        label="证明事项编码（可不填）",
        max_length=20,
        required=False,
        help_text="如 BZ-001；不填则按描述比对证明事项清单",
    )
    photo = forms.FileField(
        label=f"照片（可不传，{megabytes(limit('photo'))} 以内）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = {v.code: v for v in villages}
        self.fields["village"].choices = group_regions(villages)
        departments = Department.objects.none()
        for village in villages:
            departments = departments | source_departments(village)
        self.fields["department"].queryset = departments.distinct().order_by("region__level", "name")
        self.fields["occurred_on"].initial = timezone.localdate()
        # A fresh key per rendering: a double tap or a resubmitted page posts the same key and is stored once.
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        # The photo field is validated again by the service (size, real image) — Django's check is not enough.
        self.fields["photo"].validators = []

    def clean_village(self):
        return self.villages[self.cleaned_data["village"]]


class ClueForm(EventForm):
    anonymous = forms.BooleanField(
        label="匿名反映（不留姓名）", required=False, help_text="无论是否匿名，被反映的单位都看不到您的身份"
    )
    field_order = [
        "village",
        "kind",
        "department",
        "occurred_on",
        "subject",
        "description",
        "hours",
        "anonymous",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["certificate_code"]
        self.fields["village"].label = "村（社区）"


class PointForm(StyledForm):
    village = RegionChoiceField(label="村（社区）", help_text="可输入名称查找，如“桃园”")
    note = forms.CharField(label="说明", max_length=200, required=False)


class AssignForm(StyledForm):
    monitor = forms.ChoiceField(label="监测员")


class BulletinForm(StyledForm):
    region = forms.ChoiceField(label="通报范围", widget=RegionSelect)
    period_start = forms.DateField(label="起始日期", widget=DATE)
    period_end = forms.DateField(label="截止日期", widget=DATE)
    title = forms.CharField(label="标题（可不填，自动生成）", max_length=200, required=False)


class NoteForm(StyledForm):
    note = forms.CharField(
        label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=300
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _short_name(village) -> str:
    """The village with its township (a phone's select is narrow): 河口镇桃园村."""
    township = village.parent.name if village.parent_id else ""
    return f"{township}{village.name}"


class ReturnForm(StyledForm):
    """The monitor's periodic return: which period (this one or the last), nothing new or not, a note."""

    point = forms.TypedChoiceField(label="监测点", coerce=int)
    day = forms.DateField(label="报送期", widget=forms.Select)
    nothing_new = forms.BooleanField(label="本期无新增负担", required=False)
    note = form_text(
        "monitoring.PointReturn",
        "note",
        label="情况说明",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, points=(), periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [(p.pk, p.village.name) for p in points]
        self.fields["day"].widget.choices = [(p.start.isoformat(), p.label) for p in periods]
