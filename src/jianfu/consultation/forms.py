"""Forms of the consultation pages: labels and help in plain Chinese; the services do the real checks."""

from django import forms

from jianfu.core.text import form_text
from jianfu.orgs.forms import StyledForm
from jianfu.orgs.pickers import RegionSelect, group_regions

from .models import BallotChoice, ConsultForm, MemberRole, OpinionSource, Outcome, Satisfaction, VoteRule

SOURCES = [(v, label) for v, label in OpinionSource.choices if v != OpinionSource.PUBLIC]


class OpinionForm(StyledForm):
    source = forms.ChoiceField(label="来源", choices=SOURCES)
    content = form_text(
        "consultation.Opinion", "content", label="意见建议", widget=forms.Textarea(attrs={"rows": 3})
    )
    resident_name = forms.CharField(label="反映人（可不填）", required=False, max_length=50)
    contact = forms.CharField(label="联系方式（可不填）", required=False, max_length=50)


class PublicOpinionForm(StyledForm):
    region = forms.ChoiceField(label="您所在的村（社区）", widget=RegionSelect)
    content = form_text(
        "consultation.Opinion",
        "content",
        label="您的意见或建议",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="说说遇到了什么事、希望怎么解决。至少 5 个字。",
    )
    resident_name = forms.CharField(label="怎么称呼您（可不填）", required=False, max_length=50)
    contact = forms.CharField(
        label="电话（可不填）",
        required=False,
        max_length=50,
        help_text="留电话，村（社区）可以打电话回复您。",
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "请选择"), *group_regions(villages)]


class AnswerForm(StyledForm):
    answer = form_text(
        "consultation.Opinion", "answer", label="答复内容", widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CouncilForm(StyledForm):
    name = forms.CharField(label="议事会名称", max_length=100)
    convener = forms.CharField(label="召集人", max_length=100, help_text="如：社区党组织书记 张某")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MemberForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="身份", choices=MemberRole.choices)
    affiliation = forms.CharField(label="单位或住址", required=False, max_length=100)


class TopicForm(StyledForm):
    title = forms.CharField(label="议题", max_length=200)
    background = form_text(
        "consultation.Topic",
        "background",
        label="议题说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    opinions = forms.MultipleChoiceField(
        label="由哪些群众意见形成", required=False, widget=forms.CheckboxSelectMultiple
    )
    involved = forms.MultipleChoiceField(
        label="涉及的村（社区）（跨社区协商至少两个）", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, opinions=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions"].choices = [
            (o.pk, f"{o.receipt} {o.region.name}：{o.content[:40]}") for o in opinions
        ]
        for name in ("opinions", "involved"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        if villages:
            self.fields["involved"].choices = [(v.pk, v.name) for v in villages]
        else:
            del self.fields["involved"]


class VersionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanForm(VersionForm):
    form = forms.ChoiceField(label="协商形式", choices=[("", "请选择")] + ConsultForm.choices)
    scheduled_at = forms.DateTimeField(
        label="协商时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label="协商地点", max_length=200)
    plan_content = form_text(
        "consultation.Topic", "plan_content", label="协商内容", widget=forms.Textarea(attrs={"rows": 3})
    )
    plan_participants = form_text(
        "consultation.Topic",
        "plan_participants",
        label="参与主体",
        help_text="经民主选举或推荐确定的各类主体",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoticeForm(VersionForm):
    notice_text = form_text(
        "consultation.Topic", "notice_text", label="协商公告", widget=forms.Textarea(attrs={"rows": 4})
    )


class ParticipantForm(StyledForm):
    name = forms.CharField(label="姓名或单位", max_length=100)
    capacity = forms.CharField(label="身份", max_length=100, help_text="如：居民代表、驻社区单位、业主委员会")
    contact = forms.CharField(label="联系方式", required=False, max_length=50)


class RecordForm(StyledForm):
    attended = forms.TypedChoiceField(
        label="出席",
        required=False,
        choices=[("", "—"), ("1", "出席"), ("0", "缺席")],
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    opinion = form_text(
        "consultation.Participant",
        "opinion",
        label="发表的意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reply = form_text(
        "consultation.Participant",
        "reply",
        label="书面回复",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VoteForm(StyledForm):
    question = forms.CharField(label="表决事项", max_length=200)
    rule = forms.ChoiceField(
        label="通过规则", choices=VoteRule.choices, help_text="按全体协商人员计算，不是按到场人数"
    )


class BallotForm(StyledForm):
    participant = forms.IntegerField(label="投票人")
    choice = forms.ChoiceField(label="意见", choices=BallotChoice.choices)


class HoldForm(VersionForm):
    minutes = form_text(
        "consultation.Topic", "minutes", label="协商纪要", widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(label="协商结果", choices=[("", "请选择")] + Outcome.choices)


class AnnounceForm(VersionForm):
    announcement = form_text(
        "consultation.Topic", "announcement", label="协商情况通报", widget=forms.Textarea(attrs={"rows": 4})
    )
    late_reason = form_text(
        "consultation.Topic",
        "late_reason",
        label="逾期说明（超过协商次日才通报时填写）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(VersionForm):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReferForm(VersionForm):
    note = forms.CharField(
        label="提交哪一次村（居）民会议或代表会议", widget=forms.Textarea(attrs={"rows": 2})
    )


class MeasureForm(StyledForm):
    title = forms.CharField(label="落实事项", max_length=200)
    owner = forms.CharField(label="责任人或单位", max_length=100)
    due_on = forms.DateField(label="计划完成日期", widget=forms.DateInput(attrs={"type": "date"}))


class ProgressForm(StyledForm):
    progress = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)
    note = form_text(
        "consultation.MeasureUpdate", "note", label="进展情况", widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FollowUpForm(StyledForm):
    respondent = forms.CharField(label="回访对象（可不填）", required=False, max_length=50)
    satisfaction = forms.ChoiceField(label="满意度", choices=Satisfaction.choices)
    comment = form_text(
        "consultation.FollowUp",
        "comment",
        label="意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OnlineForm(StyledForm):
    code = forms.CharField(
        label="一次性码", max_length=20, help_text="村（社区）发给您的 10 位码，只能用一次"
    )
    comment = form_text(
        "consultation.Comment",
        "text",
        label="您的意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
