"""The one table for tests: 清河县's base indicators and rules, 桃园村's values, and 县人社局's form in the 2026
list, issued for 2026 and filled by 桃园村."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file
from jianfu.forms import services
from jianfu.forms.models import DepartmentForm, FormTask, Indicator, ValidationRule

YEAR = 2026
INDICATORS = [  # code, name, unit, value_type, min, max
    ("JC-001", "常住人口", "人", "integer", 0, 200000),
    ("JC-002", "户籍户数", "户", "integer", 0, 100000),
    ("JC-003", "80岁以上老人数", "人", "integer", 0, 20000),
    ("JC-004", "村集体经济收入", "万元", "decimal", 0, 100000),
    ("JC-005", "低保户数", "户", "integer", 0, 10000),
]


@dataclass
class OneTable:
    indicators: dict
    form: DepartmentForm
    task: FormTask


def load_lists():
    for name in ("city_duty.yaml", "city_assist.yaml"):
        load_reference_file(Path(REFERENCE_DIR) / name)


def make_indicators(world, with_lists: bool = True) -> dict:
    if with_lists:
        load_lists()
    made = {}
    for code, name, unit, value_type, low, high in INDICATORS:
        existing = Indicator.objects.filter(region=world.county, code=code).first()
        made[code] = existing or services.indicator_save(
            actor=None,
            region=world.county,
            code=code,
            name=name,
            unit=unit,
            value_type=value_type,
            period="yearly",
            min_value=low,
            max_value=high,
            owner_department=world.dept_mz,
        )
    if not ValidationRule.objects.exists():
        services.rule_save(
            actor=None,
            left=made["JC-002"],
            operator="le",
            right=made["JC-001"],
            message="户籍户数不应超过常住人口",
        )
        services.rule_save(actor=None, left=made["JC-003"], operator="le", right=made["JC-001"])
    return made


def register_rs_form(world, name="2026年就业和社保基础信息表", **overrides) -> DepartmentForm:
    arguments = dict(
        department=world.dept_rs,
        region=world.county,
        year=YEAR,
        name=name,
        legal_basis="《就业促进法》第十一条",
        frequency="quarterly",
        list_item_code="SZ-RS-XZ-001",
        fields=[
            {"label": "常住人口数", "unit": "人"},
            {"label": "户籍户数", "unit": "户"},
            {"label": "外出务工人数", "unit": "人", "justification": "就业监测需要，基础表无此项"},
        ],
    )
    arguments.update(overrides)
    return services.form_register(actor=world.dept_clerk, **arguments)


def one_table(world, with_lists: bool = True) -> OneTable:
    """``with_lists=False`` leaves the catalog alone (the permission matrix shares its world with the classifier's
    cases): the county's list rules then do not require a list item."""
    made = make_indicators(world, with_lists)
    if not with_lists:
        services.list_rules_save(
            actor=None,
            region=world.county,
            require_list_item=False,
            max_forms_per_department=1,
            max_frequency="monthly",
        )
    services.values_enter(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        period=str(YEAR),
        values={made["JC-001"]: "1520", made["JC-002"]: "430", made["JC-003"]: "61"},
    )
    form = register_rs_form(world) if with_lists else register_rs_form(world, list_item_code="")
    fields = {f.label: f for f in form.fields.all()}
    services.field_map(actor=world.dept_clerk, field=fields["常住人口数"], indicator=made["JC-001"])
    services.field_map(actor=world.dept_clerk, field=fields["户籍户数"], indicator=made["JC-002"])
    services.form_submit(actor=world.dept_clerk, form=form)
    form = services.form_approve(actor=world.office, form=form, note="服务就业援助协助事项")
    issue = services.form_issue(actor=world.dept_clerk, form=form, period=f"{YEAR}Q1")
    task = issue.tasks.get(village=world.village_taoyuan)
    return OneTable(made, form, task)


@pytest.fixture
def table(world) -> OneTable:
    return one_table(world)
