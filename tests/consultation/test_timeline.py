"""The write-in's status page: what happened to the opinion, with dates, and the next step's expected day from
the county's answer time limit (working days on the official calendar)."""

from django.utils import timezone

from jianfu.consultation import selectors, services
from jianfu.consultation.models import Opinion
from jianfu.core.workdays import add_workdays
from jianfu.orgs.services import region_setting_set


def _written(world, client):
    sent = client.post(
        "/public/consultation/", {"region": world.village_taoyuan.code, "content": "村口路灯不亮了"}
    )
    return Opinion.objects.get(content="村口路灯不亮了"), sent["Location"]


def test_an_open_opinion_shows_when_it_came_and_by_when_it_will_be_answered(world, client):
    opinion, url = _written(world, client)
    html = client.get(url).content.decode()
    today = timezone.localdate()
    due = add_workdays(today, 15).day
    assert "办理进度" in html and "收到您的意见" in html
    assert f'<time datetime="{today:%Y-%m-%d}">{today.year}年{today.month}月{today.day}日</time>' in html
    assert f"预计 {due.year}年{due.month}月{due.day}日 前" in html and "15 个工作日内" in html


def test_the_county_chooses_the_time_limit(world, client):
    region_setting_set(
        actor=None,
        region=world.county,
        key=selectors.ANSWER_DAYS,
        value=5,
        effective_from=timezone.localdate(),
        reason="县里要求 5 个工作日内答复",
    )
    opinion, _ = _written(world, client)
    step = selectors.opinion_timeline(opinion)[-1]
    assert (
        not step.done and step.on == add_workdays(timezone.localdate(), 5).day and "5 个工作日" in step.note
    )


def test_an_answered_opinion_shows_the_answer_date(world, client):
    opinion, url = _written(world, client)
    services.opinion_answer(actor=world.village_cadre, opinion=opinion, answer="已报修，三天内修好。")
    html = client.get(url).content.decode()
    today = timezone.localdate()
    assert "桃园村已答复" in html and html.count(f'datetime="{today:%Y-%m-%d}"') == 2 and "下一步" not in html


def test_a_late_answer_says_so(world, client):
    opinion, _ = _written(world, client)
    later = add_workdays(timezone.localdate(), 20).day
    step = selectors.opinion_timeline(opinion, today=later)[-1]
    assert "已超过预计日期" in step.note
