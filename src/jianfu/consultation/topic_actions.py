"""What can be done on a topic page, step by step: each action names its form, when it is offered and the
service it calls. The page view and the action view both read this table, so they cannot drift apart."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.orgs.forms import StyledForm

from . import services
from .forms import (
    AnnounceForm,
    BallotForm,
    FollowUpForm,
    HoldForm,
    MeasureForm,
    NoteForm,
    NoticeForm,
    ParticipantForm,
    PlanForm,
    ProgressForm,
    RecordForm,
    ReferForm,
    VersionForm,
    VoteForm,
)
from .models import ConsultForm, Outcome, TopicStatus
from .services import outcomes

S = TopicStatus


class ParticipantRecordForm(RecordForm):
    participant = forms.IntegerField(widget=forms.HiddenInput)


class VoteBallotForm(BallotForm):
    vote = forms.IntegerField(widget=forms.HiddenInput)


class VoteCloseForm(StyledForm):
    vote = forms.IntegerField(widget=forms.HiddenInput)


class MeasureProgressForm(ProgressForm):
    measure = forms.IntegerField(widget=forms.HiddenInput)


class EmptyForm(StyledForm):
    pass


def _child(topic, related: str, pk):
    obj = getattr(topic, related).filter(pk=pk).first()
    if obj is None:
        raise ValidationError(f"没有找到这条记录（{pk}），请刷新页面。")
    return obj


def _settle(user, topic, d):
    return services.topic_settle(actor=user, topic=topic, expected_version=d["version"])


def _plan(user, topic, d):
    return services.topic_plan(actor=user, topic=topic, expected_version=d.pop("version"), **d)


def _notice(user, topic, d):
    return services.topic_notice(
        actor=user, topic=topic, notice_text=d["notice_text"], expected_version=d["version"]
    )


def _participant_add(user, topic, d):
    return services.participant_add(actor=user, topic=topic, **d)


def _participants_settle(user, topic, d):
    return services.participants_settle(actor=user, topic=topic, expected_version=d["version"])[1]


def _codes_reissue(user, topic, d):
    return services.codes_reissue(actor=user, topic=topic)


def _record(user, topic, d):
    participant = _child(topic, "participants", d["participant"])
    return services.participant_record(
        actor=user,
        participant=participant,
        attended=d["attended"],
        opinion=d["opinion"],
        reply=d["reply"],
        expected_version=d["version"],
    )


def _vote_open(user, topic, d):
    return outcomes.vote_open(actor=user, topic=topic, question=d["question"], rule=d["rule"])


def _ballot(user, topic, d):
    vote = _child(topic, "votes", d["vote"])
    participant = _child(topic, "participants", d["participant"])
    return outcomes.ballot_cast(actor=user, vote=vote, participant=participant, choice=d["choice"])


def _vote_close(user, topic, d):
    return outcomes.vote_close(actor=user, vote=_child(topic, "votes", d["vote"]))


def _hold(user, topic, d):
    return outcomes.topic_hold(
        actor=user, topic=topic, minutes=d["minutes"], outcome=d["outcome"], expected_version=d["version"]
    )


def _announce(user, topic, d):
    return outcomes.topic_announce(
        actor=user,
        topic=topic,
        announcement=d["announcement"],
        late_reason=d["late_reason"],
        expected_version=d["version"],
    )


def _reconsult(user, topic, d):
    return outcomes.topic_reconsult(actor=user, topic=topic, note=d["note"], expected_version=d["version"])


def _refer(user, topic, d):
    return outcomes.topic_refer(actor=user, topic=topic, note=d["note"], expected_version=d["version"])


def _measure_add(user, topic, d):
    return outcomes.measure_add(actor=user, topic=topic, **d)


def _measure_progress(user, topic, d):
    measure = _child(topic, "measures", d["measure"])
    return outcomes.measure_progress(
        actor=user, measure=measure, progress=d["progress"], note=d["note"], expected_version=d["version"]
    )


def _followup(user, topic, d):
    return outcomes.followup_add(actor=user, topic=topic, **d)


def _disagreed(topic) -> bool:
    return topic.status == S.ANNOUNCED and topic.outcome == Outcome.DISAGREED


def _adopted(topic) -> bool:
    return topic.status == S.ANNOUNCED and topic.outcome == Outcome.AGREED


@dataclass(frozen=True)
class Action:
    label: str  # the button
    form: type
    run: Callable
    done: str  # the message after it worked
    offered: Callable = lambda topic: False
    row: bool = False  # rendered once per participant, vote or measure, not as one form on the page
    shows_codes: bool = False
    initial: Callable = field(default=lambda topic: {})

    def form_kwargs(self, topic) -> dict:
        return {}


def _version(topic) -> dict:
    return {"version": topic.version}


ACTIONS: dict[str, Action] = {
    "settle": Action(
        "确定议题",
        VersionForm,
        _settle,
        "议题已确定，请在 2 个工作日内制定协商方案。",
        lambda t: t.status == S.COLLECTING or services.plan_overdue(t, timezone.localdate()),
        initial=_version,
    ),
    "plan": Action(
        "保存协商方案", PlanForm, _plan, "协商方案已制定。", lambda t: t.status == S.SETTLED, initial=_version
    ),
    "notice": Action(
        "发布公告",
        NoticeForm,
        _notice,
        "协商公告已发布。",
        lambda t: t.status == S.PLANNED,
        initial=lambda t: {"version": t.version, "notice_text": services.default_notice(t)},
    ),
    "participant_add": Action(
        "加入名单", ParticipantForm, _participant_add, "已加入协商人员名单。", lambda t: t.status == S.NOTICED
    ),
    "participants_settle": Action(
        "确定协商人员",
        VersionForm,
        _participants_settle,
        "协商人员已确定。",
        lambda t: t.status == S.NOTICED,
        shows_codes=True,
        initial=_version,
    ),
    "codes_reissue": Action(
        "为未使用的人员补发一次性码",
        EmptyForm,
        _codes_reissue,
        "已补发一次性码。",
        lambda t: t.status == S.PARTICIPANTS and t.form == ConsultForm.ONLINE,
        shows_codes=True,
    ),
    "record": Action(
        "保存", ParticipantRecordForm, _record, "已登记。", lambda t: t.status == S.PARTICIPANTS, row=True
    ),
    "vote_open": Action(
        "发起表决", VoteForm, _vote_open, "表决已发起。", lambda t: t.status == S.PARTICIPANTS
    ),
    "ballot": Action(
        "登记选票", VoteBallotForm, _ballot, "已登记选票。", lambda t: t.status == S.PARTICIPANTS, row=True
    ),
    "vote_close": Action(
        "结束表决并计票",
        VoteCloseForm,
        _vote_close,
        "表决已结束。",
        lambda t: t.status == S.PARTICIPANTS,
        row=True,
    ),
    "hold": Action(
        "登记协商纪要和结果",
        HoldForm,
        _hold,
        "协商已开展，请于当日或次日通报协商情况。",
        lambda t: t.status == S.PARTICIPANTS,
        initial=_version,
    ),
    "announce": Action(
        "通报协商情况",
        AnnounceForm,
        _announce,
        "协商情况已通报。",
        lambda t: t.status == S.HELD,
        initial=_version,
    ),
    "reconsult": Action(
        "另行组织协商", NoteForm, _reconsult, "已另行组织协商。", _disagreed, initial=_version
    ),
    "refer": Action(
        "提交村（居）民会议表决",
        ReferForm,
        _refer,
        "已提交村（居）民会议表决。",
        _disagreed,
        initial=_version,
    ),
    "measure_add": Action(
        "登记落实事项", MeasureForm, _measure_add, "已登记落实事项，将在村务公开中公布。", _adopted
    ),
    "measure_progress": Action(
        "登记进展", MeasureProgressForm, _measure_progress, "已登记进展。", _adopted, row=True
    ),
    "followup": Action(
        "登记回访", FollowUpForm, _followup, "已登记回访。", lambda t: _adopted(t) and t.measures.exists()
    ),
}


def forms_for(topic, bound: dict | None = None) -> dict:
    """The page's forms for the actions offered now, keeping a submitted one (with its errors) as sent."""
    bound = bound or {}
    offered = {}
    for name, action in ACTIONS.items():
        if not action.offered(topic):
            continue
        form = bound.get(name) or action.form(initial=action.initial(topic), prefix=None)
        offered[name] = {"form": form, "label": action.label, "row": action.row}
    for name, form in bound.items():
        offered.setdefault(name, {"form": form, "label": ACTIONS[name].label, "row": ACTIONS[name].row})
    return offered
