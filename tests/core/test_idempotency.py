"""Idempotency keys past the one limit are refused everywhere, never cut: two long keys with a common prefix
used to answer the second report with the first one's event."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.core.idempotency import IDEMPOTENCY_KEY_MAX, clean_idempotency_key
from jianfu.grid import demo as grid_demo
from jianfu.grid.models import GridEvent
from jianfu.monitoring.models import BurdenEvent
from tests.grid.conftest import file_event
from tests.monitoring.conftest import make_point

PREFIX = "离线提交-" + "x" * 70
FIRST, SECOND = PREFIX + "-0001", PREFIX + "-0002"


def test_the_one_helper_keeps_a_key_within_the_limit_and_refuses_a_longer_one():
    assert len(FIRST) == len(SECOND) == 80 > IDEMPOTENCY_KEY_MAX
    assert clean_idempotency_key(" k-1 ") == "k-1" and clean_idempotency_key(None) == ""
    with pytest.raises(ValidationError) as refused:
        clean_idempotency_key(FIRST)
    assert f"不能超过 {IDEMPOTENCY_KEY_MAX} 个字符" in refused.value.message_dict["idempotency_key"][0]


@pytest.mark.parametrize(
    "path, persona", [("/api/v1/monitoring/events", "monitor"), ("/api/v1/monitoring/clues", "village_cadre")]
)
def test_it_refuses_two_long_monitoring_keys_with_a_common_prefix_and_stores_neither(
    world, client, path, persona
):
    make_point(world)
    client.force_login(getattr(world, persona))
    body = {
        "village_code": world.village_taoyuan.code,
        "kind": "meeting",
        "department_id": world.dept_rs.pk,
        "occurred_on": str(timezone.localdate() - timedelta(days=1)),
        "hours": "2",
        "description": "培训会",
    }
    for key in (FIRST, SECOND):
        response = client.post(
            path, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
        )
        assert response.status_code == 400, response.content.decode()
        assert "idempotency_key" in response.json()["error"]["fields"]
    assert not BurdenEvent.objects.exists()
    response = client.post(
        path, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 201


def test_it_refuses_a_long_grid_key_in_the_service(world):
    grid_demo.load_grids()
    classes = {c.code: c for c in grid_demo.load_classes()}
    with pytest.raises(ValidationError) as refused:
        file_event(world, classes["LB-01"], idempotency_key="G" * 80)
    assert "idempotency_key" in refused.value.message_dict and not GridEvent.objects.exists()
