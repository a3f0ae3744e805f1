"""The demo: 解放路社区 adopted its street lamps with tracked measures, 桃园村 sent its pond to the villagers'
meeting; loading twice changes nothing."""

import pytest

from jianfu.consultation.demo import load_demo_records
from jianfu.consultation.models import MeasureStatus, Opinion, Outcome, Topic, TopicStatus

pytestmark = pytest.mark.django_db


def test_it_loads_two_consultations_once(world):
    message = load_demo_records()
    assert "议题 2 个" in message
    lamps = Topic.objects.get(region=world.community_jiefang)
    pond = Topic.objects.get(region=world.village_taoyuan)
    assert (lamps.status, lamps.outcome) == (TopicStatus.ANNOUNCED, Outcome.AGREED)
    assert sorted(lamps.measures.values_list("status", flat=True)) == [
        MeasureStatus.DOING,
        MeasureStatus.DONE,
    ]
    assert (pond.status, pond.outcome) == (TopicStatus.REFERRED, Outcome.DISAGREED)
    assert [s.to_status for s in lamps.steps.all()][-1] == "announced" and lamps.followups.count() == 3
    before = (Topic.objects.count(), Opinion.objects.count())
    assert load_demo_records() == "协商议事：演示数据已存在"
    assert (Topic.objects.count(), Opinion.objects.count()) == before
