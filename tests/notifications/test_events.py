"""Each notifiable event reaches the right inbox after its write commits; the inbox page and its header count."""

import json
from datetime import timedelta

from django.utils import timezone

from jianfu.admission import notify
from jianfu.admission.services import filing
from jianfu.consultation import services as consultation
from jianfu.grid.services import events as workflow
from jianfu.monitoring import services as monitoring
from jianfu.monitoring.services import bulletins
from jianfu.notifications.models import Kind, Notification
from jianfu.notifications.services import notify as tell
from tests.admission.conftest import at_decision, submitted
from tests.grid.conftest import file_event

UNLISTED = "请村里协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积"


def inbox(user, kind=None):
    found = Notification.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


def test_it_tells_the_office_an_application_waits_and_the_chair_when_it_is_theirs(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(world)
    told = inbox(world.office, Kind.STEP_ASSIGNED)
    assert len(told) == 1 and application.title in told[0].title and "待初审" in told[0].title
    assert told[0].url == f"/admission/{application.pk}/" and "请于" in told[0].body
    assert inbox(world.chair) == []
    with django_capture_on_commit_callbacks(execute=True):
        at_decision(world)
    assert any("待审核委员会核准" in n.title for n in inbox(world.chair, Kind.STEP_ASSIGNED))


def test_it_tells_overdue_and_nearly_due_steps_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    type(application).objects.filter(pk=application.pk).update(step_due_on=tomorrow)
    # one reminder to each of the office's two clerks, and none the second time
    assert notify.remind_due_soon() == "到期提醒 2 条" and notify.remind_due_soon() == "到期提醒 0 条"
    assert len(inbox(world.office, Kind.DEADLINE_NEAR)) == 1
    type(application).objects.filter(pk=application.pk).update(
        step_due_on=timezone.localdate() - timedelta(days=2)
    )
    assert "新增逾期提醒" in notify.remind_overdue()
    notify.remind_overdue()
    overdue = inbox(world.office, Kind.DEADLINE_PASSED)
    assert len(overdue) == 1 and "已超期" in overdue[0].title
    assert inbox(world.dept_clerk, Kind.DEADLINE_PASSED)  # the applicant is reminded too


def test_it_tells_the_department_a_village_declined_its_work(
    world, reference, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decline = filing.work_decline(
            actor=world.village_cadre,
            region=world.village_taoyuan,
            text=UNLISTED,
            department=world.dept_rs,
            department_name="",
            received_on=timezone.localdate(),
        )
    told = inbox(world.dept_clerk, Kind.DECLINE)
    assert len(told) == 1 and "桃园村拒绝执行县人社局交办的工作" == told[0].title
    assert told[0].url == f"/admission/declines/{decline.pk}/"
    assert inbox(world.office, Kind.DECLINE)
    assert inbox(world.member, Kind.DECLINE) == []  # another department is not told


def test_it_tells_a_department_its_name_is_in_a_published_bulletin(world, django_capture_on_commit_callbacks):
    day = timezone.localdate() - timedelta(days=1)
    point = monitoring.point_designate(actor=None, village=world.village_taoyuan)
    monitoring.monitor_assign(actor=None, point=point, monitor=world.monitor)
    event, _ = monitoring.event_record(
        actor=world.monitor,
        village=world.village_taoyuan,
        kind="app",
        department=world.dept_rs,
        occurred_on=day,
        hours=1,
        description="要求每天APP打卡",
    )
    finding = event.findings.get()
    monitoring.finding_decide(actor=world.inspector, finding=finding, decision="confirm", reason="属实")
    bulletin = bulletins.bulletin_draft(actor=None, region=world.county, period_start=day, period_end=day)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletins.bulletin_publish(actor=world.inspector, bulletin=bulletin)
    told = inbox(world.dept_clerk, Kind.BULLETIN)
    assert len(told) == 1 and bulletin.number in told[0].title and "违规 1 起" in told[0].body
    assert "15 个工作日" in told[0].body
    assert inbox(world.member, Kind.BULLETIN) == []


def test_it_tells_the_handler_and_the_centre_of_an_overdue_grid_event(
    world, grids, django_capture_on_commit_callbacks
):
    event = file_event(world, grids["ZA-01"])
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.escalate_overdue(now=timezone.now() + timedelta(hours=30)) == 1
    told = inbox(world.town_cg, Kind.DEADLINE_PASSED)
    assert len(told) == 1 and event.number in told[0].title and "第 1 次督办" in told[0].title


def test_it_texts_a_resident_whose_write_in_was_answered_with_nothing_personal(
    world, run_tasks, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SMS_FILE_PATH = tmp_path
    opinion = consultation.opinion_submit_public(
        region=world.community_jiefang,
        content="小区路灯坏了三盏，晚上很黑",
        resident_name="王秀英",
        contact="13912345678",
    )
    with django_capture_on_commit_callbacks(execute=True):
        consultation.opinion_answer(actor=world.community_cadre, opinion=opinion, answer="已报修，本周修好")
    assert run_tasks() == 1
    sent = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert [s["phone"] for s in sent] == ["13912345678"]
    assert "王秀英" not in sent[0]["text"] and "路灯" not in sent[0]["text"] and "查询码" in sent[0]["text"]


def test_it_shows_the_unread_count_and_marks_messages_read(world, client, login):
    message = tell(recipients=[world.village_cadre], kind=Kind.OTHER, title="请核对清单", url="/lists/")[0]
    tell(recipients=[world.village_cadre], kind=Kind.OTHER, title="第二条")
    login(world.village_cadre)
    home = client.get("/home/").content.decode()
    assert 'id="unread-count">2<span class="visually-hidden">条未读</span>' in home
    assert client.get(f"/notifications/{message.pk}/open/")["Location"] == "/lists/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert "第二条" in client.get("/notifications/?unread=1").content.decode()
    assert client.post("/notifications/read-all/").status_code == 302
    assert 'id="unread-count"' not in client.get("/home/").content.decode()
    api = client.get("/api/v1/notifications/unread-count").json()
    assert api == {"unread": 0}
    login(world.community_cadre)
    assert client.get(f"/notifications/{message.pk}/open/").status_code == 404  # someone else's message


def test_it_saves_preferences_from_the_page_and_the_api(world, client, login):
    login(world.monitor)
    response = client.post(
        "/notifications/preferences/",
        {
            "push": "on",
            "digest": "on",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "muted_kinds": ["bulletin"],
        },
    )
    assert response.status_code == 302
    data = client.get("/api/v1/notifications/preferences").json()
    assert data["digest"] and data["quiet_start"] == "22:00:00" and data["muted_kinds"] == ["bulletin"]
    stale = client.put(
        "/api/v1/notifications/preferences", {**data, "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409  # a page showing the old settings cannot overwrite the new ones
    page = client.post("/notifications/preferences/", {"email": "on"}).content.decode()
    assert "没有登记电子邮箱" in page


def test_it_refuses_quiet_hours_with_a_time_zone_and_changes_nothing(world, client):
    client.force_login(world.village_cadre)
    body = {
        "email": False,
        "sms": False,
        "push": False,
        "digest": True,
        "quiet_start": "10:48:40.79666Z",
        "quiet_end": "04:04:48Z",
        "muted_kinds": [],
    }
    response = client.put("/api/v1/notifications/preferences", body, content_type="application/json")
    assert response.status_code == 400, response.content.decode()
    assert "不要带时区" in response.json()["error"]["message"]
    assert client.get("/api/v1/notifications/preferences").json()["quiet_start"] is None
