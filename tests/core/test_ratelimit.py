"""Rate limits keyed on the real client address (core.ratelimit): behind our proxy each resident is counted on
their own, a forwarded address from anyone else is not believed, and every limited endpoint uses the helper."""

from django.test import RequestFactory, override_settings

from jianfu.audit.models import AuditRecord
from jianfu.consultation.models import Opinion
from jianfu.core.ratelimit import client_address

PROXY = "10.0.0.5"
RESIDENT_A, RESIDENT_B = "203.0.113.7", "198.51.100.23"
BEHIND_PROXY = override_settings(TRUSTED_PROXIES={PROXY})


def _request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@BEHIND_PROXY
def test_it_reads_the_client_address_our_proxy_forwarded():
    assert client_address(_request(PROXY, RESIDENT_A)) == RESIDENT_A
    # What the client wrote itself stands left of the hop our proxy appended, and is ignored.
    assert client_address(_request(PROXY, f"1.1.1.1, {RESIDENT_A}")) == RESIDENT_A
    assert client_address(_request(PROXY)) == PROXY  # nothing forwarded: the proxy itself
    assert client_address(_request(PROXY, "not-an-address")) == PROXY


@BEHIND_PROXY
def test_it_does_not_believe_a_forwarded_address_from_anyone_else():
    assert client_address(_request(RESIDENT_B, "1.2.3.4")) == RESIDENT_B
    with override_settings(TRUSTED_PROXIES=set()):
        assert client_address(_request(PROXY, "1.2.3.4")) == PROXY


@override_settings(TRUSTED_PROXIES={"10.0.0.0/24"})
def test_it_accepts_a_range_of_proxies():
    assert client_address(_request("10.0.0.77", RESIDENT_A)) == RESIDENT_A


@override_settings(TRUSTED_PROXIES={"nginx.internal", PROXY})
def test_it_reports_a_proxy_that_is_not_an_address_and_trusts_nothing_for_it():
    from jianfu.core.system_checks import trusted_proxies_are_addresses

    assert [e.id for e in trusted_proxies_are_addresses(None)] == ["jianfu.E003"]
    assert client_address(_request(PROXY, RESIDENT_A)) == RESIDENT_A


def _write_in(client, world, forwarded, api=False, remote=PROXY):
    headers = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
    content = {"content": "村口路灯坏了好几天，晚上出行不便"}
    if api:
        url = f"/api/v1/consultation/public/villages/{world.village_taoyuan.code}/opinions"
        return client.post(url, content, content_type="application/json", **headers)
    return client.post("/public/consultation/", {"region": world.village_taoyuan.code, **content}, **headers)


@BEHIND_PROXY
def test_it_limits_two_residents_behind_the_proxy_separately(world, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": "2/h"}
    assert _write_in(client, world, RESIDENT_A).status_code == 302
    assert _write_in(client, world, RESIDENT_A, api=True).status_code == 201
    refused = _write_in(client, world, RESIDENT_A)
    assert refused.status_code == 429 and "提交意见过于频繁" in refused.content.decode()
    api = _write_in(client, world, RESIDENT_A, api=True)
    assert api.status_code == 429 and api.json()["error"]["code"] == "throttled"
    assert "分钟后再试" in api.json()["error"]["message"]
    # The neighbour behind the same proxy is not blocked by the first resident.
    assert _write_in(client, world, RESIDENT_B).status_code == 302
    assert _write_in(client, world, RESIDENT_B, api=True).status_code == 201
    assert Opinion.objects.filter(region=world.village_taoyuan, source="public").count() == 4


@BEHIND_PROXY
def test_it_counts_a_client_who_forges_forwarded_addresses_under_its_own(world, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": "2/h"}
    for forged in ("1.1.1.1", "2.2.2.2"):
        assert _write_in(client, world, forged, remote=RESIDENT_A).status_code == 302
    assert _write_in(client, world, "3.3.3.3", remote=RESIDENT_A).status_code == 429


@BEHIND_PROXY
def test_it_records_the_forwarded_address_in_the_audit_log(world, client):
    _write_in(client, world, RESIDENT_A)
    assert AuditRecord.objects.filter(action="consultation.opinion_submit").latest("seq").ip == RESIDENT_A


@BEHIND_PROXY
def test_it_slows_down_password_guessing_across_accounts_from_one_address(world, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/10m"}
    for username in ("taoyuan", "jiefang", "monitor"):  # one wrong password each: no account is locked
        page = client.post(
            "/accounts/login/",
            {"username": username, "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=RESIDENT_A,
        )
        assert page.status_code == 200 and "用户名或密码错误" in page.content.decode()
    page = client.post(
        "/accounts/login/",
        {"username": "taoyuan", "password": "Jianfu@2026"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=RESIDENT_A,
    )
    assert page.status_code == 429 and "登录失败次数过多" in page.content.decode()
    other = client.post(
        "/accounts/login/",
        {"username": "taoyuan", "password": "Jianfu@2026"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=RESIDENT_B,
    )
    assert other.status_code == 302  # a colleague elsewhere signs in as usual


# Public certificate verification (item 9) ---------------------------------------------------------------


def test_it_throttles_public_certificate_verification_per_client(world, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "certificate_verify": "3/m"}
    for guess in ("AAAA-BBBB-CCCC", "AAAA-BBBB-CCCD"):
        assert client.get("/public/certificates/verify/", {"code": guess}).status_code == 200
    assert client.get("/api/v1/certificates/verify/AAAA-BBBB-CCCE").status_code == 200
    page = client.get("/public/certificates/v/AAAA-BBBB-CCCF/")
    assert page.status_code == 429 and "核验请求过于频繁" in page.content.decode()
    api = client.get("/api/v1/certificates/verify/AAAA-BBBB-CCCG")
    assert api.status_code == 429 and "核验请求过于频繁" in api.json()["error"]["message"]
    assert client.get("/public/certificates/verify/").status_code == 200  # the empty form is never counted
    other = client.get("/public/certificates/verify/", {"code": "AAAA-BBBB-CCCC"}, REMOTE_ADDR=RESIDENT_B)
    assert other.status_code == 200


# Wrong one-time codes and receipts on the other public pages --------------------------------------------


def test_it_throttles_guessing_opinion_receipts_on_the_page_and_the_api(world, client, settings):
    from jianfu.consultation import services

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_code": "2/h"}
    mine = services.opinion_submit_public(region=world.community_jiefang, content="楼道灯坏了请修一下")
    assert (
        client.get("/public/consultation/status/", {"receipt": mine.receipt}).status_code == 200
    )  # not counted
    assert client.get("/public/consultation/status/", {"receipt": "AAAAAAAA"}).status_code == 200
    assert client.get("/api/v1/consultation/public/opinions/BBBBBBBB").status_code == 404
    refused = client.get("/api/v1/consultation/public/opinions/" + mine.receipt)
    assert refused.status_code == 429 and "输入错误的码次数过多" in refused.json()["error"]["message"]
    assert client.get("/public/consultation/status/", {"receipt": mine.receipt}).status_code == 429
    other = client.get("/public/consultation/status/", {"receipt": mine.receipt}, REMOTE_ADDR=RESIDENT_B)
    assert other.status_code == 200 and "楼道灯坏了" in other.content.decode()


def test_it_throttles_guessing_grid_rating_codes(world, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_code": "2/h"}
    for code in ("AAAAAAAA", "BBBBBBBB"):
        page = client.post("/public/grid/rate/", {"code": code, "rating": 5})
        assert page.status_code == 200 and "评价码不正确" in page.content.decode()
    page = client.post("/public/grid/rate/", {"code": "CCCCCCCC", "rating": 5})
    assert page.status_code == 429 and "输入错误的码次数过多" in page.content.decode()


def test_it_throttles_guessing_online_consultation_codes(world, client, settings):
    from jianfu.consultation.models import ConsultForm, Participant, TopicStatus
    from tests.consultation.conftest import walk

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_code": "2/h"}
    topic, codes = walk(world, to=TopicStatus.PARTICIPANTS, form=ConsultForm.ONLINE)
    url = f"/api/v1/consultation/public/topics/{topic.pk}/online"
    for guess in ("WRONG-1", "WRONG-2"):
        answer = client.post(url, {"code": guess, "comment": "同意"}, content_type="application/json")
        assert answer.status_code == 400
    right = next(iter(codes.values()))
    refused = client.post(url, {"code": right, "comment": "同意"}, content_type="application/json")
    assert refused.status_code == 429
    assert not Participant.objects.filter(topic=topic, code_used_at__isnull=False).exists()
