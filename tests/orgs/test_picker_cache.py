"""The region picker's options are cached under the region tree's stamp (orgs.regioncache, #23): built once for
many requests, and every write of regions (add, rename, retire, import, a move as new + retired) shows on the
very next request. The pages show exactly what they showed when the options were built on every request."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianfu.monitoring.models import VIEW_CAPABILITIES
from jianfu.orgs import pickers, regioncache, services
from jianfu.orgs.imports import COLUMNS, import_regions
from jianfu.orgs.models import Level, Region, RegionStamp
from tests.conftest import PERSONAS
from tests.orgs.test_imports import xlsx

DASHBOARD = "/monitoring/dashboard/"


def _select(client, url=DASHBOARD, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return re.search(
        r'<select class="form-select" id="[df]-region".*?</select>', response.content.decode(), re.S
    )[0]


def _options(select: str) -> list[tuple[str, str]]:
    return re.findall(r'<option value="(\d{12})"(?: selected)?>([^<]*)</option>', select)


def _picker_reads(queries) -> int:
    """Reads of the picker's regions: active regions between two levels."""
    return sum(
        '"orgs_region"."is_active"' in q["sql"] and '"orgs_region"."level" <= ' in q["sql"] for q in queries
    )


def test_the_picker_is_built_once_for_two_requests(world, login, monkeypatch):
    built = []
    build = pickers._choices
    monkeypatch.setattr(pickers, "_choices", lambda *a: built.append(a) or build(*a))
    client = login(world.inspector)
    with CaptureQueriesContext(connection) as first:
        _select(client)
    with CaptureQueriesContext(connection) as second:
        _select(client)
    assert len(built) == 1
    assert _picker_reads(first.captured_queries) == 2  # the size probe and the options
    assert _picker_reads(second.captured_queries) == 0
    assert len(second.captured_queries) <= len(first.captured_queries) - 2  # two reads for the stamp's one


def test_people_acting_on_the_same_regions_share_one_build(world, login, django_user_model, monkeypatch):
    built = []
    build = pickers._choices
    monkeypatch.setattr(pickers, "_choices", lambda *a: built.append(a) or build(*a))
    first = pickers.region_picker(world.inspector, *VIEW_CAPABILITIES)
    again = pickers.region_picker(world.inspector, *VIEW_CAPABILITIES, selected=world.township_hk.code)
    township = pickers.region_picker(world.town_hk, *VIEW_CAPABILITIES)
    assert len(built) == 2  # the county's options once, the township's once
    assert first.choices == again.choices and first.options_html != again.options_html
    assert f'<option value="{world.township_hk.code}" selected>' in again.options_html
    assert township.choices != first.choices


def test_a_rename_shows_on_the_next_request(world, login):
    client = login(world.inspector)
    assert (world.village_taoyuan.code, "桃园村") in _options(_select(client))
    village = Region.objects.get(pk=world.village_taoyuan.pk)
    services.region_update(actor=world.admin, region=village, expected_version=village.version, name="桃源村")
    options = _options(_select(client))
    assert (world.village_taoyuan.code, "桃源村") in options
    assert (world.village_taoyuan.code, "桃园村") not in options


def _new_village(world) -> Region:
    return services.region_create(
        actor=world.admin,
        code="428521101299",
        name="新建村",
        level=Level.VILLAGE,
        kind="village",
        parent=world.township_hk,
    )


def test_an_added_region_shows_on_the_next_request(world, login):
    client = login(world.inspector)
    assert "428521101299" not in dict(_options(_select(client)))
    _new_village(world)
    assert dict(_options(_select(client)))["428521101299"] == "新建村"


def test_a_retired_region_leaves_on_the_next_request(world, login):
    client = login(world.inspector)
    assert world.village_taoyuan.code in dict(_options(_select(client)))
    services.region_set_active(actor=world.admin, region=world.village_taoyuan, active=False)
    assert world.village_taoyuan.code not in dict(_options(_select(client)))


def test_an_import_and_a_move_show_on_the_next_request(world, login):
    """A village moves as the import allows it: a new code under its new township, the old one retired."""
    client = login(world.inspector)
    before = _select(client)
    assert '<optgroup label="城关街道">' in before and "428521001250" not in before
    file = xlsx(
        COLUMNS["regions"],
        ["428521001250", "桃园村", "村（社区）", "村", world.township_cg.code],
        [world.community_jiefang.code, "解放路东社区", "村（社区）", "社区", world.township_cg.code],
    )
    import_regions(actor=world.admin, fileobj=file, filename="调整.xlsx")
    services.region_set_active(actor=world.admin, region=world.village_taoyuan, active=False)
    after = _select(client)
    chengguan = re.search(r'<optgroup label="城关街道">.*?</optgroup>', after)[0]
    assert '<option value="428521001250">桃园村</option>' in chengguan
    assert f'<option value="{world.community_jiefang.code}">解放路东社区</option>' in chengguan
    assert world.village_taoyuan.code not in after


def test_every_region_write_gives_the_tree_a_new_stamp_and_a_rolled_back_one_does_not(world):
    from django.db import transaction

    stamps = [regioncache.current()]
    village = Region.objects.get(pk=world.village_taoyuan.pk)
    services.region_update(actor=world.admin, region=village, expected_version=village.version, name="桃源村")
    stamps.append(regioncache.current())
    with pytest.raises(RuntimeError), transaction.atomic():
        services.region_set_active(actor=world.admin, region=village, active=False)
        assert regioncache.current() not in stamps
        raise RuntimeError
    assert regioncache.current() == stamps[-1]
    assert len(set(stamps)) == 2


def test_the_stamp_is_made_on_first_use(db):
    RegionStamp.objects.all().delete()
    stamp = regioncache.current()
    assert regioncache.current() == stamp == RegionStamp.objects.get().stamp
    regioncache.bump()
    assert regioncache.current() != stamp and RegionStamp.objects.count() == 1


def _options_html_as_before(choices, selected: str) -> str:
    """What ``RegionPicker.options_html`` returned when the options were built on every request (b0 of #23)."""
    parts = []
    for group, options in choices:
        parts.append(f'<optgroup label="{html.escape(str(group))}">')
        for code, name in options:
            chosen = " selected" if code == selected else ""
            parts.append(
                f'<option value="{html.escape(str(code))}"{chosen}>{html.escape(str(name))}</option>'
            )
        parts.append("</optgroup>")
    return "".join(parts)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_the_personas_see_the_options_they_saw_before(world, client, persona):
    """Cold and warm, the dashboard's and the events list's pickers hold what the uncached build gives: the
    scoped regions grouped (``group_regions`` over model instances) and escaped as before."""
    user = world.people[persona]
    client.force_login(user)
    if client.get(DASHBOARD).status_code != 200:
        pytest.skip(f"{persona} has no dashboard")
    expected = pickers.group_regions(pickers.scoped_regions(user, *VIEW_CAPABILITIES))
    chosen = world.township_hk.code if world.township_hk.code in pickers.flat_codes(expected) else ""
    for url in (DASHBOARD, "/monitoring/events/"):
        for params in ({}, {"region": chosen} if chosen else {}):
            pages = [_select(client, url, **params) for _ in range(2)]
            assert pages[0] == pages[1]
            inner = re.search(
                r"<select[^>]*>\s*(?:<option value=\"\">[^<]*</option>)?\s*(.*?)\s*</select>", pages[0], re.S
            )
            selected = re.findall(r'<option value="(\d+)" selected>', inner[1])
            assert selected == ([chosen] if params else selected[:1])
            assert inner[1] == _options_html_as_before(expected, selected[0] if selected else "")


def test_the_home_pages_region_counts_are_read_once_and_follow_every_write(world, login):
    """The home page's scope card counts the scope's regions by level and kind under the same stamp."""
    from jianfu.orgs.selectors import scope_summary

    def counts_read(queries) -> int:
        return sum('COUNT("orgs_region"."id")' in q["sql"] for q in queries)

    with CaptureQueriesContext(connection) as first:
        before = scope_summary(world.inspector)
    with CaptureQueriesContext(connection) as second:
        assert scope_summary(world.inspector) == before
    assert (counts_read(first.captured_queries), counts_read(second.captured_queries)) == (1, 0)
    _new_village(world)
    assert scope_summary(world.inspector)["villages"] == before["villages"] + 1
    services.region_set_active(actor=world.admin, region=world.village_taoyuan, active=False)
    assert scope_summary(world.inspector)["villages"] == before["villages"]
    page = login(world.inspector).get("/home/").content.decode()
    assert _stat(page, "村") == before["villages"]


def _stat(page: str, label: str) -> int:
    return int(re.search(rf'stat-label">{label}</div><div class="stat-value">(\d+)<', page)[1])
