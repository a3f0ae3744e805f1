"""Templates as data: what a template may contain, how values are checked, how the body is filled."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jianfu.certificates.template_fields import (
    clean_values,
    format_field_lines,
    parse_field_lines,
    render_body,
    spec_problems,
)

TODAY = date(2025, 6, 1)
FIELDS = [
    {"name": "address", "label": "居住地址", "kind": "text"},
    {"name": "since", "label": "居住起始日期", "kind": "date", "not_future": True},
    {"name": "household", "label": "家庭人口", "kind": "integer"},
    {"name": "area", "label": "面积", "kind": "decimal", "required": False},
    {"name": "how", "label": "核实方式", "kind": "choice", "choices": ["入户走访核实", "网格员核实"]},
    {"name": "story", "label": "情况", "kind": "textarea", "required": False},
]


def test_it_accepts_a_template_whose_placeholders_all_have_fields():
    assert spec_problems(FIELDS, "{resident_name}自{since}起居住在{village}{address}，{how}。") == []


@pytest.mark.parametrize(
    ("fields", "body", "words"),
    [
        ([{"name": "resident_name", "label": "姓名"}], "{resident_name}", "平台保留的占位符"),
        ([{"name": "Address", "label": "地址"}], "{village}", "须以小写字母开头"),
        ([{"name": "a", "label": "甲"}, {"name": "a", "label": "乙"}], "{a}", "字段名称“a”重复"),
        ([{"name": "a", "label": ""}], "{a}", "缺少显示名称"),
        ([{"name": "a", "label": "甲", "kind": "photo"}], "{a}", "类型“photo”无效"),
        ([{"name": "a", "label": "甲", "kind": "choice"}], "{a}", "须列出可选值"),
        ([{"name": "a", "label": "甲"}], "{a}{b}", "占位符 {b} 没有对应的字段"),
        ([], "  ", "正文模板不能为空"),
        ("address", "{village}", "字段定义须为列表"),
    ],
)
def test_it_names_what_is_wrong_with_a_template(fields, body, words):
    assert any(words in problem for problem in spec_problems(fields, body))


def test_it_turns_values_into_the_text_of_the_document():
    values = clean_values(
        FIELDS,
        {
            "address": " 三组12号 ",
            "since": "2009-05-01",
            "household": "04",
            "area": "120.50",
            "how": "网格员核实",
            "story": "",
        },
        TODAY,
    )
    assert values == {
        "address": "三组12号",
        "since": "2009年5月1日",
        "household": "4",
        "area": "120.5",
        "how": "网格员核实",
        "story": "",
    }


def test_it_names_every_bad_field_at_once():
    with pytest.raises(ValidationError) as caught:
        clean_values(
            FIELDS,
            {
                "address": "一\n二",
                "since": "2030-01-01",
                "household": "四",
                "area": "-1",
                "how": "打电话问的",
            },
            TODAY,
        )
    errors = {k: v[0] for k, v in caught.value.message_dict.items()}
    assert errors == {
        "address": "“居住地址”只能填写一行。",
        "since": "“居住起始日期”不能晚于今天。",
        "household": "“家庭人口”应为不小于 0 的整数。",
        "area": "“面积”应为不小于 0 的数字。",
        "how": "“核实方式”只能选择：入户走访核实、网格员核实。",
    }


def test_it_requires_required_fields_and_dates_in_iso_form():
    with pytest.raises(ValidationError) as caught:
        clean_values(FIELDS, {"since": "2009/5/1"}, TODAY)
    errors = caught.value.message_dict
    assert errors["address"] == ["请填写“居住地址”。"] and errors["how"] == ["请填写“核实方式”。"]
    assert "应为日期" in errors["since"][0] and "story" not in errors and "area" not in errors


def test_it_fills_the_body_without_evaluating_anything():
    body = "{resident_name}住在{address}。{resident_name.__class__}{missing}"
    assert (
        render_body(body, {"resident_name": "张三", "address": "一号"})
        == "张三住在一号。{resident_name.__class__}"
    )


def test_it_round_trips_the_office_line_editor():
    text = format_field_lines(FIELDS)
    assert "since|居住起始日期|date|是|||不晚于今天" in text
    assert "how|核实方式|choice|是|入户走访核实/网格员核实" in text
    parsed = parse_field_lines(text + "\n\n")
    assert [f["name"] for f in parsed] == [f["name"] for f in FIELDS]
    assert parsed[1]["not_future"] is True and parsed[3]["required"] is False
    assert parsed[4]["choices"] == ["入户走访核实", "网格员核实"]
