"""Admitted items carry process cards: 县人社局, the item's owner, writes the card; the office accepts it; 桃园村 sees
it on the notice it signs and on the item's page; until then the item counts as one without a card."""

import pytest
from django.core.exceptions import ValidationError

from jianfu.catalog import cards

from .conftest import approved

CARD = {"basis": "《中华人民共和国就业促进法》第五十二条", "steps": "1. 领取名单 2. 上门核对 3. 报社保所"}


@pytest.fixture
def item(world, reference):
    return approved(world).admitted_item  # approval issues the notice to every village in scope


def test_the_owner_department_writes_the_admitted_items_card_and_the_village_sees_it(world, item, login):
    (rs,) = [row for row in cards.missing_by_department(world.county) if row[0] == world.dept_rs]
    assert item.code in [i.code for i, _, _ in cards.department_items(world.dept_rs)]
    with pytest.raises(ValidationError, match="交办部门编写"):
        cards.card_save(actor=None, department=world.dept_mz, item_code=item.code, **CARD)
    card = cards.card_save(actor=world.dept_clerk, department=world.dept_rs, item_code=item.code, **CARD)
    assert card.item_content == item.content
    card = cards.card_decide(
        actor=world.office, card=cards.card_submit(actor=world.dept_clerk, card=card), accept=True
    )
    (after,) = [row for row in cards.missing_by_department(world.county) if row[0] == world.dept_rs]
    assert after[2] == rs[2] - 1
    page = login(world.village_cadre).get("/admission/notices/").content.decode()
    assert f"/public/lists/cards/{card.pk}/" in page and "怎样办理" in page
    page = login(world.village_cadre).get(f"/admission/items/{item.pk}/").content.decode()
    assert f"/public/lists/cards/{card.pk}/" in page


def test_the_notice_says_when_no_card_is_accepted_yet(world, item, login):
    page = login(world.village_cadre).get("/admission/notices/").content.decode()
    assert "交办部门尚未建立" in page
