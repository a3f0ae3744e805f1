"""The region picker: options scoped through orgs.access, grouped by township, names not codes; the pages that
asked for a 12-digit code now offer it; refused forms start with an error summary linked to each field."""

import re

from jianfu.monitoring.models import VIEW_CAPABILITIES
from jianfu.orgs.models import Level
from jianfu.orgs.pickers import MAX_OPTIONS, flat_codes, group_regions, region_choices, scoped_regions


def _labels(choices):
    return {label for _, options in choices for _, label in options}


def test_a_county_sees_its_townships_as_groups_with_their_villages(world):
    choices = region_choices(world.inspector, *VIEW_CAPABILITIES)
    groups = dict(choices)
    assert ("428521000000", world.county.name) in groups["县市"]
    hekou = groups[world.township_hk.name]
    assert hekou[0] == (world.township_hk.code, "河口镇（全镇）")
    assert (world.village_taoyuan.code, "桃园村") in hekou
    assert world.other_village.code not in flat_codes(choices)  # the neighbouring county is not offered


def test_a_township_sees_only_its_own_subtree_and_a_village_only_itself(world):
    township = flat_codes(region_choices(world.town_hk, *VIEW_CAPABILITIES))
    assert world.village_taoyuan.code in township and world.community_jiefang.code not in township
    assert world.county.code not in township
    assert region_choices(world.grid_worker, *VIEW_CAPABILITIES) == []


def test_a_wide_scope_lists_townships_only(world, monkeypatch):
    monkeypatch.setattr("jianfu.orgs.pickers.MAX_OPTIONS", 3)
    choices = group_regions(scoped_regions(world.inspector, *VIEW_CAPABILITIES))
    assert world.village_taoyuan.code not in flat_codes(choices)
    assert world.township_hk.code in flat_codes(choices)
    assert MAX_OPTIONS > 1000
    townships = group_regions(scoped_regions(world.inspector, *VIEW_CAPABILITIES, lowest=Level.TOWNSHIP))
    assert "河口镇" in _labels(townships)


def test_the_dashboard_and_events_offer_names_not_a_code_box(world, login):
    client = login(world.inspector)
    for url in ("/monitoring/dashboard/", "/monitoring/events/"):
        html = client.get(url).content.decode()
        assert "区划代码" not in html
        assert re.search(
            r'<select class="form-select" id="[df]-region" name="region" data-region-picker', html
        )
        assert '<optgroup label="河口镇">' in html and ">桃园村</option>" in html
    chosen = client.get("/monitoring/dashboard/", {"region": world.village_taoyuan.code}).content.decode()
    assert f'<option value="{world.village_taoyuan.code}" selected>桃园村</option>' in chosen


def test_a_point_is_set_by_picking_the_village_by_name(world, login):
    client = login(world.office)
    page = client.get("/monitoring/points/").content.decode()
    assert "12 位" not in page and "data-region-picker" in page and ">桃园村</option>" in page
    outside = client.post("/monitoring/points/", {"village": world.other_village.code})
    html = outside.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_village"' in html


def test_a_refused_form_starts_with_a_summary_linked_to_each_field(world, login):
    client = login(world.grid_worker)
    html = client.post("/grid/report/", {"building": "3栋"}).content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    links = re.findall(r'<a href="#(id_\w+)">', summary)
    assert links, summary
    for target in links:
        assert f'id="{target}"' in html
    assert summary.find("提交未成功") >= 0


def test_the_options_are_escaped_as_django_escapes_them(world):
    from django.utils.html import escape

    from jianfu.orgs.pickers import RegionPicker

    name = "桃园<b>&\"'村"
    picker = RegionPicker(
        name="region", label="区划", choices=[("河口<镇>", [("1&2", name)])], selected="1&2"
    )
    assert picker.options_html == (
        f'<optgroup label="{escape("河口<镇>")}"><option value="{escape("1&2")}" selected>{escape(name)}</option>'
        "</optgroup>"
    )
    assert "<b>" not in picker.options_html


def test_the_regions_of_a_level_inside_a_subtree_have_an_index(world):
    """A province's picker lists its 2,111 regions above villages and its dashboard its 10 prefectures; through the
    code index alone each read all 82,111 of its regions (14 and 12 ms a page at province scale, #23). An index
    led by the level finds only those."""
    from django.db import connection

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "orgs_region")
    assert any(c["index"] and c["columns"] == ["level", "code"] for c in found.values())
