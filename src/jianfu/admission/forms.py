"""Forms for the admission pages: they parse and label; the services decide."""

from django import forms
from django.utils import timezone

from jianfu.orgs.models import Region, subtree_q
from jianfu.orgs.pickers import RegionMultipleChoiceField

from . import levels
from .models import Application, OverlapAction, Stance
from .services import EDITABLE_FIELDS

TEXTAREA = forms.Textarea(attrs={"rows": 3})
FIELD_ORDER = [
    "title",
    "description",
    "work_type",
    "urgency",
    "urgency_reason",
    "scope_all",
    "scope_regions",
    "period_start",
    "period_end",
    "plan_requirements",
    "plan_division",
    "plan_process",
    "plan_milestones",
    "people",
    "funds_amount",
    "funds_source",
    "training",
    "materials",
    "consultation_record",
]


class ApplicationForm(forms.ModelForm):
    """The application (申请表): the plan of art. 6 and the guarantees; completeness is checked at submission
    so a department can save an unfinished draft."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    scope_regions = RegionMultipleChoiceField(label="实施范围", required=False)

    class Meta:
        model = Application
        fields = FIELD_ORDER
        widgets = {
            **{
                name: TEXTAREA
                for name in EDITABLE_FIELDS
                if Application._meta.get_field(name).get_internal_type() == "TextField"
            },
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, county: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_regions"].set_regions(
            Region.objects.filter(
                subtree_q([county.prefix]), level__gte=levels.lowest_scope_level(county), is_active=True
            ).select_related("parent")
        )
        whole = levels.scope_word(county)
        self.fields["scope_all"].label = f"覆盖{whole}所有村（社区）"
        self.fields[
            "scope_regions"
        ].help_text = f"不覆盖{whole}时勾选下辖区划；勾选乡镇（街道）或县即含其下所有村（社区）。"
        for name in (
            "plan_requirements",
            "plan_division",
            "plan_process",
            "plan_milestones",
            "people",
            "funds_amount",
            "funds_source",
            "training",
            "consultation_record",
        ):
            self.fields[name].help_text = (self.fields[name].help_text + " 提交时必填。").strip()
        self.fields["description"].widget.attrs["rows"] = 4
        for field in self.fields.values():
            if not isinstance(field.widget, (forms.CheckboxInput, forms.HiddenInput, forms.RadioSelect)):
                field.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                )

    def service_fields(self) -> tuple[dict, list]:
        data = {k: v for k, v in self.cleaned_data.items() if k in EDITABLE_FIELDS}
        for name in ("title", "description"):
            data[name] = data[name].strip()
        return data, list(self.cleaned_data.get("scope_regions") or [])


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.HiddenInput, forms.RadioSelect)):
            continue
        widget.attrs.setdefault(
            "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
        )


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class VersionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(StyledForm):
    reason = forms.CharField(label="撤回原因", widget=TEXTAREA)


class InitialReviewForm(VersionForm):
    outcome = forms.ChoiceField(
        label="初审结论",
        widget=forms.RadioSelect,
        choices=[
            ("simple", "符合简易程序：直接提请审核委员会核准（第七条）"),
            ("ordinary", "适用普通程序：沟通协调后提请成员单位会议（第八条）"),
            ("urgent", "特殊紧急事项：报县委副书记批准"),
            ("return", "退回申请主体修改"),
        ],
    )
    opinion = forms.CharField(label="初审意见", widget=TEXTAREA)


class CoordinateForm(VersionForm):
    note = forms.CharField(
        label="沟通协调情况",
        widget=TEXTAREA,
        help_text="与有关部门、乡镇（街道）、社区沟通的情况和仍存在的异议",
    )


class MeetingForm(StyledForm):
    held_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="会议地点", required=False)
    convener = forms.CharField(label="召集人", help_text="审核委员会主任（副主任），或经授权的办公室")
    applicant_report = forms.CharField(label="申请主体专题汇报", widget=TEXTAREA)
    minutes = forms.CharField(label="会议纪要", widget=TEXTAREA, required=False)


class OpinionForm(StyledForm):
    unit = forms.ChoiceField(label="出具意见的单位")
    stance = forms.ChoiceField(label="意见", choices=Stance.choices)
    text = forms.CharField(label="具体意见", widget=TEXTAREA, required=False)
    confirmed_by = forms.CharField(
        label="单位确认人",
        max_length=50,
        required=False,
        help_text="办公室代录其他单位的意见时必填：该单位确认此意见的人员姓名和职务（记为“代录”）。",
    )

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择")] + units


class DecisionForm(VersionForm):
    outcome = forms.ChoiceField(
        label="核准结论",
        widget=forms.RadioSelect,
        choices=[
            ("approve", "准入：下发工作告知单并备案"),
            ("reject", "不予准入"),
            ("return", "退回修改"),
        ],
    )
    reason = forms.CharField(
        label="理由", widget=TEXTAREA, required=False, help_text="不予准入或退回修改须写明理由"
    )
    decision_body = forms.CharField(
        label="审定机构", required=False, help_text="空则按程序填写（审核委员会，或紧急事项由县委副书记批准）"
    )
    overlap_existing = forms.CharField(
        label="重叠的现有工作", required=False, help_text="预检发现相近事项时必填"
    )
    overlap_action = forms.ChoiceField(
        label="处理方式", required=False, choices=[("", "—")] + OverlapAction.choices
    )
    overlap_note = forms.CharField(label="处理说明", required=False)

    @staticmethod
    def overlaps_of(data: dict) -> list[dict]:
        return [
            {
                "existing": data["overlap_existing"],
                "action": data["overlap_action"],
                "note": data["overlap_note"],
            }
        ]


class EndForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    end_on = forms.DateField(label="完结（退出）日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="完结或提前退出的情况", widget=TEXTAREA)


class CheckForm(StyledForm):
    text = forms.CharField(
        label="交办的工作",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="照录通知、微信群消息或电话里交办的内容",
    )
    department_name = forms.CharField(label="交办单位", required=False, help_text="如：县人社局")
    received_on = forms.DateField(
        label="交办日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text="空则为今天",
    )

    def clean_received_on(self):
        return self.cleaned_data.get("received_on") or timezone.localdate()
