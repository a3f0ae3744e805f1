"""Page forms: parse and label the input; the services decide."""

from django import forms

from jianfu.core.text import form_text
from jianfu.core.uploads import limit, megabytes
from jianfu.orgs.forms import ChoiceChecks, StyledForm
from jianfu.orgs.models import Department, Level, Region, subtree_q

from .models import (
    AgencyGrade,
    AppraisalGrade,
    Cadence,
    HeadGrade,
    Origin,
    Phase,
    Post,
    ReportKind,
    TrainingKind,
)
from .models.evaluation import SURVEY_CHOICES, SURVEY_QUESTIONS

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


def county_units(region):
    return Department.objects.filter(subtree_q([region.prefix[:6]], "region__code"), is_active=True).order_by(
        "name"
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each one's type and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CampaignForm(StyledForm):
    title = forms.CharField(label="专项行动名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE, required=False)
    cadence = forms.ChoiceField(
        label="牵头单位报告频次",
        choices=Cadence.choices,
        help_text="周报告、月小结（实施方案）；或半月调度（定期调度机制）。",
    )


class PhaseForm(StyledForm):
    phase = forms.ChoiceField(label="阶段", choices=Phase.choices)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE, required=False, help_text="持续巩固阶段可不填。")
    note = form_text("campaign.CampaignPhase", "note", label="工作要求", widget=TEXT, required=False)


class TaskForm(StyledForm):
    area = forms.CharField(label="工作任务", max_length=100)
    measures = form_text("campaign.Task", "measures", label="推进措施", widget=TEXT)
    lead_department = forms.ModelChoiceField(label="牵头单位", queryset=Department.objects.none())
    responsible = forms.ModelMultipleChoiceField(
        label="责任单位",
        queryset=Department.objects.none(),
        required=False,
        widget=ChoiceChecks,
    )
    responsible_text = forms.CharField(label="其他责任单位（如“各乡镇”）", max_length=300, required=False)
    deadline = forms.DateField(label="完成时限", widget=DATE, required=False)
    long_term = forms.BooleanField(label="长期坚持", required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = county_units(region)
        self.fields["responsible"].queryset = county_units(region)


class TaskEditForm(TaskForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportForm(StyledForm):
    kind = forms.ChoiceField(label="报告类型", choices=ReportKind.choices)
    period_start = forms.DateField(
        label="报告期内任一日", widget=DATE, help_text="按报告类型归入所在的周、半月或月。"
    )
    summary = form_text("campaign.ProgressReport", "summary", label="工作进展", widget=TEXT)
    problems = form_text("campaign.ProgressReport", "problems", label="存在问题", widget=TEXT, required=False)
    next_steps = form_text(
        "campaign.ProgressReport", "next_steps", label="下步打算", widget=TEXT, required=False
    )
    progress = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    completes = forms.BooleanField(label="本任务已完成", required=False)
    attachments = MultipleFileField(
        label=f"附件（PDF、Word、Excel、图片，每个不超过 {megabytes(limit('attachment'))}）", required=False
    )


class MeetingForm(StyledForm):
    title = forms.CharField(label="会议名称", max_length=200)
    held_on = forms.DateField(label="召开日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100, required=False)
    agenda = form_text("campaign.JointMeeting", "agenda", label="议程", widget=TEXT)
    attendees = forms.ModelMultipleChoiceField(
        label="参会单位",
        queryset=Department.objects.none(),
        required=False,
        widget=ChoiceChecks,
    )
    attendee_names = form_text(
        "campaign.JointMeeting", "attendee_names", label="参会人员", widget=TEXT, required=False
    )
    minutes = form_text("campaign.JointMeeting", "minutes", label="会议纪要", widget=TEXT, required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = county_units(region)


class DecisionForm(StyledForm):
    content = form_text("campaign.MeetingDecision", "content", label="议定事项", widget=TEXT)
    lead_department = forms.ModelChoiceField(label="牵头单位", queryset=Department.objects.none())
    deadline = forms.DateField(label="完成时限", widget=DATE)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = county_units(region)


class SchemeForm(StyledForm):
    township = forms.ModelChoiceField(label="乡镇（街道）", queryset=Region.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.visible_to(user).filter(level=Level.TOWNSHIP)


class SurveyForm(StyledForm):
    code = forms.CharField(label="测评码（纸条上的 8 位字母数字）", max_length=20)
    comment = form_text(
        "campaign.SurveyAnswer", "comment", label="意见建议（可不填）", widget=TEXT, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SURVEY_QUESTIONS:
            self.fields[key] = forms.ChoiceField(
                label=label, choices=SURVEY_CHOICES, widget=forms.RadioSelect
            )
        self.order_fields(["code", *[k for k, _ in SURVEY_QUESTIONS], "comment"])


class CodesForm(StyledForm):
    village = forms.ModelChoiceField(label="村（社区）", queryset=Region.objects.none())
    count = forms.IntegerField(label="发放户数", min_value=1, max_value=2000)

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Region.objects.filter(parent=scheme.township, level=Level.VILLAGE)


class AgencyForm(StyledForm):
    township = forms.ModelChoiceField(label="驻地乡镇（街道）", queryset=Region.objects.none())
    department = forms.ModelChoiceField(label="派出部门", queryset=Department.objects.none())
    agency_name = forms.CharField(label="派驻机构名称", max_length=100)
    head_name = forms.CharField(label="主要负责人", max_length=50)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        towns = Region.objects.visible_to(user).filter(level=Level.TOWNSHIP)
        self.fields["township"].queryset = towns
        county = towns.first()
        self.fields["department"].queryset = (
            Department.objects.filter(
                subtree_q([county.code[:6]], "region__code"), region__level=Level.COUNTY
            )
            if county
            else Department.objects.none()
        )


class TownshipScoreForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    territorial = forms.DecimalField(label="履行属地职责", max_digits=5, decimal_places=2)
    satisfaction = forms.DecimalField(label="群众满意度测评", max_digits=5, decimal_places=2)


class DepartmentScoreForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    statutory = forms.DecimalField(label="履行法定职责", max_digits=5, decimal_places=2)


class RateForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agency_grade = forms.ChoiceField(label="派驻机构考核等次", choices=AgencyGrade.choices)
    head_grade = forms.ChoiceField(label="主要负责人年度考核等次", choices=HeadGrade.choices)


class RoundForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    class1_min = forms.DecimalField(label="一类乡镇综合指数下限", initial=120, max_digits=6, decimal_places=2)
    class2_min = forms.DecimalField(label="二类乡镇综合指数下限", initial=80, max_digits=6, decimal_places=2)


class FiguresForm(StyledForm):
    township = forms.ModelChoiceField(label="乡镇（街道）", queryset=Region.objects.none())
    population = forms.DecimalField(label="人口（万人）", max_digits=8, decimal_places=2)
    revenue = forms.DecimalField(label="财政收入（万元）", max_digits=12, decimal_places=2)
    area = forms.DecimalField(label="辖区面积（平方公里）", max_digits=10, decimal_places=2)

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.filter(parent=county, level=Level.TOWNSHIP)


class ProfileForm(StyledForm):
    residents = forms.IntegerField(label="辖区常住人口", min_value=0)


class WorkerForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=50)
    origin = forms.ChoiceField(label="配备方式", choices=Origin.choices)
    post = forms.ChoiceField(label="岗位", choices=Post.choices)
    joined_on = forms.DateField(label="到岗日期", widget=DATE)
    term = forms.CharField(label="届次（合同一届一签）", max_length=50)
    contract_starts = forms.DateField(label="合同起始", widget=DATE)
    contract_ends = forms.DateField(label="合同终止", widget=DATE)


class ContractForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    term = forms.CharField(label="届次", max_length=50)
    starts_on = forms.DateField(label="合同起始", widget=DATE)
    ends_on = forms.DateField(label="合同终止", widget=DATE)


class TrainingForm(StyledForm):
    kind = forms.ChoiceField(label="培训类型", choices=TrainingKind.choices)
    title = forms.CharField(label="培训内容", max_length=200)
    held_on = forms.DateField(label="培训日期", widget=DATE)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1)
    result = forms.CharField(label="学习成绩", max_length=50, required=False)


class AppraisalForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label="考核等次", choices=AppraisalGrade.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)
