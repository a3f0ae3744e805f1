"""Supervision fixtures: an approved plan of 县人社局 and helpers to record visits and placards."""

from datetime import date

from jianfu.orgs.models import Region
from jianfu.supervision import services

YEAR = 2026


def approved_plan(world, *, department=None, items=None, year=YEAR):
    """县人社局's plan for the year, approved: a check of 桃园村 in March, a survey of 3 villages of 河口镇 in
    May (no briefing materials), an assessment with a one-vote veto in June; items may be replaced."""
    department = department or world.dept_rs
    plan = services.plan_create(actor=None, department=department, year=year)
    hk = world.township_hk
    items = (
        items
        if items is not None
        else [
            dict(kind="inspection", subject="社保经办检查", month=3, villages=[world.village_taoyuan]),
            dict(kind="research", subject="就业情况调研", month=5, scope=hk, village_count=3),
            dict(
                kind="assessment",
                subject="就业工作考核",
                month=6,
                villages=[world.village_taoyuan],
                veto=True,
            ),
        ]
    )
    for item in items:
        services.item_add(actor=None, plan=plan, **item)
    services.plan_submit(actor=None, plan=plan)
    return services.plan_decide(actor=None, plan=plan, approve=True)


def village(code: str) -> Region:
    return Region.objects.get(code=code)


CADRE = object()  # the default actor: 桃园村's cadre; None means the system


def visit(
    world, *, actor=CADRE, village=None, department=None, on=date(YEAR, 3, 12), kind="inspection", **kw
):
    return services.visit_record(
        actor=world.village_cadre if actor is CADRE else actor,
        village=village or world.village_taoyuan,
        department=department or world.dept_rs,
        on=on,
        kind=kind,
        subject=kw.pop("subject", "社保经办检查"),
        **kw,
    )


def png_bytes(size=(8, 8)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def placards(world, village=None, *, actor=None):
    """桃园村 (unless told otherwise) with the 4+2 allowed outside and three over the standard: a fifth outside
    placard, a duplicate sign and a wall rule outside the catalogue; and one mechanism without a basis."""
    village = village or world.village_taoyuan
    made = {}
    for kind, title in [
        ("outside_placard", "中共桃园村支部委员会"),
        ("outside_placard", "桃园村村民委员会"),
        ("outside_placard", "桃园村村务监督委员会"),
        ("outside_placard", "桃园村股份经济合作社"),
        ("outside_sign", "桃园村党群服务中心"),
        ("outside_sign", "桃园村新时代文明实践站"),
        ("outside_placard", "桃园村老年人协会"),
        ("outside_sign", "党群服务中心"),
        ("wall_rule", "村务公开制度"),
        ("wall_rule", "禁毒工作领导小组职责"),
    ]:
        made[title] = services.placard_register(actor=actor, village=village, kind=kind, title=title)
    made["mechanism_ok"] = services.mechanism_register(
        actor=actor,
        village=village,
        name="人民调解委员会",
        department_name="县司法局",
        legal_basis="《中华人民共和国人民调解法》第八条",
    )
    made["mechanism_bad"] = services.mechanism_register(
        actor=actor, village=village, name="创文工作站", department_name="县创文办"
    )
    return made
