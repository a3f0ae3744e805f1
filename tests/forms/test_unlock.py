"""Unlocking a locked period: a request with a reason from the township, approved one level up, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.audit.models import AuditRecord
from jianfu.forms import services
from jianfu.forms.models import BaseValue, PeriodLock, UnlockRequest
from tests.forms.conftest import make_indicators


@pytest.fixture
def locked(world):
    made = make_indicators(world)
    services.values_enter(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        period="2026",
        values={made["JC-001"]: "1500"},
    )
    lock = services.period_lock(actor=world.town_hk, township=world.township_hk, period="2026")
    return made, lock


def test_it_refuses_an_unlock_request_without_a_reason_and_changes_nothing(world, locked):
    with pytest.raises(ValidationError) as caught:
        services.unlock_request(actor=world.town_hk, lock=locked[1], reason="  ")
    assert "理由" in " ".join(caught.value.message_dict["reason"])
    assert not UnlockRequest.objects.exists()


def test_the_county_unlocks_on_the_townships_request_and_the_village_enters_again(world, locked):
    made, lock = locked
    asked = services.unlock_request(actor=world.town_hk, lock=lock, reason="桃园村常住人口录错，需重新录入")
    with pytest.raises(ValidationError, match="已有待审批"):
        services.unlock_request(actor=world.town_hk, lock=lock, reason="再次申请")
    with pytest.raises(PermissionDenied, match="上一级"):
        services.unlock_decide(actor=world.town_hk, request=asked, approve=True)
    with pytest.raises(ValidationError, match="已由乡镇"):
        services.values_enter(
            actor=world.village_cadre,
            village=world.village_taoyuan,
            period="2026",
            values={made["JC-001"]: "1"},
        )
    services.unlock_decide(actor=world.office, request=asked, approve=True, note="同意", expected_version=1)
    assert PeriodLock.objects.get(pk=lock.pk).unlocked_at is not None  # retired, not erased
    services.values_enter(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        period="2026",
        values={made["JC-001"]: "1520"},
    )
    assert BaseValue.objects.get(indicator=made["JC-001"], period="2026").value == "1520"
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"forms.unlock_request", "forms.unlock_decide"} <= actions
    relocked = services.period_lock(actor=world.town_hk, township=world.township_hk, period="2026")
    assert relocked.pk != lock.pk and PeriodLock.objects.filter(period="2026").count() == 2


def test_nobody_approves_their_own_request_and_a_refusal_says_why(world, locked):
    asked = services.unlock_request(actor=world.office, lock=locked[1], reason="县里发现数据有误")
    with pytest.raises(PermissionDenied, match="自己"):
        services.unlock_decide(actor=world.office, request=asked, approve=True)
    mine = UnlockRequest.objects.get(pk=asked.pk)
    assert mine.status == "pending"
    UnlockRequest.objects.filter(pk=asked.pk).update(requested_by=world.town_hk)
    with pytest.raises(ValidationError) as caught:
        services.unlock_decide(actor=world.office, request=asked, approve=False, note="")
    assert "note" in caught.value.message_dict
    refused = services.unlock_decide(actor=world.office, request=asked, approve=False, note="请走更正程序")
    assert refused.status == "refused" and PeriodLock.objects.get(pk=locked[1].pk).unlocked_at is None


def test_the_township_asks_and_the_county_approves_on_the_review_page(world, locked, client):
    review = f"/forms/review/{world.township_hk.code}/"
    client.force_login(world.town_hk)
    assert "提交解锁申请" in client.get(review, {"period": "2026"}).content.decode()
    client.post(f"{review}unlock/", {"period": "2026", "reason": "桃园村数据录错"})
    asked = UnlockRequest.objects.get()
    client.force_login(world.office)
    page = client.get(review, {"period": "2026"}).content.decode()
    assert "批准解锁" in page and "桃园村数据录错" in page
    answer = client.post(f"/forms/unlock/{asked.pk}/decide/", {"decision": "approve", "version": 1})
    assert answer.status_code == 302 and UnlockRequest.objects.get().status == "approved"
    assert PeriodLock.objects.get().unlocked_at is not None


def test_a_village_asks_on_its_values_page_and_the_county_finds_the_request_on_its_one_table_page(
    world, locked, login
):
    _, lock = locked
    url = "/forms/values/428521101201/unlock/"
    cadre = login(world.village_cadre)
    assert "申请解锁" in cadre.get("/forms/values/428521101201/?period=2026").content.decode()
    refused = cadre.post(url, {"period": "2026", "reason": " "}, follow=True).content.decode()
    assert "请填写申请解锁的理由" in refused and not UnlockRequest.objects.exists()
    cadre.post(url, {"period": "2026", "reason": "低保户数漏报两户"})
    asked = UnlockRequest.objects.get(lock=lock)
    assert asked.requested_by == world.village_cadre and asked.reason == "低保户数漏报两户"
    page = cadre.get("/forms/values/428521101201/?period=2026").content.decode()
    assert "已申请解锁，等待县减负工作机构审批" in page and "unlock-reason" not in page
    # 解放路社区 (城关街道) may not ask for 河口镇's village
    assert login(world.community_cadre).post(url, {"period": "2026", "reason": "x"}).status_code == 404
    office = login(world.office).get("/forms/").content.decode()
    assert "待审批的解锁申请" in office and "低保户数漏报两户" in office
    assert "待审批的解锁申请" not in login(world.town_hk).get("/forms/").content.decode()
