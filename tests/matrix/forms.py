"""Permission-matrix cases for the one table (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- forms.view: the county office, chair, member unit, department clerk, townships, village cadres, monitor and
  inspector; the administrator, the grid worker and 东岭县's administrator get 403 on every one-table page;
- the county office (forms.manage) keeps indicators, rules, list rules and decides what becomes of channels;
- forms.review: the county office (county forms, every township) and each township (its own villages' periods);
- forms.register: the department clerk and the member unit, for their own department only;
- forms.enter: a village or community cadre, in their own village only; a correction also by the reviewer;
- a record outside one's scope is a 404; department roles see their own department's forms and channels and the
  county's indicators, not the villages.
"""

from datetime import date

from jianfu.forms import services
from jianfu.forms.models import DepartmentForm, Indicator, ValidationRule, ValueFlag
from tests.matrix.base import ANON, LOGIN, Case, Redirect, everyone, pk

VIEW = {
    "office",
    "chair",
    "member",
    "dept_clerk",
    "town_hk",
    "town_cg",
    "village_cadre",
    "community_cadre",
    "monitor",
    "inspector",
}
COUNTY = {"office", "chair", "monitor", "inspector"}
SEE_FORM = VIEW - {"member"}
TAOYUAN = COUNTY | {"town_hk", "village_cadre"}
JIEFANG = COUNTY | {"town_cg", "community_cadre"}
HK = COUNTY | {"town_hk"}
REGISTER = {"member", "dept_clerk"}
ENTER = {"village_cadre", "community_cadre"}


def _setup(w) -> dict:
    """A listed and issued form of 县人社局 with 桃园村's task, a draft and a submitted form, a duplicate indicator,
    channels in 清河县 and 东岭县, and a form of 东岭县; made once per world."""
    if "_forms" in w.__dict__:
        return w.__dict__["_forms"]
    from tests.forms.conftest import one_table

    table = one_table(w, with_lists=False)
    flag = _flag(w, table)  # before 河口镇 locks 2023 and 2024
    dup = services.indicator_save(
        actor=None, region=w.county, code="JC-101", name="本村常住人口数", unit="人"
    )
    draft = services.form_register(
        actor=w.dept_clerk,
        department=w.dept_rs,
        region=w.county,
        year=2026,
        name="人社草稿表",
        legal_basis="依据",
        frequency="yearly",
        fields=[{"label": "外出务工人数", "unit": "人", "justification": "监测需要"}],
    )
    submitted = services.form_register(
        actor=None,
        department=w.dept_mz,
        region=w.county,
        year=2026,
        name="民政待审表",
        legal_basis="依据",
        frequency="yearly",
        fields=[{"label": "孤儿人数", "unit": "人", "justification": "儿童福利需要"}],
    )
    services.form_submit(actor=None, form=submitted)
    other = services.form_register(
        actor=None,
        department=w.other_dept,
        region=w.other_county,
        year=2026,
        name="东岭表",
        legal_basis="依据",
        frequency="yearly",
        fields=[{"label": "东岭栏目", "justification": "需要"}],
    )
    channel = services.channel_register(
        actor=None,
        kind="wechat",
        name="清河县就业打卡群",
        department=w.dept_rs,
        region=w.county,
        purpose="每日签到",
        uses=["checkin"],
    )
    channel_other = services.channel_register(
        actor=None,
        kind="app",
        name="东岭APP",
        department=w.other_dept,
        region=w.other_county,
        purpose="积分",
        uses=["points"],
    )
    _categories(w)
    jiefang_task = table.task.issue.tasks.get(village=w.community_jiefang)
    sent, checked = _reviewed_tasks(w, table)
    services.period_lock(actor=None, township=w.township_hk, period="2023")
    asked = services.period_lock(actor=None, township=w.township_hk, period="2024")
    unlock = services.unlock_request(actor=w.town_hk, lock=asked, reason="桃园村常住人口录错")
    made = {
        "f_rule": ValidationRule.objects.filter(left__code="JC-002").first(),
        "f_flag": flag,
        "f_form": table.form,
        "f_form_other": other,
        "f_draft": draft,
        "f_submitted": DepartmentForm.objects.get(pk=submitted.pk),
        "f_task": table.task,
        "f_task_jiefang": jiefang_task,
        "f_indicator": table.indicators["JC-001"],
        "f_indicator_dup": dup,
        "f_channel": channel,
        "f_channel_other": channel_other,
        "v_taoyuan": w.village_taoyuan,
        "v_jiefang": w.community_jiefang,
        "v_other": w.other_village,
        "t_hk": w.township_hk,
        "t_other": w.other_county.children.first(),
        "f_unlock": unlock,
        "f_task_sent": sent,
        "f_task_checked": checked,
    }
    w.__dict__["_forms"] = made
    return made


def _categories(w):
    """矩阵人数 broken down by 矩阵性别 (JC-201), and JC-202 for the API to break down."""
    sex = services.category_save(actor=None, region=w.county, name="矩阵性别", options=["男", "女"])
    combo = services.combo_save(actor=None, region=w.county, name="矩阵按性别", categories=[sex])
    for code, name in (("JC-201", "矩阵人数"), ("JC-202", "矩阵户数")):
        made = services.indicator_save(actor=None, region=w.county, code=code, name=name, unit="人")
        if code == "JC-201":
            services.indicator_combo_set(actor=None, indicator=made, combo=combo)


def _combo():
    from jianfu.forms.models import CategoryCombo

    return CategoryCombo.objects.get(name="矩阵按性别")


def _cells(_):
    return {"period": "2026", **{f"c_{key}": "2" for key, _ in services.cells(_combo())}}


def _breakdown_kwargs(village):
    return {"code": village.code, "pk": Indicator.objects.get(code="JC-201").pk}


def _flag(w, table):
    """桃园村's 80-year-olds, steady for six years, then ten times as many: flagged for 河口镇 to follow up."""
    elderly = table.indicators["JC-003"]
    for year, value in zip(range(2019, 2025), ("60", "61", "59", "62", "60", "61"), strict=True):
        services.values_enter(
            actor=None, village=w.village_taoyuan, period=str(year), values={elderly: value}
        )
    services.values_enter(actor=None, village=w.village_taoyuan, period="2025", values={elderly: "610"})
    return ValueFlag.objects.get(village=w.village_taoyuan, indicator=elderly, period="2025")


def _reviewed_tasks(w, table):
    """Two other 河口镇 villages' tasks: one submitted (for the township to approve), one approved (for the county)."""
    others = table.task.issue.tasks.filter(village__parent=w.township_hk).exclude(pk=table.task.pk)
    sent, checked = others.order_by("village__code")[:2]
    fields = list(table.form.fields.all())
    typed = {f.pk: "3" for f in fields if not f.indicator_id}
    served = {f.pk: "500" if "常住" in f.label else "100" for f in fields if f.indicator_id}
    for task in (sent, checked):
        services.task_submit(actor=None, task=task, typed=typed, corrections=served, reason="矩阵：村里核实")
    services.task_approve(actor=w.town_hk, task=checked)
    return type(sent).objects.get(pk=sent.pk), type(checked).objects.get(pk=checked.pk)


LABELS = (
    "f_rule",
    "f_flag",
    "f_form",
    "f_form_other",
    "f_draft",
    "f_submitted",
    "f_task",
    "f_task_jiefang",
    "f_indicator",
    "f_indicator_dup",
    "f_channel",
    "f_channel_other",
    "v_taoyuan",
    "v_jiefang",
    "v_other",
    "t_hk",
    "t_other",
    "f_unlock",
    "f_task_sent",
    "f_task_checked",
)
OBJECTS = {label: (lambda w, label=label: _setup(w)[label]) for label in LABELS}
SEES = {
    "f_rule": VIEW,  # a rule follows its indicators, kept by the county and read below it
    "f_flag": TAOYUAN,
    "f_form": SEE_FORM,
    "f_form_other": set(),
    "f_draft": SEE_FORM,
    "f_submitted": SEE_FORM - {"dept_clerk"},
    # A department reads the tasks of its own forms in every village (县人社局's form here).
    "f_task": TAOYUAN | {"dept_clerk"},
    "f_task_jiefang": JIEFANG | {"dept_clerk"},
    "f_indicator": VIEW,
    "f_indicator_dup": VIEW,
    "f_channel": SEE_FORM,
    "f_channel_other": set(),
    "v_taoyuan": TAOYUAN,
    "v_jiefang": JIEFANG,
    "v_other": set(),
    "t_hk": HK,
    "t_other": set(),
    "f_unlock": HK,
    "f_task_sent": HK | {"dept_clerk"},
    "f_task_checked": HK | {"dept_clerk"},
}


def code(region):
    return {"code": region.code}


# Policies ---------------------------------------------------------------------------------------------------


def viewers(ok=200, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (ok if p in VIEW else 403)


def holders(who, ok, anon=LOGIN, other=403):
    def expect(p, t):
        return anon if p == ANON else (ok if p in who else other)

    expect.writes = True
    return expect


def seen(anon=LOGIN, view_first=False):
    """Scoped read; ``view_first``: the page checks forms.view before loading (403 to those without it)."""
    return lambda p, t: (
        anon if p == ANON else 403 if view_first and p not in VIEW else 200 if p in SEES[t] else 404
    )


# f_submitted is 县民政局's form, and the office clerk works in 县民政局: nobody decides their own department's form
# (forms.services.may_decide_form), so no matrix persona may approve or reject it (403); tests/forms/test_own_form.py has
# the office deciding another department's form.
OWN_FORM_DECIDERS: set[str] = set()


def acts(who, ok, anon=LOGIN, view_first=False):
    """Scoped write: 404 out of scope, 403 in scope without the right, ``ok`` for ``who`` on targets they see."""

    def expect(p, t):
        if p == ANON:
            return anon
        if view_first and p not in VIEW:
            return 403
        if p not in SEES[t]:
            return 404
        return ok if p in who else 403

    expect.writes = True
    return expect


def post_only(anon=LOGIN):
    return lambda p, t: anon if p == ANON else 405


def _indicator_form(_):
    return {"code": "JC-900", "name": "矩阵指标", "unit": "个", "value_type": "integer", "period": "yearly"}


def _edit_form(i):
    return {
        "code": i.code,
        "name": i.name,
        "unit": i.unit,
        "value_type": i.value_type,
        "period": i.period,
        "version": i.version,
    }


def _rs_department():
    from jianfu.orgs.models import Department

    return Department.objects.get(name="县人社局")


def _page_register(_):
    return {
        "department": _rs_department().pk,
        "year": 2026,
        "name": "矩阵表",
        "legal_basis": "依据",
        "frequency": "yearly",
        "label_1": "矩阵栏目",
        "unit_1": "个",
        **{f"type_{n}": "integer" for n in range(1, 9)},
    }


def _channel_page(_):
    return {
        "kind": "qq",
        "name": "矩阵群",
        "department": _rs_department().pk,
        "region": "428521000000",
        "purpose": "工作联络",
        "uses": ["work"],
    }


def _task_page(task):
    field = task.issue.form.fields.get(indicator__isnull=True)
    return {"version": task.version, f"typed_{field.pk}": "12"}


def _task_api(task):
    field = task.issue.form.fields.get(indicator__isnull=True)
    return {"version": task.version, "typed": {str(field.pk): "12"}}


def _correct(_):
    return {
        "period": "2026",
        "indicator": Indicator.objects.get(code="JC-001").pk,
        "value": "1530",
        "reason": "矩阵",
    }


def _map(form):
    field = form.fields.first()
    return {"version": form.version, f"justification_{field.pk}": "矩阵理由"}


def _rule_page(rule):
    return {
        "left": rule.left_id,
        "operator": "le",
        "factor": "2",
        "right": rule.right_id,
        "severity": "warning",
        "message": "矩阵",
        "version": rule.version,
    }


def _rule_api():
    return {"left_code": "JC-005", "operator": "le", "right_code": "JC-002", "severity": "warning"}


def _field_rows(form):
    return [{"label": f.label, "unit": f.unit, "value_type": f.value_type} for f in form.fields.all()]


def _revise_page(form):
    rows = [*_field_rows(_fresh(form)), {"label": "矩阵新栏", "unit": "个", "value_type": "integer"}]
    data = {"revision_reason": "矩阵：增加栏目", "version": _fresh(form).version}
    for n, row in enumerate(rows, 1):
        data.update({f"label_{n}": row["label"], f"unit_{n}": row["unit"], f"type_{n}": row["value_type"]})
    for n in range(len(rows) + 1, 9):
        data[f"type_{n}"] = "integer"
    return data


def _fresh(form):
    return DepartmentForm.objects.get(pk=form.pk)


def _township_schedule(form):
    return {"township": "428521101000", "frequency": "yearly", "due_day": "10", "note": "矩阵"}


TAOYUAN_CODE = "428521101201"
SCHEDULE_PAGE = Redirect("/forms/schedule/")
FORM_PAGE, TASKS = Redirect("/forms/forms/"), Redirect("/forms/tasks/")
YEAR = lambda o: {"year": 2026}  # noqa: E731

ROUTES = {
    "public_forms:form_list": Case(everyone(200), query=lambda o: {"county": "428521000000", "year": "2026"}),
    "public_forms:form_list_docx": Case(
        everyone(200), query=lambda o: {"county": "428521000000", "year": "2026"}
    ),
    "forms:index": Case(lambda p, t: LOGIN if p == ANON else 200),
    "forms:indicators": Case(viewers()),
    "forms:indicator_new": (
        Case(holders({"office"}, 200)),
        Case(holders({"office"}, Redirect("/forms/indicators/")), "post", data=_indicator_form),
    ),
    "forms:indicator_edit": (
        Case(acts({"office"}, 200), targets=("f_indicator",), kwargs=pk),
        Case(acts({"office"}, Redirect("/forms/indicators/")), "post", ("f_indicator",), pk, _edit_form),
    ),
    "forms:indicator_merge": (
        Case(post_only(), targets=("f_indicator_dup",), kwargs=pk),
        Case(
            acts({"office"}, Redirect("/forms/indicators/duplicates/")),
            "post",
            ("f_indicator_dup",),
            pk,
            lambda d: {"keep": Indicator.objects.get(code="JC-001").pk, "version": d.version},
        ),
    ),
    "forms:duplicates": Case(viewers()),
    "forms:rules": (
        Case(viewers()),
        Case(
            holders({"office"}, Redirect("/forms/rules/")),
            "post",
            targets=("f_indicator",),
            data=lambda i: {
                "left": Indicator.objects.get(code="JC-005").pk,
                "operator": "le",
                "factor": "1",
                "right": i.pk,
                "severity": "warning",
            },
        ),
    ),
    "forms:rule_edit": (
        Case(acts({"office"}, 200), targets=("f_rule",), kwargs=pk),
        Case(acts({"office"}, Redirect("/forms/rules/")), "post", ("f_rule",), pk, _rule_page),
    ),
    "forms:rule_active": (
        Case(post_only(), targets=("f_rule",), kwargs=pk),
        Case(
            acts({"office"}, Redirect("/forms/rules/")),
            "post",
            ("f_rule",),
            pk,
            lambda r: {"active": "0", "version": r.version},
        ),
    ),
    "forms:flag_follow_up": (
        Case(post_only(), targets=("f_flag",), kwargs=pk),
        Case(
            acts({"office", "town_hk"}, Redirect("/forms/review/")),
            "post",
            ("f_flag",),
            pk,
            lambda f: {"note": "矩阵：已向村核实", "version": f.version},
        ),
    ),
    "forms:values_import": (Case(holders(ENTER, 200)), Case(holders(ENTER, 200), "post", data=lambda o: {})),
    "forms:village_values": (
        Case(seen(view_first=True), targets=("v_taoyuan", "v_jiefang", "v_other"), kwargs=code, query=YEAR),
        Case(
            acts({"village_cadre"}, Redirect("/forms/values/"), view_first=True),
            "post",
            ("v_taoyuan", "v_other"),
            code,
            lambda v: {"period": "2026", f"v_{Indicator.objects.get(code='JC-005').pk}": "12"},
        ),
    ),
    "forms:value_correct": (
        Case(post_only(), targets=("v_taoyuan",), kwargs=code),
        Case(
            acts({"office", "town_hk", "village_cadre"}, Redirect("/forms/values/")),
            "post",
            ("v_taoyuan",),
            code,
            _correct,
        ),
    ),
    "forms:township_review": (
        Case(seen(view_first=True), targets=("t_hk", "t_other"), kwargs=code, query=YEAR),
        Case(
            acts({"office", "town_hk"}, Redirect("/forms/review/"), view_first=True),
            "post",
            ("t_hk",),
            code,
            lambda t: {"period": "2025", "note": "矩阵"},
        ),
    ),
    "forms:unlock_request": (
        Case(post_only(), targets=("t_hk",), kwargs=code),
        Case(
            acts({"office", "town_hk"}, Redirect("/forms/review/")),
            "post",
            ("t_hk", "t_other"),
            code,
            lambda t: {"period": "2023", "reason": "矩阵：数据录错"},
        ),
    ),
    "forms:village_unlock_request": (
        Case(post_only(), targets=("v_taoyuan",), kwargs=code),
        Case(
            acts({"office", "town_hk", "village_cadre"}, Redirect("/forms/values/")),
            "post",
            ("v_taoyuan", "v_other"),
            code,
            lambda v: {"period": "2023", "reason": "矩阵：数据录错"},
        ),
    ),
    "forms:unlock_decide": (
        Case(post_only(), targets=("f_unlock",), kwargs=pk),
        Case(
            acts({"office"}, Redirect("/forms/review/")),
            "post",
            ("f_unlock",),
            pk,
            lambda u: {"decision": "approve", "version": u.version, "note": "同意"},
        ),
    ),
    "forms:form_list": Case(viewers()),
    "forms:form_new": (
        Case(holders(REGISTER, 200)),
        Case(
            lambda p, t: (
                LOGIN if p == ANON else FORM_PAGE if p == "dept_clerk" else 200 if p == "member" else 403
            ),
            "post",
            data=_page_register,
        ),
    ),
    "forms:forms_import": (
        Case(holders(REGISTER, 200)),
        Case(holders(REGISTER, 200), "post", data=lambda o: {}),
    ),
    "forms:form_detail": Case(seen(), targets=("f_form", "f_form_other", "f_draft"), kwargs=pk),
    "forms:form_map": (
        Case(post_only(), targets=("f_draft",), kwargs=pk),
        Case(acts({"dept_clerk"}, FORM_PAGE), "post", ("f_draft", "f_form_other"), pk, _map),
    ),
    "forms:form_submit": (
        Case(post_only(), targets=("f_draft",), kwargs=pk),
        Case(acts({"dept_clerk"}, FORM_PAGE), "post", ("f_draft",), pk, lambda f: {"version": f.version}),
    ),
    "forms:form_decide": (
        Case(post_only(), targets=("f_submitted",), kwargs=pk),
        Case(
            acts(OWN_FORM_DECIDERS, FORM_PAGE),
            "post",
            ("f_submitted",),
            pk,
            lambda f: {"decision": "approve", "version": f.version, "note": "矩阵"},
        ),
    ),
    "forms:form_issue": (
        Case(post_only(), targets=("f_form",), kwargs=pk),
        Case(acts({"dept_clerk"}, FORM_PAGE), "post", ("f_form",), pk, lambda f: {"period": "2026Q2"}),
    ),
    "forms:form_revise": (
        Case(acts({"dept_clerk"}, 200), targets=("f_form", "f_form_other"), kwargs=pk),
        Case(acts({"dept_clerk"}, FORM_PAGE), "post", ("f_form", "f_form_other"), pk, _revise_page),
    ),
    "forms:form_export": Case(
        seen(), targets=("f_form", "f_form_other"), kwargs=pk, query=lambda f: {"period": "2026Q1"}
    ),
    "forms:annual_list": Case(viewers(), query=YEAR),
    "forms:list_rules": (
        Case(holders({"office"}, 200)),
        Case(
            holders({"office"}, Redirect("/forms/list/")),
            "post",
            data=lambda o: {
                "require_list_item": "on",
                "max_forms_per_department": 2,
                "max_frequency": "monthly",
            },
        ),
    ),
    "forms:tasks": (
        Case(viewers()),
        Case(viewers(), query=lambda o: {"year": 2026, "township": "428521101000", "state": "overdue"}),
    ),
    "forms:schedule": Case(viewers(), query=YEAR),
    "forms:schedule_open": (
        Case(post_only()),
        Case(holders({"office"}, Redirect("/forms/schedule/")), "post", data=lambda o: {}),
    ),
    "forms:schedule_form": (
        Case(seen(), targets=("f_form", "f_form_other"), kwargs=pk),
        Case(
            lambda p, t: (
                LOGIN
                if p == ANON
                else 404
                if p not in SEES[t]
                else SCHEDULE_PAGE
                if p in ("office", "town_hk")
                else 200
                if p == "town_cg"  # 河口镇 is not among its choices: the form is shown again
                else 403
            ),
            "post",
            ("f_form", "f_form_other"),
            pk,
            _township_schedule,
        ),
    ),
    "forms:schedule_due_day": (
        Case(post_only(), targets=("f_form",), kwargs=pk),
        Case(
            acts({"office"}, SCHEDULE_PAGE),
            "post",
            ("f_form", "f_form_other"),
            pk,
            lambda f: {"due_day": "15", "version": _fresh(f).version},
        ),
    ),
    "forms:reporting": (
        Case(viewers(), query=YEAR),
        Case(viewers(), query=lambda o: {"year": 2026, "township": "428521101000", "period": "2026Q1"}),
    ),
    "forms:task_review": (
        Case(post_only(), targets=("f_task_sent",), kwargs=pk),
        Case(
            acts({"town_hk"}, Redirect("/forms/tasks/")),
            "post",
            ("f_task_sent",),
            pk,
            lambda t: {"step": "approve", "version": t.version},
        ),
        Case(
            acts({"office"}, Redirect("/forms/tasks/")),
            "post",
            ("f_task_checked",),
            pk,
            lambda t: {"step": "accept", "version": t.version},
        ),
    ),
    "forms:task_detail": (
        Case(seen(), targets=("f_task", "f_task_jiefang"), kwargs=pk),
        Case(acts(ENTER, TASKS), "post", ("f_task",), pk, _task_page),
    ),
    "forms:counts": Case(viewers(), query=YEAR),
    "forms:categories": (
        Case(viewers()),
        Case(
            holders({"office"}, Redirect("/forms/categories/")),
            "post",
            data=lambda o: {"what": "category", "name": "矩阵页面分类", "options": "甲、乙"},
        ),
    ),
    "forms:breakdown_report": Case(
        seen(view_first=True),
        targets=("f_indicator",),
        kwargs=lambda i: {"pk": Indicator.objects.get(code="JC-201").pk},
        query=lambda o: {"period": "2026"},
    ),
    "forms:breakdown": (
        Case(
            seen(view_first=True),
            targets=("v_taoyuan", "v_other"),
            kwargs=_breakdown_kwargs,
            query=lambda o: {"period": "2026"},
        ),
        Case(
            acts({"village_cadre"}, Redirect("/forms/values/"), view_first=True),
            "post",
            ("v_taoyuan", "v_other"),
            _breakdown_kwargs,
            _cells,
        ),
    ),
    "forms:savings": Case(seen(view_first=True), targets=("v_taoyuan", "v_other"), kwargs=code, query=YEAR),
    "forms:stats": Case(viewers(), query=YEAR),
    "forms:channels": (Case(viewers()), Case(viewers(), query=lambda o: {"flagged": "1"})),
    "forms:channel_new": (
        Case(holders(REGISTER | {"office"}, 200)),
        Case(
            lambda p, t: (
                LOGIN
                if p == ANON
                else Redirect("/forms/channels/")
                if p in ("dept_clerk", "office")
                else 200
                if p == "member"
                else 403
            ),
            "post",
            data=_channel_page,
        ),
    ),
    "forms:channel_detail": (
        Case(seen(), targets=("f_channel", "f_channel_other"), kwargs=pk),
        Case(
            acts({"office"}, Redirect("/forms/channels/")),
            "post",
            ("f_channel", "f_channel_other"),
            pk,
            lambda c: {"status": "closed", "note": "矩阵", "version": c.version},
        ),
    ),
    # API --------------------------------------------------------------------------------------------------
    "api:forms_indicators": Case(viewers(anon=401)),
    "api:forms_indicator_create": Case(holders({"office"}, 201, anon=401), "post", data=_indicator_form),
    "api:forms_duplicates": Case(viewers(anon=401)),
    "api:forms_values": Case(
        seen(anon=401),
        targets=("v_taoyuan", "v_other"),
        query=lambda v: {"village_code": v.code, "period": "2026"},
    ),
    "api:forms_values_enter": Case(
        acts({"village_cadre"}, 200, anon=401),
        "post",
        ("v_taoyuan", "v_other"),
        data=lambda v: {"village_code": v.code, "period": "2026", "values": {"JC-005": "9"}},
    ),
    "api:forms_value_correct": Case(
        acts({"office", "town_hk", "village_cadre"}, 200, anon=401),
        "post",
        ("v_taoyuan",),
        data=lambda v: {
            "village_code": v.code,
            "period": "2026",
            "indicator_code": "JC-001",
            "value": "1530",
            "reason": "矩阵",
        },
    ),
    "api:forms_review": Case(
        seen(anon=401),
        targets=("t_hk", "t_other"),
        query=lambda t: {"township_code": t.code, "period": "2026"},
    ),
    "api:forms_period_lock": Case(
        acts({"office", "town_hk"}, 201, anon=401),
        "post",
        ("t_hk", "t_other"),
        data=lambda t: {"township_code": t.code, "period": "2025"},
    ),
    "api:forms_unlock_request": Case(
        acts({"office", "town_hk"}, 201, anon=401),
        "post",
        ("t_hk", "t_other"),
        data=lambda t: {"township_code": t.code, "period": "2023", "reason": "矩阵：数据录错"},
    ),
    "api:forms_unlock_decide": Case(
        acts({"office"}, 200, anon=401),
        "post",
        ("f_unlock",),
        pk,
        lambda u: {"approve": True, "version": u.version},
    ),
    "api:forms_rules": Case(viewers(anon=401)),
    "api:forms_rule_create": Case(holders({"office"}, 201, anon=401), "post", data=lambda o: _rule_api()),
    "api:forms_rule_update": Case(
        acts({"office"}, 200, anon=401),
        "post",
        ("f_rule",),
        pk,
        lambda r: {**_rule_api(), "version": r.version},
    ),
    "api:forms_rule_active": Case(
        acts({"office"}, 200, anon=401), "post", ("f_rule",), pk, lambda r: {"is_active": False}
    ),
    "api:forms_flags": (
        Case(viewers(anon=401)),
        Case(viewers(anon=401), query=lambda o: {"status": "open", "period": "2025"}),
    ),
    "api:forms_flag_follow_up": Case(
        acts({"office", "town_hk"}, 200, anon=401),
        "post",
        ("f_flag",),
        pk,
        lambda f: {"note": "矩阵：已核实"},
    ),
    "api:forms_revise": Case(
        acts({"dept_clerk"}, 201, anon=401),
        "post",
        ("f_form", "f_form_other"),
        pk,
        lambda f: {
            "reason": "矩阵：增加栏目",
            "fields": [*_field_rows(f), {"label": "矩阵新栏", "unit": "个"}],
        },
    ),
    "api:forms_list": Case(viewers(anon=401)),
    "api:forms_register": Case(
        holders(REGISTER, 201, anon=401),
        "post",
        data=lambda o: {
            "year": 2026,
            "name": "矩阵API表",
            "legal_basis": "依据",
            "frequency": "yearly",
            "fields": [{"label": "矩阵栏目", "justification": "需要"}],
        },
    ),
    "api:forms_detail": Case(seen(anon=401), targets=("f_form", "f_form_other"), kwargs=pk),
    "api:forms_submit": Case(
        acts({"dept_clerk"}, 200, anon=401), "post", ("f_draft",), pk, lambda f: {"version": f.version}
    ),
    "api:forms_approve": Case(
        acts(OWN_FORM_DECIDERS, 200, anon=401), "post", ("f_submitted",), pk, lambda f: {"version": f.version}
    ),
    "api:forms_reject": Case(
        acts(OWN_FORM_DECIDERS, 200, anon=401),
        "post",
        ("f_submitted",),
        pk,
        lambda f: {"version": f.version, "note": "与基础表重复"},
    ),
    "api:forms_issue": Case(
        acts({"dept_clerk"}, 201, anon=401),
        "post",
        ("f_form", "f_form_other"),
        pk,
        lambda f: {"period": "2026Q3"},
    ),
    "api:forms_check": Case(
        lambda p, t: 401 if p == ANON else 403 if p not in VIEW else 200 if p in COUNTY else 404,
        query=lambda o: {
            "department_id": _rs_department().pk,
            "village_code": TAOYUAN_CODE,
            "title": "就业表",
            "on": date(2026, 3, 1).isoformat(),
        },
    ),
    "api:forms_tasks": (
        Case(viewers(anon=401)),
        Case(
            viewers(anon=401), query=lambda o: {"year": 2026, "state": "overdue", "township": "428521101000"}
        ),
    ),
    "api:forms_schedule": Case(viewers(anon=401), query=YEAR),
    "api:forms_schedule_township": Case(
        lambda p, t: (
            401
            if p == ANON
            else 404
            if p not in SEES[t] or p not in HK
            else 200
            if p in ("office", "town_hk")
            else 403
        ),
        "post",
        ("f_form", "f_form_other"),
        pk,
        lambda f: {"township_code": "428521101000", "frequency": "yearly", "due_day": 10},
    ),
    "api:forms_due_day": Case(
        acts({"office"}, 200, anon=401),
        "post",
        ("f_form", "f_form_other"),
        pk,
        lambda f: {"due_day": 15, "version": _fresh(f).version},
    ),
    "api:forms_schedule_open": Case(holders({"office"}, 200, anon=401), "post", data=lambda o: {}),
    "api:forms_reporting": (
        Case(viewers(anon=401), query=YEAR),
        Case(viewers(anon=401), query=lambda o: {"year": 2026, "township": "428521101000"}),
    ),
    "api:forms_task_detail": Case(seen(anon=401), targets=("f_task", "f_task_jiefang"), kwargs=pk),
    "api:forms_task_review": (
        Case(
            acts({"town_hk"}, 200, anon=401),
            "post",
            ("f_task_sent",),
            pk,
            lambda t: {"step": "return", "note": "矩阵：请核实", "version": t.version},
        ),
        Case(
            acts({"office"}, 200, anon=401),
            "post",
            ("f_task_checked",),
            pk,
            lambda t: {"step": "accept", "version": t.version},
        ),
    ),
    "api:forms_task_submit": Case(acts(ENTER, 200, anon=401), "post", ("f_task",), pk, _task_api),
    "api:forms_counts": Case(viewers(anon=401), query=YEAR),
    "api:forms_categories": Case(viewers(anon=401)),
    "api:forms_category_save": Case(
        holders({"office"}, 201, anon=401),
        "post",
        data=lambda o: {"name": "矩阵API分类", "options": ["甲", "乙"]},
    ),
    "api:forms_combo_save": Case(
        holders({"office"}, 201, anon=401),
        "post",
        data=lambda o: {"name": "矩阵API组合", "categories": [_combo().members.get().category_id]},
    ),
    "api:forms_indicator_combo": Case(
        holders({"office"}, 200, anon=401),
        "post",
        data=lambda o: {"indicator_code": "JC-202", "combo": _combo().pk},
    ),
    "api:forms_breakdown": Case(
        seen(anon=401, view_first=True),
        targets=("v_taoyuan", "v_other"),
        kwargs=lambda v: {"code": v.code, "indicator_code": "JC-201"},
        query=lambda o: {"period": "2026"},
    ),
    "api:forms_breakdown_enter": Case(
        acts({"village_cadre"}, 200, anon=401),
        "post",
        ("v_taoyuan", "v_other"),
        lambda v: {"code": v.code, "indicator_code": "JC-201"},
        lambda v: {"period": "2026", "values": {key: "3" for key, _ in services.cells(_combo())}},
    ),
    "api:forms_breakdown_report": Case(
        viewers(anon=401),
        targets=("f_indicator",),
        kwargs=lambda o: {"indicator_code": "JC-201"},
        query=lambda o: {"period": "2026"},
    ),
    "api:forms_savings": Case(
        seen(anon=401, view_first=True), targets=("v_taoyuan", "v_other"), kwargs=code, query=YEAR
    ),
    "api:forms_stats": Case(viewers(anon=401), query=YEAR),
    "api:forms_channels": Case(viewers(anon=401)),
    "api:forms_channel_register": Case(
        lambda p, t: (
            401
            if p == ANON
            else 201
            if p in ("office", "dept_clerk")
            else 403
            if p in COUNTY | {"admin"}
            else 404
        ),
        "post",
        data=lambda o: {
            "kind": "qq",
            "name": "矩阵群",
            "department_id": _rs_department().pk,
            "region_code": "428521000000",
            "purpose": "联络",
            "uses": ["work"],
        },
    ),
    "api:forms_channel_status": Case(
        acts({"office"}, 200, anon=401),
        "post",
        ("f_channel", "f_channel_other"),
        pk,
        lambda c: {"status": "closed", "note": "矩阵", "version": c.version},
    ),
}
