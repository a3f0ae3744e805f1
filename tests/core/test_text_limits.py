"""Every free text has a limit, declared on the model and enforced on every write path (API, pages, services).

A 1 MB description used to be stored by the monitoring and grid event APIs (issue 16, item 14).
"""

import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from jianfu.audit.models import AuditRecord
from jianfu.core.text import BoundedTextField, check_lengths
from jianfu.grid.models import GridEvent
from jianfu.monitoring.models import BurdenEvent, MonthlyRollup
from tests.monitoring.conftest import make_point, yesterday

MEGABYTE = "负" * (1024 * 1024)


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _jianfu_models():
    return [m for m in apps.get_models() if m.__module__.startswith("jianfu.")]


def test_it_gives_every_text_field_of_every_model_a_limit_and_a_chinese_name():
    unbounded, unnamed = [], []
    for model in _jianfu_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                if not isinstance(field, BoundedTextField) or not field.max_length:
                    unbounded.append(f"{model._meta.label}.{field.name}")
                if str(field.verbose_name).isascii():  # the limit's message names the field to people
                    unnamed.append(f"{model._meta.label}.{field.name}")
    assert len(_jianfu_models()) > 50
    assert unbounded == [], "choose a limit (core.text.BoundedTextField) for: " + ", ".join(unbounded)
    assert unnamed == [], "give these text fields a Chinese verbose_name: " + ", ".join(unnamed)


def test_it_refuses_a_text_field_without_a_limit():
    with pytest.raises(TypeError):
        BoundedTextField("说明")


def test_it_names_the_field_and_the_limit_in_full_clean_and_in_the_service_helper():
    event = BurdenEvent(description="x" * 2001, check_detail="ok")
    with pytest.raises(ValidationError) as excinfo:
        event.clean_fields(exclude=[f.name for f in BurdenEvent._meta.fields if f.name != "description"])
    assert excinfo.value.message_dict == {"description": ["「情况描述」不能超过 2000 字（现为 2001 字）。"]}
    with pytest.raises(ValidationError) as excinfo:
        check_lengths(event)
    assert excinfo.value.message_dict == {"description": ["「情况描述」不能超过 2000 字（现为 2001 字）。"]}
    check_lengths(event, ["check_detail"])  # save(update_fields=...) checks only what it writes
    event.description = "x" * 2000
    check_lengths(event)


def test_it_refuses_a_megabyte_description_on_the_monitoring_event_api_and_stores_nothing(world, client):
    make_point(world)
    client.force_login(world.monitor)
    audit_rows = AuditRecord.objects.count()
    body = {
        "village_code": world.village_taoyuan.code,
        "kind": "meeting",
        "department_id": world.dept_rs.pk,
        "occurred_on": yesterday().isoformat(),
        "hours": "2",
        "description": MEGABYTE,
    }
    response = _post(client, "/api/v1/monitoring/events", body)
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert error["fields"] == {"description": [f"「情况描述」不能超过 2000 字（现为 {len(MEGABYTE)} 字）。"]}
    assert "「情况描述」不能超过 2000 字" in error["message"]
    assert BurdenEvent.objects.count() == 0 and MonthlyRollup.objects.count() == 0
    assert AuditRecord.objects.count() == audit_rows
    body["description"] = "参加县人社局社保政策培训会"
    assert _post(client, "/api/v1/monitoring/events", body).status_code == 201


def test_it_refuses_a_megabyte_description_on_the_grid_event_api_and_stores_nothing(world, client):
    from jianfu.grid import demo

    demo.load_grids()
    demo.load_classes()
    client.force_login(world.grid_worker)
    audit_rows = AuditRecord.objects.count()
    body = {
        "class_code": "SR-01",
        "community_code": world.community_jiefang.code,
        "place": "3号楼楼下",
        "building": "解放路3号楼",
        "description": MEGABYTE,
    }
    response = _post(client, "/api/v1/grid/events", body)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["fields"]["description"][0].startswith("「情况描述」不能超过 2000 字")
    assert GridEvent.objects.count() == 0 and AuditRecord.objects.count() == audit_rows
    body["description"] = "垃圾堆放"
    assert _post(client, "/api/v1/grid/events", body).status_code == 201


def test_it_documents_the_limits_in_the_openapi_schema(world, client):
    client.force_login(world.admin)
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["EventIn"]["properties"]["description"]["maxLength"] == 2000
    assert schemas["ReportIn"]["properties"]["description"]["maxLength"] == 2000


def test_it_refuses_an_over_long_description_on_the_pages_with_the_same_message(world, client):
    from jianfu.grid import demo

    demo.load_grids()
    classes = {c.code: c for c in demo.load_classes()}
    make_point(world)
    client.force_login(world.grid_worker)
    form = {
        "community": world.community_jiefang.pk,
        "event_class": classes["SR-01"].pk,
        "building": "解放路6号楼",
        "place": "6号楼门口",
        "description": "垃" * 2001,
        "idempotency_key": "page-long",
    }
    page = client.post("/grid/report/", form)
    assert page.status_code == 200 and "「情况描述」不能超过 2000 字（现为 2001 字）" in page.content.decode()
    assert GridEvent.objects.count() == 0

    client.force_login(world.monitor)
    form = {
        "village": world.village_taoyuan.code,
        "kind": "app",
        "department": world.dept_rs.pk,
        "occurred_on": yesterday().isoformat(),
        "hours": "0.5",
        "description": "打" * 2001,
        "idempotency_key": "f" * 32,
    }
    page = client.post("/monitoring/record/", form)
    assert page.status_code == 200 and "「情况描述」不能超过 2000 字（现为 2001 字）" in page.content.decode()
    assert BurdenEvent.objects.count() == 0


def test_it_refuses_an_anonymous_megabyte_write_in_and_stores_nothing(world, client):
    from jianfu.consultation.models import Opinion

    url = f"/api/v1/consultation/public/villages/{world.village_taoyuan.code}/opinions"
    response = _post(client, url, {"content": MEGABYTE})
    assert response.status_code == 400
    assert "2000 字" in response.json()["error"]["fields"]["content"][0]
    assert not Opinion.objects.exists()


def test_it_gives_model_forms_the_same_message():
    field = BurdenEvent._meta.get_field("description").formfield()
    with pytest.raises(ValidationError) as excinfo:
        field.clean("x" * 2001)
    assert excinfo.value.messages == ["「情况描述」不能超过 2000 字（现为 2001 字）。"]
    assert field.widget.attrs["maxlength"] == "2000"
