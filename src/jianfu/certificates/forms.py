from django import forms

from jianfu.core.text import form_text
from jianfu.orgs.forms import StyledForm
from jianfu.orgs.pickers import RegionSelect, group_regions

from .models import InstitutionKind
from .template_fields import format_field_lines, parse_field_lines

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEMPLATE_PREFIX = "t_"  # template fields are named t_<name> so no template can shadow a form's own field


def _required(label: str) -> dict:
    return {"required": f"请填写{label}。"}


class CheckForm(StyledForm):
    text = forms.CharField(
        label="群众要开什么证明",
        max_length=300,
        error_messages=_required("群众要开的证明"),
        help_text="照群众的原话录入，如：银行要我开亲属关系证明",
    )


class ServiceCheckedForm(StyledForm):
    """A form that only parses: the service checks every value (the API sends the same), so one submission shows
    every problem at once, not the form's "required" first and the ID number's check digit on the next try.
    Fields the service requires are marked aria-required, which the page also shows as an asterisk."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mark_required()

    def mark_required(self):
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"
                field.required = False


def _select(label: str, choices, **kwargs) -> forms.CharField:
    """A drop-down whose value the service checks (an unknown value gets the service's own message)."""
    return forms.CharField(label=label, widget=forms.Select(choices=[("", "请选择"), *choices]), **kwargs)


class InstitutionForm(ServiceCheckedForm):
    institution_kind = _select("要求出具证明的单位类型", InstitutionKind.choices)
    institution_name = forms.CharField(
        label="要求出具证明的单位", max_length=100, help_text="如：农商银行河口支行、清河县第一中学"
    )


class ResidentForm(InstitutionForm):
    request_text = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    resident_name = forms.CharField(label="居民姓名", max_length=50)
    resident_id_number = forms.CharField(
        label="公民身份号码",
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
        help_text="18 位，末位可为 X；保存后只显示前 6 位和后 4 位",
    )
    purpose = forms.CharField(label="用途", max_length=100, required=False, help_text="如：办理助学贷款")

    def __init__(self, *args, spec: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec or []
        for field in self.spec:
            self.fields[TEMPLATE_PREFIX + field["name"]] = _template_field(field)
        # StyledForm styled the fields that existed when it ran; the template's are added after it.
        for name, field in self.fields.items():
            if name.startswith(TEMPLATE_PREFIX):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)
                if field.help_text:
                    field.widget.attrs["aria-describedby"] = f"id_{name}_help"
        self.mark_required()

    def template_values(self) -> dict:
        return {f["name"]: self.cleaned_data.get(TEMPLATE_PREFIX + f["name"], "") for f in self.spec}

    def base_values(self) -> dict:
        names = (
            "resident_name",
            "resident_id_number",
            "institution_kind",
            "institution_name",
            "purpose",
            "request_text",
        )
        return {name: self.cleaned_data.get(name, "") for name in names}


def _template_field(spec: dict) -> forms.Field:
    label, kind = spec["label"], spec.get("kind", "text")
    common = {"label": label, "required": spec.get("required", True), "help_text": spec.get("help", "")}
    if kind == "choice":
        return _select(
            label,
            [(c, c) for c in spec.get("choices", [])],
            required=common["required"],
            help_text=common["help_text"],
        )
    widgets = {
        "textarea": forms.Textarea(attrs={"rows": 3}),
        "date": forms.DateInput(attrs={"type": "date"}),
        "integer": forms.TextInput(attrs={"inputmode": "numeric"}),
        "decimal": forms.TextInput(attrs={"inputmode": "decimal"}),
    }
    return forms.CharField(widget=widgets.get(kind, forms.TextInput()), max_length=500, **common)


class CommitmentForm(ResidentForm):
    matter = forms.CharField(
        label="承诺事项（代替哪一项证明）",
        max_length=200,
        required=False,
        help_text="清单外的事项须填写，如：独居情况",
    )


class RefusalForm(InstitutionForm):
    request_text = forms.CharField(label="群众要求开具的证明", max_length=300, required=False)
    resident_name = forms.CharField(label="居民姓名", max_length=50, required=False, help_text="可不填")
    note = forms.CharField(
        label="说明",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="可出具清单内的证明因无法核实而不予出具时，须写明原因",
    )


class RevokeForm(StyledForm):
    reason = forms.CharField(label="作废原因", max_length=200, error_messages=_required("作废原因"))


class TypeForm(StyledForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label="证明名称", max_length=100)
    title = forms.CharField(label="文书标题", max_length=100, required=False, help_text="留空则用证明名称")
    requesters = form_text(
        "certificates.CertificateType",
        "requesters",
        label="申请人范围",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    conditions = form_text(
        "certificates.CertificateType",
        "conditions",
        label="出具条件",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    materials = form_text(
        "certificates.CertificateType",
        "materials",
        label="所需材料",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    fields = forms.CharField(
        label="证明模板字段",
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control font-monospace"}),
        required=False,
        help_text="每行一个字段：名称|显示名称|类型|是否必填|选项(用/分隔)|提示|不晚于今天；类型可为 text、textarea、date、integer、decimal、choice",
    )
    body = form_text(
        "certificates.CertificateType",
        "body",
        label="证明正文",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="用 {字段名} 引用字段，可用 {resident_name} {resident_id} {village} 等",
    )
    commitment_fields = forms.CharField(
        label="承诺书字段",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace"}),
        required=False,
    )
    commitment_body = form_text(
        "certificates.CertificateType",
        "commitment_body",
        label="承诺书正文",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    @staticmethod
    def initial_for(certificate_type) -> dict:
        data = {
            name: getattr(certificate_type, name)
            for name in (
                "revision",
                "name",
                "title",
                "requesters",
                "conditions",
                "materials",
                "body",
                "commitment_body",
            )
        }
        data["fields"] = format_field_lines(certificate_type.fields)
        data["commitment_fields"] = format_field_lines(certificate_type.commitment_fields)
        return data

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "revision"}
        data["fields"] = parse_field_lines(data["fields"])
        data["commitment_fields"] = parse_field_lines(data["commitment_fields"])
        return data


class StatsForm(StyledForm):
    date_from = forms.DateField(label="起始日期", widget=DATE)
    date_to = forms.DateField(label="截止日期", widget=DATE)
    region = forms.ChoiceField(label="范围", required=False, widget=RegionSelect)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "全部（我的管辖范围）"), *group_regions(regions)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return cleaned
