from django import forms

from jianfu.orgs.forms import StyledForm

from .models import Kind

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PreferenceForm(StyledForm):
    email = forms.BooleanField(label="电子邮件", required=False)
    sms = forms.BooleanField(label="短信（只提示有新消息，不含具体内容）", required=False)
    push = forms.BooleanField(label="手机推送（需在手机上安装本平台并允许通知）", required=False)
    digest = forms.BooleanField(label="每日汇总：邮件和短信每天下午汇总发送一次", required=False)
    quiet_start = forms.TimeField(
        label="免打扰开始", required=False, widget=TIME, help_text="免打扰时段内不发短信和推送，结束后再发"
    )
    quiet_end = forms.TimeField(label="免打扰结束", required=False, widget=TIME)
    muted_kinds = forms.MultipleChoiceField(
        label="以下类型只进站内消息，不发邮件、短信和推送",
        required=False,
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
