"""Forms of the grid pages: parse and label only; the services hold the rules."""

import uuid

from django import forms

from jianfu.core.text import form_text
from jianfu.core.uploads import limit, megabytes
from jianfu.orgs.forms import StyledForm
from jianfu.orgs.pickers import RegionSelect, group_regions

from .models import ClassKind, DeadlineUnit


class ReportForm(StyledForm):
    """The grid worker's phone page: class, place, description, photo; a hidden key stores a retry once."""

    community = forms.ModelChoiceField(queryset=None, label="村（社区）")
    event_class = forms.ModelChoiceField(queryset=None, label="事件分类", required=False)
    building = forms.CharField(
        label="楼栋（村民小组）",
        max_length=60,
        required=False,
        help_text="选填；写明楼栋可定位网格，并提示同一楼栋未办结的同类事件",
    )
    place = forms.CharField(label="事发地点", max_length=200, required=False)
    description = form_text("grid.GridEvent", "description", required=False)
    photo = forms.FileField(
        label="现场照片",
        required=False,
        help_text=f"选填；JPEG、PNG、WebP 或 GIF，不超过 {megabytes(limit('photo'))}",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    lat = forms.DecimalField(label="纬度（可不填）", max_digits=9, decimal_places=6, required=False)
    lng = forms.DecimalField(
        label="经度（可不填）",
        help_text="点“使用我的位置”会自动填写",
        max_digits=9,
        decimal_places=6,
        required=False,
    )
    resident_phone = forms.CharField(
        label="反映群众的电话",
        max_length=20,
        required=False,
        help_text="选填；群众反映的事件，办结后凭评价码评价",
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    ignore_duplicates = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, communities, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["event_class"].queryset = classes
        self.fields["event_class"].empty_label = "请选择"
        self.service_requires("event_class", "place", "description")
        if communities.count() == 1 and not self.is_bound:
            self.initial.setdefault("community", communities.first().pk)
        self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class DispatchForm(StyledForm):
    department = forms.ModelChoiceField(queryset=None, label="处置部门")
    note = forms.CharField(label="分拨说明", max_length=300, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ClassForm(StyledForm):
    code = forms.CharField(label="分类代码", max_length=20)
    name = forms.CharField(label="分类名称", max_length=60)
    kind = forms.ChoiceField(label="类别", choices=ClassKind.choices)
    department = forms.ModelChoiceField(
        queryset=None,
        label="责任部门",
        required=False,
        help_text="按分类自动派遣到此部门；不填则由指挥中心人工分拨",
    )
    deadline_value = forms.IntegerField(label="处置时限", min_value=1, max_value=999)
    deadline_unit = forms.ChoiceField(label="时限单位", choices=DeadlineUnit.choices)
    duplicate_metres = forms.IntegerField(
        label="疑似重复距离（米）", min_value=0, max_value=5000, initial=100
    )
    is_public = forms.BooleanField(label="可对外公开（Open311）", required=False, initial=True)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class GridForm(StyledForm):
    community = forms.ModelChoiceField(queryset=None, label="村（社区）")
    name = forms.CharField(label="网格名称", max_length=60)
    buildings = forms.CharField(
        label="楼栋（村民小组）",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个；同一村（社区）的网格之间不能重叠",
    )
    leader = forms.ModelChoiceField(queryset=None, label="网格长", required=False)
    workers = forms.ModelMultipleChoiceField(queryset=None, label="网格员", required=False)
    polygon = forms.JSONField(label="范围（GeoJSON Polygon）", required=False, help_text="选填")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, communities, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["leader"].queryset = people
        self.fields["workers"].queryset = people


class BurdenForm(StyledForm):
    kind = forms.ChoiceField(label="交办的是什么", choices=())
    source_department = forms.ModelChoiceField(queryset=None, label="交办部门")
    occurred_on = forms.DateField(label="交办日期", widget=forms.DateInput(attrs={"type": "date"}))
    description = form_text(
        "monitoring.BurdenEvent", "description", label="任务内容", widget=forms.Textarea(attrs={"rows": 3})
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, departments, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_department"].queryset = departments
        self.fields["kind"].choices = kinds
        self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class RateForm(StyledForm):
    code = forms.CharField(label="评价码", max_length=12, help_text="网格员或短信告知的 8 位评价码")
    rating = forms.TypedChoiceField(
        label="满意程度",
        coerce=int,
        choices=[(5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")],
    )
    comment = forms.CharField(
        label="意见建议", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicReportForm(StyledForm):
    """A resident's report on the public page, phone first: the village by name, what it is in plain words, where
    (words, and the phone's location if allowed), what was seen, a photo; name and phone optional."""

    community = forms.ChoiceField(label="在哪个村（社区）", widget=RegionSelect)
    event_class = forms.TypedChoiceField(label="是什么问题", coerce=int)
    place = forms.CharField(
        label="具体位置",
        max_length=200,
        help_text="如：解放路 12 号楼下、村口桥边。可以点下面的“使用我的位置”",
    )
    lat = forms.DecimalField(
        label="纬度（可不填）",
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lng = forms.DecimalField(
        label="经度（可不填）",
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text="点“使用我的位置”会自动填写经纬度",
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    description = form_text(
        "grid.GridEvent",
        "description",
        label="看到了什么",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="说说是什么情况、从什么时候开始。至少 5 个字",
    )
    photo = forms.FileField(
        label="照片（可不传）",
        required=False,
        help_text=f"拍一张现场照片，处置部门更快找到；不超过 {megabytes(limit('photo'))}",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    resident_name = forms.CharField(label="怎么称呼您（可不填）", max_length=50, required=False)
    resident_phone = forms.CharField(
        label="电话（可不填）",
        max_length=20,
        required=False,
        help_text="留电话，处置部门可以打电话问情况；不会公开",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, villages=(), classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "请选择"), *group_regions(villages)]
        self.fields["event_class"].choices = [("", "请选择"), *((c.pk, c.name) for c in classes)]
        self.fields[
            "photo"
        ].validators = []  # checked by core.uploads in the service (kind by its bytes, size)
        self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
