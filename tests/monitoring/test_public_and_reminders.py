"""Public pages (no login) for published bulletins, approved plans and the annual form list; overdue reminders."""

from datetime import timedelta

from django.utils import timezone

from jianfu.monitoring.models import BulletinEntry
from jianfu.monitoring.services import bulletins
from jianfu.notifications.models import Kind, Notification

from .conftest import judge, record, yesterday


def _published(world):
    record(world, kind="app", description="王小明说要求每天APP打卡")
    judge(world)
    draft = bulletins.bulletin_draft(
        actor=world.inspector, region=world.county, period_start=yesterday(), period_end=yesterday()
    )
    return draft, bulletins.bulletin_publish(actor=world.inspector, bulletin=draft)


def test_anyone_reads_a_published_bulletin_without_anything_personal(world, point, client):
    _, published = _published(world)
    listing = client.get("/public/monitoring/bulletins/", {"county": world.county.code}).content.decode()
    assert published.title in listing
    page = client.get(f"/public/monitoring/bulletins/{published.pk}/").content.decode()
    assert "县人社局" in page and "桃园村" in page and "政务APP" in page and "黔西南州" in page
    assert "王小明" not in page and world.monitor.full_name not in page
    published.status = "draft"
    published.save(update_fields=["status"])
    assert (
        client.get(f"/public/monitoring/bulletins/{published.pk}/").status_code == 404
    )  # drafts stay private


def test_anyone_reads_the_approved_plans_and_the_form_list_of_a_county(world, client):
    plans = client.get("/public/supervision/plans/", {"county": world.county.code})
    forms = client.get("/public/forms/list/", {"county": world.county.code})
    assert plans.status_code == forms.status_code == 200
    assert "到村督查检查考核计划" in plans.content.decode()
    assert "填报表格清单" in forms.content.decode()


def test_it_reminds_a_department_past_its_deadline_once_a_day(
    world, point, django_capture_on_commit_callbacks
):
    _, published = _published(world)
    entry = published.entries.get()
    assert bulletins.remind_overdue() == 0  # not yet due
    BulletinEntry.objects.filter(pk=entry.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert bulletins.remind_overdue() == 1
        assert bulletins.remind_overdue() == 0
    told = Notification.objects.filter(
        recipient=world.dept_clerk, kind=Kind.BULLETIN, title__startswith="整改已逾期"
    )
    assert told.count() == 1
