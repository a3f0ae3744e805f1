"""Grid fixtures: 清河县's classification and the grids of 解放路社区 and 河口社区 (from the demo module)."""

import io

import pytest
from PIL import Image

from jianfu.grid import demo
from jianfu.grid.models import EventClass
from jianfu.grid.services import events as workflow


@pytest.fixture
def grids(world):
    """Classes and grids loaded; returns the classes by code."""
    demo.load_grids()
    return {c.code: c for c in demo.load_classes()}


def png_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, format="PNG")
    return out.getvalue()


def report(world, event_class: EventClass, *, building="解放路3号楼", place="3号楼楼下", **extra):
    return workflow.Report(
        event_class=event_class,
        community=world.community_jiefang,
        place=place,
        description=extra.pop("description", "垃圾堆放"),
        building=building,
        **extra,
    )


def file_event(world, event_class, actor=None, **extra):
    key = extra.pop("idempotency_key", "")
    event, _ = workflow.event_report(
        actor=actor if actor is not None else world.grid_worker,
        report=report(world, event_class, **extra),
        idempotency_key=key,
    )
    return event
