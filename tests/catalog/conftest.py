from datetime import date

import pytest

from jianfu.catalog import services


def publish(work_list, on: date, actor=None):
    return services.worklist_publish(
        actor=actor,
        work_list=work_list,
        effective_from=on,
        approved_by="县委常委会会议",
        approved_on=on,
        studied_by="县政府常务会议",
        studied_on=on,
    )


@pytest.fixture
def province_negative(world):
    """A provincial negative list with two categories, in force from 2024-01-01."""
    draft = services.worklist_start_draft(
        actor=None, kind="negative", region=world.province, title="不应由社区承担的事项清单"
    )
    services.item_save(
        actor=None,
        work_list=draft,
        code="FM-001",
        content="不应由社区组织承担的行政执法事项",
        reason="非责任主体",
        examples=["违章建筑拆除", "占道经营执法"],
    )
    services.item_save(
        actor=None,
        work_list=draft,
        code="FM-002",
        content="不应由社区组织出具的证明事项",
        reason="非责任主体",
        examples=["无犯罪记录证明"],
    )
    return publish(draft, date(2024, 1, 1))


@pytest.fixture
def county_duty(world):
    """清河县's duty list, version 1 in force from 2024-03-01."""
    draft = services.worklist_start_draft(
        actor=world.office, kind="duty", region=world.county, title="村（社区）依法履职事项清单"
    )
    services.item_save(
        actor=world.office,
        work_list=draft,
        code="LZ-001",
        content="调解民间纠纷",
        legal_basis=[{"law": "中华人民共和国村民委员会组织法", "articles": "第二条"}],
    )
    services.item_save(
        actor=world.office, work_list=draft, code="LZ-002", content="办理本村的公共事务和公益事业"
    )
    return publish(draft, date(2024, 3, 1), actor=world.office2)


@pytest.fixture(scope="session")
def indexes():
    """The classifier's indexes over every shipped list (data/lists/*.yaml), built once for the session as the
    evaluation builds them."""
    from bench import eval_classifier

    items = eval_classifier.load_list_items()
    if not items:
        pytest.skip("data/lists/*.yaml not present")
    return eval_classifier.build_indexes(items)
