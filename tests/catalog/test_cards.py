"""Process cards (谁交办任务、谁建立流程): 县人社局 writes the card for an assist item it hands down, the review office
accepts or returns it, versions are kept, villages see the accepted one, and items without one are listed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.catalog import cards
from jianfu.catalog.models import ProcessCard
from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file

CODE = "SZ-RS-XZ-001"  # 人社局: 宣传落实就业创业政策…（city assist list）
CARD = {
    "basis": "《中华人民共和国就业促进法》第五十二条",
    "standard": "登记信息与身份证件一致，三个工作日内上报",
    "conditions": "本社区常住的失业人员",
    "materials": "身份证件；就业创业证申请表",
    "steps": "1. 受理登记 2. 初审公示 3. 报街道人社服务站",
    "forms_used": "就业失业登记表",
}


@pytest.fixture
def lists(world):
    for name in ("city_assist.yaml", "city_undertaken.yaml"):
        load_reference_file(REFERENCE_DIR / name)


@pytest.fixture
def clerk(world):
    from jianfu.orgs.models import User

    return User.objects.get(username="rs_clerk")


def test_the_department_writes_submits_and_the_office_accepts(world, lists, clerk):
    card = cards.card_save(actor=clerk, department=world.dept_rs, item_code=CODE, **{**CARD, "basis": ""})
    with pytest.raises(ValidationError) as refused:
        cards.card_submit(actor=clerk, card=card)
    assert "办理依据" in str(refused.value.message_dict["basis"])
    card = cards.card_save(actor=clerk, department=world.dept_rs, item_code=CODE, card=card, **CARD)
    card = cards.card_submit(actor=clerk, card=card)
    with pytest.raises(ValidationError, match="理由"):
        cards.card_decide(actor=world.office, card=card, accept=False)
    card = cards.card_decide(actor=world.office, card=card, accept=False, note="请补充办理时限")
    assert card.state == "returned"
    card = cards.card_save(
        actor=clerk, department=world.dept_rs, item_code=CODE, card=card, standard="五个工作日内"
    )
    card = cards.card_decide(actor=world.office, card=cards.card_submit(actor=clerk, card=card), accept=True)
    assert card.state == "accepted" and cards.accepted_cards(world.village_taoyuan)[CODE] == card
    second = cards.card_save(actor=clerk, department=world.dept_rs, item_code=CODE, **CARD)
    assert second.number == 2 and ProcessCard.objects.filter(item_code=CODE).count() == 2
    with pytest.raises(ValidationError, match="未审核完"):
        cards.card_save(actor=clerk, department=world.dept_rs, item_code=CODE, **CARD)


def test_it_refuses_other_departments_unknown_items_and_self_review(world, lists, clerk):
    with pytest.raises(PermissionDenied):
        cards.card_save(actor=clerk, department=world.dept_mz, item_code=CODE, **CARD)
    with pytest.raises(ValidationError) as refused:
        cards.card_save(actor=clerk, department=world.dept_rs, item_code="XZ-999", **CARD)
    assert "XZ-999" in str(refused.value.message_dict["item_code"])
    card = cards.card_submit(
        actor=clerk, card=cards.card_save(actor=clerk, department=world.dept_rs, item_code=CODE, **CARD)
    )
    with pytest.raises(PermissionDenied):
        cards.card_decide(actor=clerk, card=card, accept=True)
    assert ProcessCard.objects.get().state == "submitted"


def test_items_without_an_accepted_card_are_listed_per_department(world, lists, clerk):
    rows = {d.name: (total, missing) for d, total, missing in cards.missing_by_department(world.county)}
    total, missing = rows["县人社局"]
    assert total == missing >= 5
    mine = cards.department_items(world.dept_rs)
    assert CODE in {item.code for item, _, _ in mine}


def test_pages_show_the_accepted_card_to_the_village_and_the_public(world, lists, clerk, client):
    client.force_login(clerk)
    page = client.get("/lists/cards/").content.decode()
    assert CODE in page and "尚无" in page
    answer = client.post("/lists/cards/new/", {"code": CODE, **CARD})
    card = ProcessCard.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/lists/cards/{card.pk}/"
    client.post(f"/lists/cards/{card.pk}/submit/", {"version": card.version})
    client.force_login(world.office)
    assert "待审核" in client.get("/lists/cards/").content.decode()
    card.refresh_from_db()
    client.post(f"/lists/cards/{card.pk}/decide/", {"decision": "accept", "version": card.version})
    card.refresh_from_db()
    assert card.state == "accepted"
    client.logout()
    public = client.get(f"/public/lists/cards/{card.pk}/").content.decode()
    assert "就业促进法" in public and "办理步骤" in public
    from jianfu.catalog.models import WorkList

    assist = WorkList.objects.get(region__code="428500000000", kind="assist")
    listed = client.get(f"/public/lists/{assist.pk}/").content.decode()
    assert f"/public/lists/cards/{card.pk}/" in listed


def test_the_demo_has_two_accepted_cards_and_one_returned(world):
    from jianfu.catalog.demo import load_demo_records

    assert "采用 2 张" in load_demo_records()
    assert sorted(ProcessCard.objects.values_list("state", flat=True)) == ["accepted", "accepted", "returned"]
    assert load_demo_records() == "办理流程卡：演示数据已存在"


def _form(world, name, status="approved", region=None):
    from jianfu.forms.models import DepartmentForm

    return DepartmentForm.objects.create(
        department=world.dept_rs,
        region=region or world.county,
        year=2026,
        name=name,
        legal_basis="《中华人民共和国就业促进法》",
        frequency="monthly",
        status=status,
    )


def test_a_card_names_the_one_tables_listed_forms_it_uses(world, lists, clerk, login):
    listed = _form(world, "失业人员登记月报")
    draft = _form(world, "未审定的报表", status="draft")
    elsewhere = _form(world, "东岭县的报表", region=world.other_county)
    for refused in (draft, elsewhere):
        with pytest.raises(ValidationError) as problem:
            cards.card_save(
                actor=clerk, department=world.dept_rs, item_code=CODE, form_ids=[refused.pk], **CARD
            )
        assert "使用的报表" in str(problem.value.message_dict["form_ids"])
    assert not ProcessCard.objects.exists()
    card = cards.card_save(
        actor=clerk, department=world.dept_rs, item_code=CODE, form_ids=[listed.pk], **CARD
    )
    assert list(card.forms.all()) == [listed]
    card = cards.card_decide(actor=world.office, card=cards.card_submit(actor=clerk, card=card), accept=True)
    second = cards.card_save(actor=clerk, department=world.dept_rs, item_code=CODE, **CARD)
    assert list(second.forms.all()) == [listed]  # a new version starts from the forms of the accepted one
    page = login(clerk).get(f"/lists/cards/{second.pk}/edit/").content.decode()
    assert "失业人员登记月报" in page and "未审定的报表" not in page
    assert "失业人员登记月报" in login(clerk).get(f"/public/lists/cards/{card.pk}/").content.decode()
    api = login(clerk).get("/api/v1/cards", {"item_code": CODE}).json()
    assert {tuple(c["form_ids"]) for c in api["items"]} == {(listed.pk,)}


def test_the_village_sees_the_accepted_card_on_its_one_table_task(world, lists, clerk, login):
    from django.utils import timezone

    from jianfu.forms.models import FormIssue, FormTask

    listed = _form(world, "失业人员登记月报")
    issue = FormIssue.objects.create(form=listed, period="2026-11", issued_by=clerk, issued_at=timezone.now())
    task = FormTask.objects.create(issue=issue, village=world.village_taoyuan)
    card = cards.card_submit(
        actor=clerk,
        card=cards.card_save(
            actor=clerk, department=world.dept_rs, item_code=CODE, form_ids=[listed.pk], **CARD
        ),
    )
    cadre = login(world.village_cadre)
    assert "办理流程卡" not in cadre.get(f"/forms/tasks/{task.pk}/").content.decode()  # not yet accepted
    cards.card_decide(actor=world.office, card=card, accept=True)
    page = cadre.get(f"/forms/tasks/{task.pk}/").content.decode()
    assert "办理流程卡" in page and f"/public/lists/cards/{card.pk}/" in page
