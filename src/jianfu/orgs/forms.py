from django import forms

from jianfu.core.uploads import SpreadsheetField

from .models import Department, DepartmentKind, Kind, Level, Region
from .roles import Role


class ChoiceChecks(forms.CheckboxSelectMultiple):
    """Several choices as a box of checkboxes (never a select that needs Ctrl to pick more than one): the
    wrapper carries ``choice-checks`` (scrolls when long; groups keep their headings), each box Bootstrap's class."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({**(attrs or {}), "class": "choice-checks"}, choices)

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = "form-check-input me-1"
        option["attrs"].pop("aria-describedby", None)
        return option


class StyledForm(forms.Form):
    """Adds Bootstrap classes and aria-describedby for help text to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = "请选择"
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple) and not isinstance(widget, ChoiceChecks):
                field.widget = widget = ChoiceChecks(attrs=widget.attrs, choices=widget.choices)
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
                if isinstance(widget, ChoiceChecks) and field.help_text:
                    widget.attrs["aria-describedby"] = f"id_{name}_help"
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}_help"

    def service_requires(self, *names: str) -> None:
        """Mark fields the service checks as required (aria-required, shown with *), leaving the form not requiring
        them, so one submission shows every problem in the service's words."""
        for name in names:
            self.fields[name].widget.attrs["aria-required"] = "true"


class VersionedForm(StyledForm):
    """Carries the version the user started editing from, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=True, **kwargs):
        super().__init__(*args, **kwargs)
        # Editing without the version would skip the stale-write check, so it is required then.
        self.fields["version"].required = editing
        self.fields["version"].error_messages["required"] = "缺少版本号，请刷新页面后重新编辑。"


class RegionCreateForm(StyledForm):
    code = forms.CharField(label="区划代码", max_length=12, min_length=12, help_text="12 位统计用区划代码")
    name = forms.CharField(label="名称", max_length=100)
    level = forms.TypedChoiceField(label="层级", choices=Level.choices, coerce=int)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    parent = forms.ModelChoiceField(label="上级区划", queryset=Region.objects.none(), required=False)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents if parents is not None else Region.objects.none()


class RegionEditForm(VersionedForm):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)


class DepartmentForm(VersionedForm):
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    region = forms.ModelChoiceField(label="所属区划", queryset=Region.objects.none())
    kind = forms.ChoiceField(label="类别", choices=DepartmentKind.choices)
    is_member_unit = forms.BooleanField(label="减负工作领导小组成员单位", required=False)

    def __init__(self, *args, regions=None, editing=False, **kwargs):
        super().__init__(*args, editing=editing, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()


class UserForm(VersionedForm):
    username = forms.CharField(label="账号", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    home_region = forms.ModelChoiceField(label="所属区划", queryset=Region.objects.none())
    department = forms.ModelChoiceField(label="所属部门", queryset=Department.objects.none(), required=False)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="至少 8 位，包含大写字母、小写字母、数字、特殊字符中的至少 3 类",
    )

    def __init__(self, *args, regions=None, departments=None, editing=False, **kwargs):
        super().__init__(*args, editing=editing, **kwargs)
        self.fields["home_region"].queryset = regions if regions is not None else Region.objects.none()
        self.fields["department"].queryset = (
            departments if departments is not None else Department.objects.none()
        )
        if editing:
            del self.fields["password"]
            self.fields["username"].disabled = True
        else:
            self.fields["password"].required = True


class RoleGrantForm(StyledForm):
    # No default role: granting 系统管理员 must be a deliberate choice, never a careless click.
    role = forms.ChoiceField(label="角色", choices=[("", "请选择")] + Role.choices)
    region = forms.ModelChoiceField(label="授权区划", queryset=Region.objects.none())
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.none(), required=False)

    def __init__(self, *args, regions=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()
        self.fields["department"].queryset = (
            departments if departments is not None else Department.objects.none()
        )


class PasswordForm(StyledForm):
    current_password = forms.CharField(
        label="当前密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    password = forms.CharField(
        label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class ImportForm(StyledForm):
    kind = forms.ChoiceField(
        label="导入内容", choices=[("regions", "行政区划"), ("departments", "部门单位"), ("users", "用户")]
    )
    file = SpreadsheetField(label="Excel 文件（.xlsx）")


class LoginForm(StyledForm):
    username = forms.CharField(
        label="账号",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class RoleSettingForm(forms.Form):
    """One role's capability set for a region: a box per capability, grouped by module on the page."""

    capabilities = forms.MultipleChoiceField(
        label="权限", required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label="调整理由", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .roles import Capability

        self.fields["capabilities"].choices = Capability.choices


class RegionSettingForm(StyledForm):
    """A new version of one setting: its value (one box per part for weights and ranges), the date it takes effect
    and why. Numbers pass through as typed; the service checks them and names the field it refuses."""

    effective_from = forms.DateField(
        label="生效日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="当日及以后计算的时限、分值按新设置；之前已办结的结果不变。",
    )
    reason = forms.CharField(label="调整理由", max_length=200, help_text="如：县委常委会会议纪要〔2025〕3号")

    def __init__(self, *args, spec, current, **kwargs):
        self.spec = spec
        super().__init__(*args, **kwargs)
        value_fields = dict(self._value_fields(spec, current))
        self.fields.update(value_fields)
        self.order_fields([*value_fields, "effective_from", "reason"])

    @staticmethod
    def _value_fields(spec, current):
        def number(label, value):
            return forms.CharField(
                label=label,
                initial=value,
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
            )

        unit = "%" if spec.kind in ("percent", "weights") else spec.unit
        suffix = f"（{unit}）" if unit else ""
        if spec.kind == "bool":
            yield "value", forms.BooleanField(label=spec.label, required=False, initial=current)
        elif spec.kind in ("int", "number", "percent"):
            yield "value", number(f"{spec.label}{suffix}", current)
        elif spec.kind == "weights":
            for part, label in spec.parts.items():
                yield f"value__{part}", number(f"{label}{suffix}", current.get(part))
        elif spec.kind == "range":
            for end, label in spec.parts.items():
                yield f"value__{end}", number(f"{label}{suffix}", current.get(end))
        else:
            for part, label in spec.parts.items():
                for end, end_label in (("min", "最少"), ("max", "最多")):
                    yield f"value__{part}__{end}", number(f"{label}：{end_label}{suffix}", current[part][end])

    def value(self):
        data, kind = self.cleaned_data, self.spec.kind
        if kind in ("bool", "int", "number", "percent"):
            return data.get("value")
        if kind in ("weights", "range"):
            return {part: data.get(f"value__{part}") for part in self.spec.parts}
        return {
            part: {end: data.get(f"value__{part}__{end}") for end in ("min", "max")}
            for part in self.spec.parts
        }
