"""Categories: the county breaks 常住人口 down by 性别 × 年龄段; 桃园村 enters each cell once; the value is their sum,
served to the form that asks for the total, and reports add the cells and the totals alike."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.forms import selectors, services
from jianfu.forms.models import BaseValue, BreakdownValue, Indicator
from tests.forms.conftest import YEAR, make_indicators, one_table


def _combo(world):
    sex = services.category_save(actor=world.office, region=world.county, name="性别", options=["男", "女"])
    age = services.category_save(
        actor=world.office, region=world.county, name="年龄段", options=["0–17 岁", "18–59 岁", "60 岁及以上"]
    )
    return services.combo_save(
        actor=world.office, region=world.county, name="性别×年龄段", categories=[sex, age]
    )


def _broken_down(world):
    made = make_indicators(world)
    combo = _combo(world)
    indicator = services.indicator_combo_set(actor=world.office, indicator=made["JC-001"], combo=combo)
    return indicator, combo


def _values(combo, numbers):
    return {key: str(n) for (key, _), n in zip(services.cells(combo), numbers, strict=True)}


def test_it_sums_the_cells_into_the_value_a_form_is_served(world):
    table = one_table(world)
    combo = _combo(world)
    # 桃园村 typed 1520 before the breakdown; the county breaks it down only while no cell was entered
    indicator = services.indicator_combo_set(
        actor=world.office, indicator=table.indicators["JC-001"], combo=combo
    )
    assert [label for _, label in services.cells(combo)][:2] == ["男 · 0–17 岁", "男 · 18–59 岁"]
    saved = services.breakdown_enter(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        indicator=indicator,
        period=str(YEAR),
        values=_values(combo, [120, 480, 160, 110, 470, 190]),
    )
    assert saved.number == Decimal(1530)
    assert BreakdownValue.objects.filter(village=world.village_taoyuan, indicator=indicator).count() == 6
    field = table.form.fields.get(indicator=indicator)
    assert services.served_value(table.task, field).value == "1530"  # the form asks for the total
    # entered once: the same cells again change nothing, and history keeps the earlier total
    again = services.breakdown_enter(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        indicator=indicator,
        period=str(YEAR),
        values=_values(combo, [120, 480, 160, 110, 470, 190]),
    )
    assert again is None
    assert list(saved.history.values_list("value", flat=True)) == ["1530", "1520"]


def test_it_refuses_a_total_typed_for_a_broken_down_indicator_and_a_bad_cell_naming_it(world):
    indicator, combo = _broken_down(world)
    with pytest.raises(ValidationError, match="分项填报，合计由各分项相加"):
        services.values_enter(
            actor=world.village_cadre,
            village=world.village_taoyuan,
            period=str(YEAR),
            values={indicator: "900"},
        )
    numbers = _values(combo, [1, 2, 3, 4, 5, 6])
    keys = list(numbers)
    for bad, message in (
        ("", "「男 · 0–17 岁」不能为空"),
        ("-3", "不能小于 0"),
        ("2.5", "应填整数"),
        ("abc", "不是数字"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.breakdown_enter(
                actor=world.village_cadre,
                village=world.village_taoyuan,
                indicator=indicator,
                period=str(YEAR),
                values={**numbers, keys[0]: bad},
            )
    assert not BreakdownValue.objects.exists() and not BaseValue.objects.filter(indicator=indicator).exists()
    with pytest.raises(ValidationError, match="不能大于 200000"):  # the indicator's range holds for the sum
        services.breakdown_enter(
            actor=world.village_cadre,
            village=world.village_taoyuan,
            indicator=indicator,
            period=str(YEAR),
            values=_values(combo, [100000, 100000, 1, 0, 0, 0]),
        )
    with pytest.raises(PermissionDenied):
        services.breakdown_enter(
            actor=world.town_hk,
            village=world.village_taoyuan,
            indicator=indicator,
            period=str(YEAR),
            values=numbers,
        )


def test_it_keeps_combinations_in_use_and_names_bad_definitions(world):
    indicator, combo = _broken_down(world)
    with pytest.raises(ValidationError, match="至少要有两个"):
        services.category_save(actor=world.office, region=world.county, name="户别", options=["农业"])
    with pytest.raises(ValidationError, match="重复"):
        services.category_save(actor=world.office, region=world.county, name="户别", options=["甲", "甲"])
    with pytest.raises(ValidationError, match="已经有了"):
        services.category_save(actor=world.office, region=world.county, name="性别", options=["男", "女"])
    with pytest.raises(PermissionDenied):
        services.category_save(
            actor=world.village_cadre, region=world.county, name="户别", options=["甲", "乙"]
        )
    services.breakdown_enter(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        indicator=indicator,
        period=str(YEAR),
        values=_values(combo, [1, 2, 3, 4, 5, 6]),
    )
    with pytest.raises(ValidationError, match="不能更换分类组合"):
        services.indicator_combo_set(
            actor=world.office, indicator=Indicator.objects.get(pk=indicator.pk), combo=None
        )
    sex = services.combo_categories(combo)[0]
    with pytest.raises(ValidationError, match="已有村（社区）填报的数据，不能删除"):
        services.category_save(
            actor=world.office, region=world.county, name="性别", options=["男", "未说明"], category=sex
        )
    with pytest.raises(ValidationError, match="不能改变其中的分类"):
        services.combo_save(
            actor=world.office, region=world.county, name="性别", categories=[sex], combo=combo
        )


def test_a_report_adds_up_the_cells_and_the_totals_alike(world):
    indicator, combo = _broken_down(world)
    others = world.township_hk.children.filter(is_active=True).exclude(pk=world.village_taoyuan.pk)
    villages = [world.village_taoyuan, others.order_by("code").first()]
    numbers = {villages[0]: [1, 2, 3, 4, 5, 6], villages[1]: [10, 20, 30, 40, 50, 60]}
    for village, row in numbers.items():
        actor = world.village_cadre if village == world.village_taoyuan else None  # None: a data load
        services.breakdown_enter(
            actor=actor, village=village, indicator=indicator, period=str(YEAR), values=_values(combo, row)
        )
    report = selectors.breakdown_report(world.office, indicator=indicator, period=str(YEAR))
    assert [c["number"] for c in report["cells"]] == [11, 22, 33, 44, 55, 66]
    assert report["total"] == report["base_total"] == 231 and report["villages"] == 2
    township = selectors.breakdown_report(world.town_cg, indicator=indicator, period=str(YEAR))
    assert township["total"] == 0  # 城关街道 sees none of 河口镇's villages


def test_the_county_defines_a_combination_on_its_page_and_a_village_fills_the_grid(world, login):
    made = make_indicators(world)
    client = login(world.office)
    assert (
        client.post(
            "/forms/categories/", {"what": "category", "name": "性别", "options": "男、女"}
        ).status_code
        == 302
    )
    client.post(
        "/forms/categories/",
        {"what": "category", "name": "年龄段", "options": "0–17 岁\n18–59 岁\n60 岁及以上"},
    )
    sex, age = selectors.categories(world.office).order_by("pk")
    page = client.post(
        "/forms/categories/", {"what": "combo", "name": "性别×年龄段", "categories": [sex.pk, age.pk]}
    )
    assert page.status_code == 302
    combo = selectors.combos(world.office).get()
    client.post(
        "/forms/categories/", {"what": "indicator", "indicator": made["JC-001"].pk, "combo": combo.pk}
    )
    bad = client.post("/forms/categories/", {"what": "category", "name": "户别", "options": "甲"})
    assert "「选项」至少要有两个" in bad.content.decode()
    village = login(world.village_cadre)
    url = f"/forms/values/{world.village_taoyuan.code}/breakdown/{made['JC-001'].pk}/?period={YEAR}"
    grid = village.get(url).content.decode()
    assert "男 · 18–59 岁" in grid and 'inputmode="numeric"' in grid
    keys = [k for k, _ in services.cells(combo)]
    wrong = village.post(url, {"period": str(YEAR), **{f"c_{k}": "1" for k in keys[1:]}})
    assert "「男 · 0–17 岁」不能为空" in wrong.content.decode()
    done = village.post(url, {"period": str(YEAR), **{f"c_{k}": str(n) for n, k in enumerate(keys, 1)}})
    assert done.status_code == 302
    assert BaseValue.objects.get(indicator=made["JC-001"], village=world.village_taoyuan).value == "21"
    values = village.get(f"/forms/values/{world.village_taoyuan.code}/?period={YEAR}").content.decode()
    assert "按性别×年龄段分项填写" in values
    report = login(world.office).get(f"/forms/categories/{made['JC-001'].pk}/report/?period={YEAR}")
    assert "各分项相加 21，与各村（社区）常住人口合计 21 一致" in report.content.decode()
    api = login(world.village_cadre).get(
        f"/api/v1/forms/values/{world.village_taoyuan.code}/breakdown/JC-001", {"period": str(YEAR)}
    )
    assert [c["value"] for c in api.json()["cells"]] == [str(n) for n in range(1, 7)]


def test_the_api_defines_and_enters_a_breakdown_with_chinese_errors(world, login):
    make_indicators(world)
    office = login(world.office)
    sex = office.post(
        "/api/v1/forms/categories", {"name": "性别", "options": ["男", "女"]}, content_type="application/json"
    )
    assert sex.status_code == 201, sex.content
    combo = office.post(
        "/api/v1/forms/combos",
        {"name": "按性别", "categories": [sex.json()["id"]]},
        content_type="application/json",
    )
    assert combo.status_code == 201 and len(combo.json()["cells"]) == 2
    office.post(
        "/api/v1/forms/indicators/combo",
        {"indicator_code": "JC-003", "combo": combo.json()["id"]},
        content_type="application/json",
    )
    cadre = login(world.village_cadre)
    url = f"/api/v1/forms/values/{world.village_taoyuan.code}/breakdown/JC-003"
    keys = [c["key"] for c in combo.json()["cells"]]
    bad = cadre.post(
        url, {"period": str(YEAR), "values": {keys[0]: "-1", keys[1]: "3"}}, content_type="application/json"
    )
    assert bad.status_code == 400 and "不能小于 0" in bad.json()["error"]["message"]
    ok = cadre.post(
        url, {"period": str(YEAR), "values": {keys[0]: "20", keys[1]: "33"}}, content_type="application/json"
    )
    assert ok.json() == {"indicator_code": "JC-003", "period": str(YEAR), "total": "53", "changed": True}
    report = office.get("/api/v1/forms/categories/report/JC-003", {"period": str(YEAR)}).json()
    assert report["total"] == report["base_total"] == "53"


def test_a_village_sees_what_each_form_saved_it_beside_the_county_and_jiangxi(world, login):
    table = one_table(world)
    services.task_submit(
        actor=world.village_cadre,
        task=table.task,
        typed={f.pk: "12" for f in table.form.fields.filter(indicator=None)},
    )
    saved = selectors.village_savings(world.village_cadre, world.village_taoyuan, YEAR)
    assert saved["forms"][0]["served"] == 2 and saved["forms"][0]["typed"] == 1
    assert saved["total"]["share"] == 66.7
    page = (
        login(world.village_cadre)
        .get(f"/forms/savings/{world.village_taoyuan.code}/?year={YEAR}")
        .content.decode()
    )
    assert table.form.name in page and "66.7%" in page
    assert "91 → 39（65.3%）" in page and "https://www.jxdata.com/news/detail/1160.html" in page
    assert "state=submitted" in page and 'id="data-savings"' in page
    api = (
        login(world.office).get(f"/api/v1/forms/savings/{world.village_taoyuan.code}", {"year": YEAR}).json()
    )
    assert api["total"]["served"] == 2 and api["county"]["forms_after"] >= 1
