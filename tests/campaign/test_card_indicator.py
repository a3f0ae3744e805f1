"""Items without an accepted process card count against their department in the campaign ledger's per-unit
figures (《关于开展村（社区）减负工作的实施方案》二（二）“谁交办任务、谁建立流程”), on the page, in the API and in Excel."""

import io

from openpyxl import load_workbook

from jianfu.campaign import excel, selectors
from jianfu.catalog import cards
from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file

from .conftest import make_campaign, rs_task

CARD = {"basis": "《中华人民共和国就业促进法》第五十二条", "steps": "受理、初审、上报"}


def test_a_department_is_charged_with_its_items_without_an_accepted_card(world, login):
    for name in ("city_assist.yaml", "city_undertaken.yaml"):
        load_reference_file(REFERENCE_DIR / name)
    campaign = make_campaign(world)
    rs_task(world, campaign)
    unit = next(u for u in selectors.ledger(campaign)["units"] if u.department == world.dept_rs)
    assert unit.items > 0 and unit.without_card == unit.items
    code = cards.department_items(world.dept_rs)[0][0].code
    card = cards.card_save(actor=world.dept_clerk, department=world.dept_rs, item_code=code, **CARD)
    cards.card_decide(
        actor=world.office, card=cards.card_submit(actor=world.dept_clerk, card=card), accept=True
    )
    data = selectors.ledger(campaign)
    after = next(u for u in data["units"] if u.department == world.dept_rs)
    assert after.without_card == unit.without_card - 1
    page = login(world.office).get(f"/campaign/{campaign.pk}/").content.decode()
    assert "交办事项无流程卡" in page and f"{after.without_card} / {after.items}" in page
    assert "谁交办任务、谁建立流程" in page
    api = login(world.office).get(f"/api/v1/campaign/campaigns/{campaign.pk}/ledger").json()
    (row,) = [u for u in api["units"] if u["department"] == "县人社局"]
    assert row["without_card"] == after.without_card
    buffer = io.BytesIO()
    excel.ledger_workbook(campaign, data).save(buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer)["牵头单位"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "其中无流程卡"
    (rs,) = [r for r in rows if r[0] == "县人社局"]
    assert rs[-2:] == (after.items, after.without_card)
