"""The pages: a community cadre takes one opinion through the seven steps from the topic page, the township sees
the overdue step, residents write in without login, and the dossier and the 征求意见书 read back as DOCX."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from jianfu.consultation import services
from jianfu.consultation.models import Council, Opinion, Topic, TopicStatus
from jianfu.consultation.services import outcomes
from tests.consultation.conftest import opinion, walk

pytestmark = pytest.mark.django_db


def _act(client, topic, action, data):
    return client.post(f"/consultation/topics/{topic.pk}/do/{action}/", data)


def test_it_takes_a_topic_through_every_step_from_the_pages(world, client):
    client.force_login(world.community_cadre)
    first = opinion(world)
    page = client.post("/consultation/topics/new/", {"title": "更换小区路灯", "opinions": [first.pk]})
    topic = Topic.objects.get(title="更换小区路灯")
    assert page.status_code == 302 and topic.opinions.get() == first
    assert _act(client, topic, "settle", {"version": 1}).status_code == 302
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    plan = {
        "version": 2,
        "form": "meeting",
        "scheduled_at": when,
        "place": "社区议事厅",
        "plan_content": "换灯",
        "plan_participants": "居民代表",
    }
    assert _act(client, topic, "plan", plan).status_code == 302
    assert _act(client, topic, "notice", {"version": 3, "notice_text": "公告"}).status_code == 302
    for name in ("王大爷", "李阿姨", "赵师傅"):
        _act(client, topic, "participant_add", {"name": name, "capacity": "居民代表"})
    topic.refresh_from_db()
    assert _act(client, topic, "participants_settle", {"version": topic.version}).status_code == 302
    assert _act(client, topic, "vote_open", {"question": "同意更换", "rule": "half"}).status_code == 302
    vote = topic.votes.get()
    people = list(topic.participants.all())
    for person in people[:2]:
        _act(client, topic, "ballot", {"vote": vote.pk, "participant": person.pk, "choice": "yes"})
    twice = _act(client, topic, "ballot", {"vote": vote.pk, "participant": people[0].pk, "choice": "no"})
    assert twice.status_code == 200 and "已经对“同意更换”投过票" in twice.content.decode()
    record = {"participant": people[0].pk, "version": people[0].version, "attended": "1", "opinion": "赞成"}
    assert _act(client, topic, "record", record).status_code == 302
    _act(client, topic, "vote_close", {"vote": vote.pk})
    topic.refresh_from_db()
    held = _act(client, topic, "hold", {"version": topic.version, "minutes": "纪要", "outcome": "agreed"})
    assert held.status_code == 302
    topic.refresh_from_db()
    assert (
        _act(client, topic, "announce", {"version": topic.version, "announcement": "通报"}).status_code == 302
    )
    _act(client, topic, "measure_add", {"title": "更换路灯", "owner": "物业", "due_on": "2030-01-01"})
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ANNOUNCED and topic.measures.count() == 1
    detail = client.get(f"/consultation/topics/{topic.pk}/")
    assert detail.status_code == 200 and "登记回访" in detail.content.decode()


def test_it_shows_a_stale_form_and_a_late_plan_with_a_message_and_changes_nothing(world, client):
    client.force_login(world.community_cadre)
    topic, _ = walk(world, to=TopicStatus.SETTLED)
    stale = _act(client, topic, "settle", {"version": 1})
    assert stale.status_code == 200
    Topic.objects.filter(pk=topic.pk).update(plan_due=timezone.localdate() - timedelta(days=1))
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    late = _act(
        client,
        topic,
        "plan",
        {
            "version": 2,
            "form": "meeting",
            "scheduled_at": when,
            "place": "厅",
            "plan_content": "x",
            "plan_participants": "y",
        },
    )
    assert late.status_code == 200 and "现已超期，不能登记" in late.content.decode()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SETTLED and topic.version == 2
    client.force_login(world.town_cg)
    assert "制定协商方案应于" in client.get("/consultation/").content.decode()


def test_it_lets_a_resident_write_in_and_follow_the_answer_without_login(world, client):
    page = client.get("/public/consultation/")
    assert page.status_code == 200 and "不用登录" in page.content.decode()
    sent = client.post(
        "/public/consultation/", {"region": world.village_taoyuan.code, "content": "村口路灯不亮了"}
    )
    assert sent.status_code == 302
    item = Opinion.objects.get(content="村口路灯不亮了")
    status = client.get(sent["Location"])
    assert item.receipt in status.content.decode() and item.resident_name == "" and item.source == "public"
    empty = client.post("/public/consultation/", {"region": world.village_taoyuan.code, "content": "差"})
    assert empty.status_code == 200 and "至少 5 个字" in empty.content.decode()


def test_it_prints_the_dossier_and_the_letter_as_docx(world, client):
    topic, _ = walk(world)
    outcomes.measure_add(
        actor=world.community_cadre,
        topic=topic,
        title="更换 40 盏路灯",
        owner="社区物业",
        due_on=timezone.localdate(),
    )
    client.force_login(world.town_cg)  # the township reads it too
    response = client.get(f"/consultation/topics/{topic.pk}/dossier.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    tables = Document(io.BytesIO(response.content)).tables
    for heading in (
        "三、协商方案",
        "四、协商公告",
        "五、协商人员",
        "六、协商纪要",
        "七、表决",
        "八、协商情况通报",
        "九、成果落实与跟踪回访",
    ):
        assert heading in text
    assert "社区议事厅" in text and tables[1].rows[1].cells[0].text == "同意更换路灯"
    assert tables[2].rows[1].cells[0].text == "更换 40 盏路灯"
    written, _ = walk(world, to=TopicStatus.PARTICIPANTS, form="written")
    letter = Document(io.BytesIO(client.get(f"/consultation/topics/{written.pk}/letter.docx").content))
    body = "\n".join(p.text for p in letter.paragraphs)
    assert body.count("征求意见书") == 3 and "王大爷（居民代表）：" in body


def test_it_lets_an_invited_participant_vote_online_on_the_public_page(world, client):
    topic, codes = walk(world, to=TopicStatus.PARTICIPANTS, form="online")
    vote = outcomes.vote_open(actor=world.community_cadre, topic=topic, question="同意换灯", rule="half")
    code = next(iter(codes.values()))
    url = f"/public/consultation/topics/{topic.pk}/"
    assert "网络协商" in client.get(url).content.decode()
    sent = client.post(url, {"code": code, "comment": "支持", f"vote_{vote.pk}": "yes"})
    assert sent.status_code == 302
    again = client.post(url, {"code": code, "comment": "再投", f"vote_{vote.pk}": "no"})
    assert again.status_code == 200 and "已经用过" in again.content.decode()
    vote.refresh_from_db()
    assert (vote.yes, vote.no) == (1, 0)


def test_it_keeps_unpublished_topics_off_the_public_pages(world, client):
    topic, _ = walk(world, to=TopicStatus.PLANNED)
    assert client.get(f"/public/consultation/topics/{topic.pk}/").status_code == 404
    assert client.get("/public/consultation/board/").status_code == 200


def test_it_manages_the_council_and_its_members(world, client):
    client.force_login(world.community_cadre)
    page = client.post(
        "/consultation/councils/edit/", {"name": "解放路社区居民议事会", "convener": "书记 张某"}
    )
    council = Council.objects.get(region=world.community_jiefang)
    assert page.status_code == 302
    client.post(f"/consultation/councils/{council.pk}/", {"name": "刘主任", "role": "chair"})
    second = client.post(f"/consultation/councils/{council.pk}/", {"name": "陈某", "role": "chair"})
    assert "已有在任的主要负责人" in second.content.decode()
    member = council.members.get()
    client.post(f"/consultation/councils/{council.pk}/members/{member.pk}/retire/")
    member.refresh_from_db()
    assert not member.is_active


def test_it_lets_the_township_open_a_cross_community_topic_from_its_page(world, client):
    second = world.township_cg.children.exclude(pk=world.community_jiefang.pk).first()
    first = opinion(world)
    client.force_login(world.town_cg)
    form = client.get("/consultation/topics/new/").content.decode()
    assert "涉及的村（社区）" in form and second.name in form
    one = client.post(
        "/consultation/topics/new/", {"title": "跨社区道路", "involved": [world.community_jiefang.pk]}
    )
    assert one.status_code == 200 and "两个以上村（社区）" in one.content.decode()
    made = client.post(
        "/consultation/topics/new/",
        {"title": "跨社区道路", "opinions": [first.pk], "involved": [world.community_jiefang.pk, second.pk]},
    )
    topic = Topic.objects.get(title="跨社区道路")
    assert made.status_code == 302 and topic.region == world.township_cg and topic.involved.count() == 2
    client.force_login(world.community_cadre)  # the community reads it but does not convene it
    page = client.get(f"/consultation/topics/{topic.pk}/")
    assert page.status_code == 200 and 'id="act-settle"' not in page.content.decode()
    assert _act(client, topic, "settle", {"version": topic.version}).status_code == 403


def test_it_shows_the_one_time_codes_once_when_an_online_consultation_settles_its_participants(world, client):
    topic, _ = walk(world, to=TopicStatus.NOTICED, form="online")
    for name in ("甲", "乙"):
        services.participant_add(actor=world.community_cadre, topic=topic, name=name, capacity="居民代表")
    topic.refresh_from_db()
    client.force_login(world.community_cadre)
    page = _act(client, topic, "participants_settle", {"version": topic.version})
    text = page.content.decode()
    assert page.status_code == 200 and "只显示这一次" in text and text.count('data-code-for="') == 2
    assert "只显示这一次" not in client.get(f"/consultation/topics/{topic.pk}/").content.decode()


def test_it_puts_the_consultation_card_on_the_home_page(world, client):
    topic, _ = walk(world, to=TopicStatus.SETTLED)
    Topic.objects.filter(pk=topic.pk).update(plan_due=timezone.localdate() - timedelta(days=1))
    client.force_login(world.town_cg)
    home = client.get("/home/").content.decode()
    assert "协商议事" in home and "逾期步骤" in home
    client.force_login(world.grid_worker)
    assert 'id="card-consultation"' not in client.get("/home/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/consultation/topics/",
        "/consultation/opinions/",
        "/consultation/",
        "/api/v1/consultation/topics",
        "/public/consultation/board/",
    ],
)
def test_it_keeps_the_query_count_flat_as_topics_grow(url, world, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walk(world)
    client.force_login(world.town_cg)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        walk(world)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
