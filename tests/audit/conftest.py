"""A world where the county administrator has done a few things, so the audit chain has something in it."""

import pytest

from jianfu.orgs import services
from jianfu.orgs.models import Level


def _some_actions(world) -> None:
    admin = world.admin
    region = services.region_create(
        actor=admin,
        code="428521101299",
        name="新桃村",
        level=Level.VILLAGE,
        kind="village",
        parent=world.township_hk,
    )
    services.region_update(actor=admin, region=region, expected_version=1, name="新桃园村")
    for name in ("县医保局", "县统计局", "县信访局", "县林业局"):
        dept = services.department_create(actor=admin, name=name, region=world.county, kind="government")
    services.department_set_active(actor=admin, department=dept, active=False)
    for version in range(1, 6):
        services.user_update(
            actor=admin, user=world.village_cadre, expected_version=version, phone=f"1390000000{version}"
        )


@pytest.fixture
def busy_world(world):
    _some_actions(world)
    return world
