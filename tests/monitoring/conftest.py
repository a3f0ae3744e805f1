"""Monitoring fixtures: 桃园村 is a monitoring point the demo monitor serves; the lists are in force."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file
from jianfu.monitoring import services


def load_lists():
    for path in sorted(REFERENCE_DIR.glob("*.yaml")):
        load_reference_file(path)


def make_point(world, village=None):
    point = services.point_designate(actor=world.office, village=village or world.village_taoyuan)
    services.monitor_assign(actor=world.office, point=point, monitor=world.monitor)
    return point


@pytest.fixture
def point(world):
    return make_point(world)


@pytest.fixture
def lists(world):
    load_lists()


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def record(world, actor=None, **overrides):
    arguments = dict(
        village=world.village_taoyuan,
        kind="meeting",
        department=world.dept_rs,
        occurred_on=yesterday(),
        hours=2,
        description="参加县人社局社保政策培训会",
    )
    arguments.update(overrides)
    return services.event_record(actor=actor or world.monitor, **arguments)


def judge(world, decision="confirm", reason="经核实，情况属实", **filters):
    """The inspector decides every pending finding (matching ``filters``) that names a department."""
    from jianfu.monitoring.models import Finding

    found = Finding.objects.filter(state="pending", department__isnull=False, **filters)
    return services.findings_decide(
        actor=world.inspector, items=[(f.pk, f.version) for f in found], decision=decision, reason=reason
    )


def png(size=(20, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photos go to a scratch directory, not var/media."""
    settings.MEDIA_ROOT = tmp_path
