"""A national instance in the demo database: 湖北省 (the demo's province, 42) and 湖南省 (43) registered with keys
of their own, and a national office clerk with federation.view on both."""

from dataclasses import dataclass

import pytest

from jianfu.federation import services, signing
from jianfu.orgs.models import Kind, Level, Region, User
from jianfu.orgs.roles import Role

HUBEI, HUNAN = "420000000000", "430000000000"
COUNTY = "428521000000"  # 清河县, in 湖北省


@dataclass
class Nation:
    keys: dict  # province code -> private key
    national: User
    hunan: Region


@pytest.fixture
def nation(world) -> Nation:
    hunan = Region.objects.create(code=HUNAN, name="湖南省", level=Level.PROVINCE, kind=Kind.PROVINCE)
    keys = {}
    for region in (world.province, hunan):
        private, public = signing.new_private_key()
        services.peer_register(actor=None, region=region, public_key=public)
        keys[region.code] = private
    national = User.objects.create(
        username="national", full_name="国家平台减负办", home_region=world.province
    )
    for region in (world.province, hunan):
        national.role_assignments.create(role=Role.COMMITTEE_OFFICE, region=region)
    return Nation(keys=keys, national=national, hunan=hunan)


def rollup(province=HUBEI, month="2026-10", revision=1, reason="", events=5, county=COUNTY, **extra) -> dict:
    """A month's rollup as a province sends it: the province row and one county row, one type."""
    cells = [
        {
            "region": province,
            "level": 1,
            "name": "省",
            "kind": "meeting",
            "events": events,
            "hours": "7.5",
            "violations": 2,
            "undecided": 0,
        },
        {
            "region": county,
            "level": 3,
            "name": "县",
            "kind": "meeting",
            "events": events,
            "hours": "7.5",
            "violations": 2,
            "undecided": 0,
        },
    ]
    payload = {
        "format": "jianfu.federation.rollup/1",
        "province": province,
        "month": month,
        "revision": revision,
        "reason": reason,
        "built_at": "2026-11-01T02:00:00+08:00",
        "cells": cells,
    }
    payload.update(extra)
    return payload


def push(client, payload, key: str, sender: str = HUBEI, body: bytes | None = None):
    body = signing.canonical(payload) if body is None else body
    return client.post(
        "/api/v1/federation/rollups",
        body,
        content_type="application/json",
        headers={"X-Jianfu-Province": sender, "X-Jianfu-Signature": signing.sign(body, key)},
    )
