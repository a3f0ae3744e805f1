"""Region settings (区划设置): dated versions inherited down the tree, set by a county's office, checked and
audited; a bad value is refused naming the field and changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.orgs import region_settings, services
from jianfu.orgs.models import RegionSetting
from jianfu.orgs.region_settings import register_setting, setting_in_force, setting_value

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture
def specs():
    """Settings of the shapes the apps use, registered for the test only."""
    registered = set(region_settings.SETTINGS)
    closed_since: dict[str, date] = {}

    def closed(region, since):
        day = closed_since.get(region.code)
        return f"{day:%Y年}乡镇分类已定档" if day and day >= since else ""

    register_setting(
        "test.limit", label="初审时限", default=5, kind="int", unit=" 个工作日", minimum=1, maximum=60
    )
    register_setting(
        "test.weights",
        label="乡镇分类权重",
        default={"a": 50, "b": 30, "c": 20},
        kind="weights",
        parts={"a": "年度考核", "b": "满意度", "c": "减负成效"},
        closed=closed,
    )
    register_setting(
        "test.staff",
        label="社区工作者配备",
        default={"min": 5, "max": 7},
        kind="range",
        unit=" 人",
        minimum=0,
    )
    yield closed_since
    for key in set(region_settings.SETTINGS) - registered:
        del region_settings.SETTINGS[key]


def _set(world, key, value, *, region=None, on=TODAY, actor=None):
    return services.region_setting_set(
        actor=actor or world.office,
        region=region or world.county,
        key=key,
        value=value,
        effective_from=on,
        reason="县委常委会会议研究",
    )


def test_it_gives_the_default_until_a_county_sets_its_own(world, specs):
    assert setting_value(world.village_taoyuan, "test.limit") == 5
    _set(world, "test.limit", 3)
    assert setting_value(world.village_taoyuan, "test.limit") == 3
    assert setting_value(world.county, "test.limit") == 3
    assert setting_value(world.other_village, "test.limit") == 5  # 东岭县 keeps the default


def test_a_version_applies_from_its_date_and_earlier_dates_keep_theirs(world, specs):
    _set(world, "test.limit", 4)
    _set(world, "test.limit", 8, on=TOMORROW)
    assert setting_value(world.township_hk, "test.limit") == 4
    assert setting_value(world.township_hk, "test.limit", on=TOMORROW) == 8
    assert setting_value(world.township_hk, "test.limit", on=TODAY - timedelta(days=1)) == 5
    in_force = setting_in_force(world.township_hk, "test.limit", on=TOMORROW)
    assert in_force.version.effective_from == TOMORROW
    assert "清河县" in in_force.describe() and "8 个工作日" in in_force.describe()


def test_the_nearest_region_above_wins(world, specs):
    services.region_setting_set(
        actor=None, region=world.province, key="test.limit", value=10, effective_from=TODAY, reason="省定"
    )
    assert setting_value(world.other_village, "test.limit") == 10
    _set(world, "test.limit", 6)
    assert setting_value(world.village_taoyuan, "test.limit") == 6
    assert setting_value(world.other_village, "test.limit") == 10


def test_each_version_is_kept_and_audited(world, specs):
    _set(world, "test.limit", 3)
    _set(world, "test.limit", 4)
    assert RegionSetting.objects.filter(key="test.limit").count() == 2
    record = AuditRecord.objects.filter(action="region_setting.set").latest("seq")
    assert record.after["value"] == 4 and record.before["value"] == 3
    assert record.actor_username == world.office.username


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("test.limit", "三天", "「初审时限」须填数字"),
        ("test.limit", 2.5, "「初审时限」须为整数"),
        ("test.limit", 0, "「初审时限」须在 1–60 个工作日 之间"),
        ("test.weights", {"a": 50, "b": 30, "c": 15}, "「乡镇分类权重」各项权重之和须为 100%（现为 95%）"),
        ("test.weights", {"a": 50, "b": 50}, "须逐项填写：年度考核、满意度、减负成效"),
        ("test.weights", {"a": 120, "b": -10, "c": -10}, "「乡镇分类权重：年度考核」须在 0–100%"),
        ("test.staff", {"min": 7, "max": 5}, "「社区工作者配备」的最多（5）不能少于最少（7）"),
        ("test.staff", {"min": 5}, "须填写最少和最多"),
    ],
)
def test_it_refuses_a_bad_value_naming_the_field(world, specs, key, value, message):
    with pytest.raises(ValidationError) as refused:
        _set(world, key, value)
    assert message in refused.value.message_dict["value"][0]
    assert not RegionSetting.objects.exists()
    assert not AuditRecord.objects.filter(action="region_setting.set").exists()


def test_it_refuses_a_past_date_that_would_change_closed_results(world, specs):
    last_year = TODAY.replace(year=TODAY.year - 1)
    specs[world.county.code] = last_year
    with pytest.raises(ValidationError) as refused:
        _set(world, "test.weights", {"a": 40, "b": 40, "c": 20}, on=last_year)
    assert "乡镇分类已定档" in refused.value.message_dict["effective_from"][0]
    # A past date that no closed result follows is allowed where the setting can tell.
    _set(world, "test.weights", {"a": 40, "b": 40, "c": 20}, on=last_year + timedelta(days=1))
    # A setting that cannot tell refuses every past date.
    with pytest.raises(ValidationError, match="不能早于今天"):
        _set(world, "test.limit", 3, on=TODAY - timedelta(days=1))


def test_only_the_countys_office_sets_and_only_at_county_level_or_above(world, specs):
    for person in (world.admin, world.dept_clerk, world.town_hk, world.chair):
        with pytest.raises(PermissionDenied):
            _set(world, "test.limit", 3, actor=person)
    with pytest.raises(PermissionDenied):
        _set(world, "test.limit", 3, region=world.other_county)
    with pytest.raises(PermissionDenied):
        _set(world, "test.limit", 3, region=world.province)
    with pytest.raises(ValidationError, match="县级及以上"):
        _set(world, "test.limit", 3, region=world.township_hk)
    with pytest.raises(ValidationError, match="没有名为"):
        _set(world, "no.such", 3)
    assert not RegionSetting.objects.exists()


def test_the_page_shows_value_source_and_history_and_saves_a_version(world, specs, login):
    _set(world, "test.limit", 4)
    client = login(world.village_cadre)
    page = client.get(f"/orgs/settings/{world.county.code}/").content.decode()
    assert "初审时限" in page and "4 个工作日" in page and "本级设置" in page
    assert "年度考核 50%" in page and "平台默认" in page
    assert "/orgs/settings/" + world.county.code + "/test.limit/" not in page  # no edit link for a village

    client = login(world.office)
    url = f"/orgs/settings/{world.county.code}/test.weights/"
    form = {"value__a": "50", "value__b": "30", "value__c": "10", "effective_from": TOMORROW, "reason": "试"}
    refused = client.post(url, form)
    assert refused.status_code == 200 and "各项权重之和须为 100%（现为 90%）" in refused.content.decode()
    form["value__c"] = "20.0"
    form["value__a"] = "40"
    form["value__b"] = "40"
    assert client.post(url, form).status_code == 302
    assert setting_value(world.village_taoyuan, "test.weights", on=TOMORROW) == {"a": 40, "b": 40, "c": 20}
    page = client.get(f"/orgs/settings/{world.county.code}/").content.decode()
    assert "待施行" in page


def test_a_township_page_sees_the_county_it_belongs_to(world, specs, login):
    _set(world, "test.limit", 4)
    client = login(world.town_hk)
    assert client.get(f"/orgs/settings/{world.county.code}/").status_code == 200
    assert client.get(f"/orgs/settings/{world.other_county.code}/").status_code == 404


def test_the_api_reads_and_sets(world, specs, client):
    client.force_login(world.office)
    url = f"/api/v1/regions/{world.county.code}/settings/test.staff"
    answer = client.put(
        url,
        {"value": {"min": 6, "max": 4}, "effective_from": str(TODAY), "reason": "试"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "不能少于最少" in answer.json()["error"]["message"]
    answer = client.put(
        url,
        {"value": {"min": 4, "max": 6}, "effective_from": str(TODAY), "reason": "试"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["value"] == {"min": 4, "max": 6} and body["display"] == "4–6 人" and body["own"] is True
    listing = client.get(f"/api/v1/regions/{world.county.code}/settings").json()
    assert {row["key"] for row in listing} >= {"test.limit", "test.weights", "test.staff"}
