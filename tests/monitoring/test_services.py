"""Recording burden events: the automatic check per type, idempotency, the point a monitor serves, photos."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jianfu.audit.models import AuditRecord
from jianfu.core.checks import Check
from jianfu.monitoring import services
from jianfu.monitoring.models import BurdenEvent, MonthlyRollup, Verdict
from jianfu.monitoring.services import rollup

from .conftest import png, record


def test_it_records_an_event_checks_it_and_rolls_it_up(world, point):
    event, created = record(world, photo=png())
    assert created and event.verdict == Verdict.OK and event.point == point
    assert event.photo.name.endswith(".png")
    county = MonthlyRollup.objects.get(region_code=world.county.code, kind="meeting")
    assert (county.events, county.hours, county.violations) == (1, 2, 0)
    assert AuditRecord.objects.filter(action="monitoring.event_record", object_id=str(event.pk)).exists()


def test_it_stores_a_double_tap_once(world, point):
    first, created = record(world, idempotency_key="k-1")
    again, created_again = record(world, idempotency_key="k-1", description="重复提交")
    assert created and not created_again and first.pk == again.pk
    assert BurdenEvent.objects.count() == 1
    assert MonthlyRollup.objects.get(region_code=world.county.code).events == 1


def test_it_refuses_a_point_the_monitor_does_not_serve(world, point):
    with pytest.raises(PermissionDenied, match="不服务"):
        record(world, village=world.community_jiefang)
    assert not BurdenEvent.objects.exists()


def test_it_refuses_someone_who_is_not_a_monitor(world, point):
    with pytest.raises(PermissionDenied):
        record(world, actor=world.village_cadre)


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"), "不是图片文件"),
        (SimpleUploadedFile("big.png", b"0" * (8 * 1024 * 1024 + 1), content_type="image/png"), "不能超过"),
    ],
)
def test_it_refuses_a_photo_that_is_not_an_image_or_too_big(world, point, upload, message):
    with pytest.raises(ValidationError, match=message):
        record(world, photo=upload)
    assert not BurdenEvent.objects.exists()


def test_it_names_the_field_on_bad_input(world, point):
    with pytest.raises(ValidationError) as caught:
        record(world, hours="很多", description="  ")
    assert set(caught.value.message_dict) >= {"hours", "description"}


# The automatic checks: one passing and one failing case each ------------------------------------------


def test_task_on_the_negative_list_is_a_violation(world, point, lists):
    event, _ = record(world, kind="task", subject="要求村委会为企业开展招商引资并下达招商任务指标")
    assert event.verdict == Verdict.VIOLATION and "负面清单" in event.check_rule


def test_task_not_listed_and_not_admitted_is_a_violation(world, point, lists):
    event, _ = record(world, kind="task", subject="组织村民参加县里的广场舞比赛彩排")
    assert event.verdict == Verdict.VIOLATION and "准入" in event.check_rule


def test_task_on_the_duty_list_is_kept(world, point, lists):
    event, _ = record(world, kind="task", subject="社区出面调解两户居民的邻里民间纠纷")
    assert event.verdict == Verdict.OK, event.check_detail


def test_certificate_on_the_forbidden_list_is_a_violation(world, point, lists):
    event, _ = record(world, kind="certificate", certificate_code="BZ-001", description="银行要亲属关系证明")
    assert event.verdict == Verdict.VIOLATION and "不应由村" in event.check_rule


def test_certificate_not_on_any_list_is_a_violation(world, point, lists):
    event, _ = record(world, kind="certificate", certificate_code="XX-999", description="要开证明")
    assert event.verdict == Verdict.VIOLATION and "清单外" in event.check_rule


def test_certificate_on_the_allowed_list_is_kept(world, point, lists):
    event, _ = record(world, kind="certificate", certificate_code="ZM-001", description="学校要居住证明")
    assert event.verdict == Verdict.OK


def test_certificate_by_text_is_classified(world, point, lists):
    event, _ = record(world, kind="certificate", description="银行要求开具亲属关系证明")
    assert event.verdict == Verdict.VIOLATION


def test_app_check_in_is_always_a_violation(world, point):
    event, _ = record(world, kind="app", description="要求每天在APP上签到打卡")
    assert event.verdict == Verdict.VIOLATION and "APP" in event.check_rule


@pytest.mark.parametrize(
    "kind, target",
    [
        ("inspection", "jianfu.supervision.checks.inspection_check"),
        ("form", "jianfu.forms.checks.form_check"),
    ],
)
@pytest.mark.parametrize(
    "check, verdict",
    [
        (Check.ok("已列入计划"), Verdict.OK),
        (Check.broken("未列入年度计划"), Verdict.VIOLATION),
        (Check.unknown("尚未启用"), Verdict.UNDECIDED),
    ],
)
def test_inspections_and_forms_ask_their_apps(world, point, kind, target, check, verdict):
    with mock.patch(target, return_value=check) as asked:
        event, _ = record(world, kind=kind, subject="表格或检查", demanded_materials=True)
    assert event.verdict == verdict and event.check_rule == check.rule
    assert asked.call_args.kwargs["village"] == world.village_taoyuan
    assert asked.call_args.kwargs["department"] == world.dept_rs


def test_it_rechecks_undecided_events_and_moves_the_rollup(world, point):
    with mock.patch("jianfu.forms.checks.form_check", return_value=Check.unknown("尚未启用")):
        event, _ = record(world, kind="form", subject="人口信息统计表")
    assert MonthlyRollup.objects.get(region_code=world.county.code).undecided == 1
    with mock.patch("jianfu.forms.checks.form_check", return_value=Check.broken("未列入填报表格清单")):
        counts = services.recheck_undecided()
    assert counts["violation"] == 1
    event.refresh_from_db()
    assert event.verdict == Verdict.VIOLATION and event.check_rule == "未列入填报表格清单"
    cell = MonthlyRollup.objects.get(region_code=world.county.code)
    assert (cell.undecided, cell.violations, cell.events) == (0, 1, 1)


def test_the_full_rebuild_matches_the_incremental_rollup(world, point):
    record(world)
    record(world, kind="app", description="APP打卡", hours=1)
    incremental = sorted(
        MonthlyRollup.objects.values_list("region_code", "kind", "events", "hours", "violations")
    )
    rollup.rebuild()
    assert (
        sorted(MonthlyRollup.objects.values_list("region_code", "kind", "events", "hours", "violations"))
        == incremental
    )
    assert len(incremental) == 4  # county and township (the levels kept) × 2 kinds
