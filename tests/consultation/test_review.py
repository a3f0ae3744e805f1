"""Defects found in review, each pinned by a test that failed before its fix."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.consultation import services
from jianfu.consultation.models import Council, Measure, MeasureStatus, Outcome, Topic, TopicStatus
from jianfu.consultation.services import outcomes
from tests.consultation.conftest import walk

pytestmark = pytest.mark.django_db


def test_it_publishes_adopted_measures_only_until_they_are_done(world, client):
    """Brief/seed 003 四(五): adopted measures are published (公开进度) until done, then leave the public list."""
    topic, _ = walk(world)
    cadre = world.community_cadre
    doing = outcomes.measure_add(
        actor=cadre, topic=topic, title="更换路灯", owner="物业", due_on=timezone.localdate()
    )
    done = outcomes.measure_add(
        actor=cadre, topic=topic, title="清理楼道", owner="物业", due_on=timezone.localdate()
    )
    done = outcomes.measure_progress(actor=cadre, measure=done, progress=100, note="已清理完毕")
    assert done.status == MeasureStatus.DONE
    listed = client.get("/api/v1/consultation/public/measures").json()["items"]
    assert [m["title"] for m in listed] == ["更换路灯"]
    board = client.get(f"/public/consultation/board/?village={world.community_jiefang.code}").content.decode()
    assert "更换路灯" in board and "清理楼道" not in board
    assert doing.pk  # the open one is still there


def test_it_shows_a_cross_community_topics_measures_under_each_involved_community(world, client):
    """跨社区协商: the township convenes, the measure concerns both communities, so each one's 村务公开 lists it
    (the board already lists the topic itself under them)."""
    second = world.township_cg.children.exclude(pk=world.community_jiefang.pk).first()
    topic = services.topic_create(
        actor=world.town_cg,
        region=world.township_cg,
        title="两社区之间的道路改造",
        involved=[world.community_jiefang, second],
    )
    Topic.objects.filter(pk=topic.pk).update(status=TopicStatus.ANNOUNCED, outcome=Outcome.AGREED)
    Measure.objects.create(
        topic=topic, title="打通两社区之间的断头路", owner="街道城建办", due_on=timezone.localdate()
    )
    code = world.community_jiefang.code
    listed = client.get(f"/api/v1/consultation/public/measures?village_code={code}").json()["items"]
    assert [m["title"] for m in listed] == ["打通两社区之间的断头路"]
    board = client.get(f"/public/consultation/board/?village={code}").content.decode()
    assert "打通两社区之间的断头路" in board
    other = client.get(f"/public/consultation/board/?village={world.village_taoyuan.code}").content.decode()
    assert "打通两社区之间的断头路" not in other


def test_it_moves_the_councils_version_for_every_member_even_from_a_stale_copy(world):
    """member_add wrote ``version = <the caller's copy> + 1``: two additions from one page load (or two racing
    requests) moved it once, so a council edit made before them was not seen as stale. Now the row is locked."""
    cadre = world.community_cadre
    council = services.council_save(
        actor=cadre, region=world.community_jiefang, name="居民议事会", convener="书记"
    )
    services.member_add(actor=cadre, council=council, name="刘某", role="chair")
    # the same copy again, now stale
    services.member_add(actor=cadre, council=council, name="陈某", role="representative")
    assert Council.objects.get(pk=council.pk).version == council.version + 2
    with pytest.raises(ValidationError, match="已有在任的主要负责人"):
        services.member_add(actor=cadre, council=council, name="周某", role="chair")
