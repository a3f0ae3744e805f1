"""The public lists page and the landing page come from the cache, one rendering per version of what they show:
a publication or a retirement changes the version at once, a signed-in person never gets the shared copy."""

from datetime import date

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianfu.catalog import services

from .conftest import publish


def _lists(client, world, on="2024-05-01", **headers):
    return client.get("/public/lists/", {"region": world.county.code, "on": on}, headers=headers)


def test_an_anonymous_visitor_gets_the_page_once_rendered_and_then_from_the_cache(world, county_duty, client):
    first = _lists(client, world)
    assert first.status_code == 200 and "村（社区）依法履职事项清单" in first.content.decode()
    assert first["Cache-Control"] == "public, no-cache" and first["ETag"].startswith('"')
    assert "Cookie" in first["Vary"]
    # Shared with everyone, so it carries nobody's CSRF token and sets no cookie.
    assert "X-CSRFToken" not in first.content.decode() and settings.CSRF_COOKIE_NAME not in first.cookies

    with CaptureQueriesContext(connection) as queries:
        again = _lists(client, world)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert len(queries) == 2  # the version (counties, lists in force); nothing rendered

    revalidated = _lists(client, world, If_None_Match=first["ETag"])
    assert revalidated.status_code == 304 and revalidated["ETag"] == first["ETag"]


def test_publishing_or_retiring_a_list_changes_the_page_at_once(world, county_duty, client):
    before = _lists(client, world, on="2025-06-01")
    assert "第 1 版" in before.content.decode()

    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county)
    services.item_save(actor=world.office, work_list=draft, code="LZ-003", content="组织开展群防群治")
    publish(draft, date(2025, 1, 1), actor=world.office2)
    published = _lists(client, world, on="2025-06-01", If_None_Match=before["ETag"])
    assert published.status_code == 200 and published["ETag"] != before["ETag"]
    assert "第 2 版" in published.content.decode() and "第 1 版" not in published.content.decode()

    services.worklist_retire(
        actor=world.office, work_list=draft, effective_to=date(2025, 3, 31), reason="并入新清单"
    )
    retired = _lists(client, world, on="2025-06-01").content.decode()
    assert "村（社区）依法履职事项清单" not in retired


def test_a_signed_in_person_gets_the_page_rendered_for_them_and_never_stored(world, county_duty, client):
    shared = _lists(client, world)
    client.force_login(world.office)
    mine = _lists(client, world)
    assert mine.status_code == 200 and mine["Cache-Control"] == "no-store"
    assert "ETag" not in mine and mine.content != shared.content
    assert world.office.full_name in mine.content.decode()


def test_the_landing_page_is_shared_and_still_sends_a_signed_in_person_home(world, client):
    page = client.get("/")
    assert page.status_code == 200 and page["Cache-Control"] == "public, no-cache"
    assert client.get("/", headers={"If-None-Match": page["ETag"]}).status_code == 304
    client.force_login(world.office)
    assert client.get("/").status_code == 302
