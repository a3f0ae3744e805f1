"""The residents' front door (/public/, no login) and the write-in's village picker (issue 21)."""

import re

from django.urls import reverse

from jianfu.orgs.models import Region

SERVICES = [
    "public_lists:lists",
    "public_certificates:lookup",
    "public_admission:items",
    "public_consultation:opinion_submit",
    "public_consultation:opinion_status",
    "public_consultation:board",
    "public_grid:rate",
    "public_certificates:verify",
]


def test_it_opens_the_front_door_without_login_and_links_every_public_service(world, client):
    page = client.get("/public/")
    assert page.status_code == 200
    html = page.content.decode()
    assert [name for name in SERVICES if reverse(name) not in html] == []
    for name in SERVICES:  # and each of them opens for a resident
        assert client.get(reverse(name)).status_code == 200, name


def test_it_links_the_front_door_from_the_landing_page(world, client):
    assert 'href="/public/"' in client.get("/").content.decode()


def _picker(html: str) -> list[tuple[str, list[str]]]:
    select = re.search(r'<select[^>]*name="region".*?</select>', html, re.S).group(0)
    return [
        (label, re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', body))
        for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    ]


def test_it_offers_one_countys_villages_township_by_township(world, client):
    groups = _picker(client.get("/public/consultation/").content.decode())
    expected = {}
    for village in Region.objects.filter(level=5, is_active=True, code__startswith="428521").order_by(
        "parent__code", "code"
    ):
        expected.setdefault(village.parent.name, []).append(village.name)
    assert groups == list(expected.items())
    assert "东岭" not in str(groups)
    other = _picker(client.get(f"/public/consultation/?county={world.other_county.code}").content.decode())
    assert other and all(name not in str(other) for name in ("桃园村", "河口镇"))


def test_it_takes_a_write_in_for_a_village_of_the_other_county(world, client):
    response = client.post(
        f"/public/consultation/?county={world.other_county.code}",
        {"region": world.other_village.code, "content": "村口路灯不亮了"},
    )
    assert response.status_code == 302 and "/public/consultation/status/" in response["Location"]
