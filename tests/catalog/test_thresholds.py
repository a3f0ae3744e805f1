"""The classifier's thresholds are region settings: a county chooses its own refusal and review thresholds, and
classify reads them for the region and the date it checks on."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.catalog.classify import classify, match_settings
from jianfu.catalog.matching import DEFAULT_SETTINGS
from jianfu.catalog.reference import load_reference_lists
from jianfu.orgs.services import region_setting_set

TEXT = "由村（社区）组织拆除违章建筑，认定危房等级。"


def _set(world, key, value, on=None, region=None):
    return region_setting_set(
        actor=world.office if region is None else None,
        region=region or world.county,
        key=key,
        value=value,
        effective_from=on or timezone.localdate(),
        reason="县审核委员会会议决定",
    )


def test_each_county_reads_its_own_thresholds_on_the_date(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    _set(world, "catalog.review_below", 99, region=world.other_county)
    _set(world, "catalog.forbid_threshold", 45, on=tomorrow)
    assert match_settings(world.village_taoyuan) == DEFAULT_SETTINGS  # 清河县's change starts tomorrow
    assert match_settings(world.village_taoyuan, tomorrow).forbid_threshold == pytest.approx(0.45)
    assert match_settings(world.other_village).review_below == pytest.approx(0.99)
    assert match_settings(world.other_village).forbid_threshold == DEFAULT_SETTINGS.forbid_threshold


def test_classify_follows_the_countys_review_threshold(world):
    load_reference_lists()
    here = classify(TEXT, world.village_taoyuan)
    assert here.needs_review == (here.confidence < 0.85)
    _set(world, "catalog.review_below", 99, region=world.other_county)
    there = classify(TEXT, world.other_village)
    assert there.needs_review == (there.confidence < 0.99)
    _set(world, "catalog.review_below", 50)  # 清河县 lowers its own: its index is rebuilt with it
    lowered = classify(TEXT, world.village_taoyuan)
    assert lowered.needs_review == (lowered.confidence < 0.5)


def test_a_threshold_out_of_bounds_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as refused:
        _set(world, "catalog.review_below", 30)
    assert "value" in refused.value.message_dict


def test_dongling_office_sets_its_own_county_only(world):
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    dl_office = get_user_model().objects.get(username="dl_office")  # 东岭县民政局's office, a demo persona
    region_setting_set(
        actor=dl_office,
        region=world.other_county,
        key="catalog.review_below",
        value=90,
        effective_from=timezone.localdate(),
        reason="东岭县审核委员会会议决定",
    )
    assert match_settings(world.other_village).review_below == pytest.approx(0.9)
    with pytest.raises(PermissionDenied):
        region_setting_set(
            actor=dl_office,
            region=world.county,
            key="catalog.review_below",
            value=90,
            effective_from=timezone.localdate(),
            reason="越权",
        )


def test_a_county_that_turns_the_learned_reading_off_gets_the_lists_own_verdict(world):
    """The learned reading is a region setting (on by default): whatever it suggests goes to a person; a county
    that wants only its lists' matches turns it off, and the same text is then left unlisted."""
    load_reference_lists()
    text = "给乡道两边的行道树剪枝"  # the negative list names 行道树的排危; no item is near enough alone
    suggested = classify(text, world.village_taoyuan)
    assert suggested.verdict == "negative" and suggested.needs_review
    _set(world, "catalog.learned_reading", False)
    assert match_settings(world.village_taoyuan).learned is False
    assert match_settings(world.other_village).learned is True
    assert classify(text, world.village_taoyuan).verdict == "unlisted"
