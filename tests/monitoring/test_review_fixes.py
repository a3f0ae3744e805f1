"""Defects found in review: an idempotency key answered with an unrelated event, an anonymous clue's reporter
named in the audit log, and the rollup compared with a recomputation after a mix of operations."""

import pytest
from django.core.exceptions import ValidationError

from jianfu.audit.models import AuditRecord
from jianfu.monitoring import services
from jianfu.monitoring.models import BurdenEvent, DepartmentRollup, MonthlyRollup
from jianfu.monitoring.services import rollup

from .conftest import make_point, record, yesterday

pytestmark = pytest.mark.django_db

CELL = (
    "region_code",
    "level",
    "month",
    "kind",
    "events",
    "hours",
    "violations",
    "undecided",
)


def clue(world, actor=None, **overrides):
    arguments = dict(
        village=world.village_taoyuan,
        kind="form",
        department=world.dept_rs,
        occurred_on=yesterday(),
        description="要求填报《社保扩面进度表》",
        subject="社保扩面进度表",
    )
    arguments.update(overrides)
    return services.clue_report(actor=actor or world.village_cadre, **arguments)


def test_a_key_reused_for_another_village_is_refused_not_answered_with_the_first_event(world, point):
    make_point(world, village=world.community_jiefang)
    first, _ = record(world, idempotency_key="k-1")
    with pytest.raises(ValidationError) as refused:
        record(world, village=world.community_jiefang, idempotency_key="k-1")
    assert "提交编号" in str(refused.value)
    with pytest.raises(ValidationError):
        record(world, kind="app", description="APP打卡", idempotency_key="k-1")
    assert BurdenEvent.objects.filter(idempotency_key="k-1").count() == 1
    again, created = record(world, idempotency_key="k-1")
    assert (again.pk, created) == (first.pk, False)


def test_a_monitor_key_does_not_answer_a_clue_with_the_monitor_record(world, point):
    record(world, kind="form", subject="表", description="填表", idempotency_key="k-2")
    with pytest.raises(ValidationError):
        clue(world, actor=world.monitor, idempotency_key="k-2")


def test_an_anonymous_clue_is_audited_without_the_reporter(world, point):
    event, _ = clue(world, anonymous=True, idempotency_key="anon-1")
    audit = AuditRecord.objects.get(action="monitoring.clue_report", object_id=str(event.pk))
    cadre = world.village_cadre
    assert audit.actor_id is None
    assert cadre.username not in audit.actor_username and cadre.full_name not in (audit.actor_name or "")
    assert audit.region_code == world.village_taoyuan.code  # still in the village's audit scope
    named, _ = clue(world, idempotency_key="named-1")
    assert (
        AuditRecord.objects.get(action="monitoring.clue_report", object_id=str(named.pk)).actor_id == cadre.pk
    )


def test_the_rollup_matches_a_recomputation_after_a_mix_of_operations(world, point):
    record(world)
    record(world, kind="app", description="APP打卡", hours=1, idempotency_key="m-1")
    record(world, kind="app", description="APP打卡", hours=1, idempotency_key="m-1")  # a double tap
    undecided, _ = record(world, kind="form", subject="某表", description="填表", hours="1.5")
    accepted, _ = clue(world, idempotency_key="c-1")
    dismissed, _ = clue(world, kind="app", description="打卡", idempotency_key="c-2")
    clue(world, kind="meeting", description="会议", anonymous=True)  # stays pending: not counted
    services.clue_review(actor=world.inspector, event=accepted, accept=True, note="经核实属实")
    services.clue_review(actor=world.inspector, event=dismissed, accept=False, note="查无此事")
    services.event_recheck(actor=world.inspector, event=undecided)
    services.recheck_undecided()
    incremental = sorted(MonthlyRollup.objects.filter(events__gt=0).values_list(*CELL))
    by_department = sorted(DepartmentRollup.objects.filter(events__gt=0).values_list("department_id", *CELL))
    rollup.rebuild()
    assert sorted(MonthlyRollup.objects.values_list(*CELL)) == incremental
    assert sorted(DepartmentRollup.objects.values_list("department_id", *CELL)) == by_department
    counted = BurdenEvent.objects.counted().count()
    assert counted == 4
    county = MonthlyRollup.objects.filter(region_code=world.county.code)
    assert sum(c.events for c in county) == counted


def jpeg_with_exif() -> bytes:
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = "王村干"  # Artist
    exif[0x0110] = "Reporter Phone X"  # Model
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_clue_photo_keeps_no_exif_that_could_name_the_reporter(world, point):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    upload = SimpleUploadedFile("p.jpg", jpeg_with_exif(), content_type="image/jpeg")
    event, _ = clue(world, anonymous=True, photo=upload)
    event.photo.open("rb")
    stored = event.photo.read()
    event.photo.close()
    assert "王村干".encode() not in stored and b"Reporter Phone X" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (30, 20) and not dict(image.getexif())
