"""The township's evaluation of villages, the survey with one-time codes, and the ranking."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.test import RequestFactory

from jianfu.campaign import selectors_eval, services
from jianfu.campaign.models import Indicator, SurveyAnswer, SurveyCode
from jianfu.core import ratelimit

ALL_SATISFIED = {"service": "3", "openness": "3", "conduct": "3", "problems": "3", "overall": "3"}
MIXED = {
    "service": "3",
    "openness": "2",
    "conduct": "1",
    "problems": "3",
    "overall": "2",
}  # (100+60+0+100+60)/5


def rows(*specs):
    return [{"name": n, "weight": w, "is_satisfaction": s} for n, w, s in specs]


@pytest.fixture
def scheme(world):
    return services.scheme_create(actor=world.town_hk, township=world.township_hk, year=2026)


def test_it_starts_with_satisfaction_as_the_heaviest_indicator_summing_to_100(scheme):
    indicators = list(scheme.indicators.all())
    assert sum(i.weight for i in indicators) == 100
    assert max(indicators, key=lambda i: i.weight).is_satisfaction


@pytest.mark.parametrize(
    "table, message",
    [
        (rows(("群众满意度", 50, True), ("为民服务", 40, False)), "合计应为 100%，现为 90.00%"),
        (
            rows(("群众满意度", 30, True), ("为民服务", 40, False), ("自治", 30, False)),
            "须高于其他任何一项指标",
        ),
        (
            rows(("群众满意度", 40, True), ("为民服务", 40, False), ("自治", 20, False)),
            "须高于其他任何一项指标",
        ),
        (rows(("群众满意度", 60, True), ("安全生产一票否决", 40, False)), "一票否决"),
        (rows(("为民服务", 60, False), ("自治", 40, False)), "有且只有一项"),
        (rows(("群众满意度", 120, True), ("为民服务", -20, False)), "应在 0 至 100 之间"),
        (
            [
                {"name": "群众满意度", "weight": 60, "is_satisfaction": True},
                {"name": "为民服务", "weight": 40, "description": "说" * 301},
            ],
            "第 2 项指标：「评分说明」不能超过 300 字（现为 301 字）",
        ),
    ],
)
def test_it_refuses_bad_indicator_tables_and_changes_nothing(scheme, world, table, message):
    before = list(Indicator.objects.filter(scheme=scheme).values_list("name", "weight"))
    with pytest.raises(ValidationError) as err:
        services.indicators_set(actor=world.town_hk, scheme=scheme, version=scheme.version, rows=table)
    assert message in str(err.value)
    assert list(Indicator.objects.filter(scheme=scheme).values_list("name", "weight")) == before


def test_it_refuses_a_veto_flag_even_under_an_innocent_name(scheme, world):
    table = [
        {"name": "群众满意度", "weight": 60, "is_satisfaction": True},
        {"name": "安全", "weight": 40, "veto": True},
    ]
    with pytest.raises(ValidationError, match="一票否决"):
        services.indicators_set(actor=world.town_hk, scheme=scheme, version=scheme.version, rows=table)


def test_it_keeps_other_townships_out(scheme, world):
    with pytest.raises(PermissionDenied):
        services.indicators_set(actor=world.town_cg, scheme=scheme, version=scheme.version, rows=[])
    assert not selectors_eval.schemes(world.town_cg).filter(pk=scheme.pk).exists()


def _open_with_codes(world, scheme):
    scheme = services.scheme_open(actor=world.town_hk, scheme=scheme, version=scheme.version)
    return scheme, services.codes_issue(
        actor=world.town_hk, scheme=scheme, village=world.village_taoyuan, count=3
    )


def test_it_takes_one_answer_per_code_and_scores_the_village(scheme, world):
    scheme, codes = _open_with_codes(world, scheme)
    services.survey_answer(code=codes[0].code.lower(), answers=ALL_SATISFIED)
    services.survey_answer(code=codes[1].code, answers=MIXED)
    with pytest.raises(ValidationError, match="已经使用过"):
        services.survey_answer(code=codes[0].code, answers=MIXED)
    with pytest.raises(ValidationError, match="测评码不存在"):
        services.survey_answer(code="ZZZZZZZZ", answers=MIXED)
    with pytest.raises(ValidationError, match="总体评价"):
        services.survey_answer(code=codes[2].code, answers={**MIXED, "overall": "9"})
    assert not SurveyCode.objects.get(pk=codes[2].pk).used_at  # a refused answer leaves the code usable
    taoyuan = next(r for r in selectors_eval.results(scheme) if r["village"] == world.village_taoyuan)
    satisfaction = scheme.indicators.get(is_satisfaction=True)
    assert taoyuan["values"][satisfaction.pk] == Decimal("82.00")  # (100 + 64) / 2
    assert taoyuan["answers"] == 2


@pytest.mark.django_db(transaction=True)
def test_it_accepts_only_one_of_two_simultaneous_answers_with_the_same_code(world):
    scheme = services.scheme_create(actor=world.town_hk, township=world.township_hk, year=2026)
    scheme, codes = _open_with_codes(world, scheme)
    outcomes, barrier = [], threading.Barrier(2)

    def answer():
        try:
            barrier.wait()
            services.survey_answer(code=codes[0].code, answers=ALL_SATISFIED)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            close_old_connections()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == sorted(["ok", services.REUSED])
    assert SurveyAnswer.objects.filter(code=codes[0]).count() == 1


def test_it_scores_ranks_and_publishes(scheme, world):
    scheme, codes = _open_with_codes(world, scheme)
    with pytest.raises(ValidationError, match="应在 0 至 100 之间"):
        services.score_enter(
            actor=world.town_hk,
            scheme=scheme,
            village=world.village_taoyuan,
            indicator=scheme.indicators.get(name="为民服务"),
            score=101,
        )
    with pytest.raises(ValidationError, match="问卷自动得出"):
        services.score_enter(
            actor=world.town_hk,
            scheme=scheme,
            village=world.village_taoyuan,
            indicator=scheme.indicators.get(is_satisfaction=True),
            score=90,
        )
    scheme.refresh_from_db()
    with pytest.raises(ValidationError, match="未评分"):
        services.scheme_close(actor=world.town_hk, scheme=scheme, version=scheme.version)
    services.survey_answer(code=codes[0].code, answers=ALL_SATISFIED)
    villages = list(selectors_eval.villages_of(scheme))
    for village in villages:
        for indicator in scheme.indicators.filter(is_satisfaction=False):
            score = 90 if village == world.village_taoyuan else 80
            services.score_enter(
                actor=world.town_hk, scheme=scheme, village=village, indicator=indicator, score=score
            )
        if village != world.village_taoyuan:
            code = services.codes_issue(actor=world.town_hk, scheme=scheme, village=village, count=1)[0]
            services.survey_answer(code=code.code, answers=MIXED)
    result = selectors_eval.results(scheme)
    assert result[0]["village"] == world.village_taoyuan and result[0]["rank"] == 1
    # 50% × 100 + 50% × 90 = 95
    assert result[0]["total"] == Decimal("95.00")
    scheme.refresh_from_db()
    scheme = services.scheme_close(actor=world.town_hk, scheme=scheme, version=scheme.version)
    assert scheme.status == "closed"


def test_it_stops_a_client_guessing_codes_after_too_many_wrong_ones(scheme, world, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "survey_code": "3/h"}
    scheme, codes = _open_with_codes(world, scheme)

    def guess(code, address):
        request = RequestFactory().post("/public/campaign/survey/", REMOTE_ADDR=address)
        limit = ratelimit.limit(request, "survey_code", services.TOO_MANY)
        return services.survey_answer(code=code, answers=MIXED, limit=limit)

    for _ in range(3):
        with pytest.raises(ValidationError, match="测评码不存在"):
            guess("ZZZZZZZZ", "10.0.0.9")
    with pytest.raises(ratelimit.Throttled, match="次数过多"):
        guess(codes[0].code, "10.0.0.9")
    assert not SurveyCode.objects.get(pk=codes[0].pk).used_at
    guess(codes[0].code, "10.0.0.10")  # others unaffected
    for _ in range(3):
        client.post("/api/v1/campaign/survey", {"code": "ZZZZZZZZ", "answers": MIXED}, "application/json")
    response = client.post(
        "/api/v1/campaign/survey", {"code": codes[1].code, "answers": MIXED}, "application/json"
    )
    assert response.status_code == 429 and "次数过多" in response.json()["error"]["message"]
    page = client.post("/public/campaign/survey/", {"code": codes[1].code, **MIXED})
    assert page.status_code == 429 and "次数过多" in page.content.decode()
    assert not SurveyCode.objects.get(pk=codes[1].pk).used_at


def test_a_scoring_sheet_is_saved_all_or_none_by_the_service(world):
    """The all-or-nothing rule lives in the service (scores_enter), so pages, API and CLI share it."""
    from jianfu.campaign.models import VillageScore

    scheme = services.scheme_create(actor=world.town_hk, township=world.township_hk, year=2026)
    scheme = services.scheme_open(actor=world.town_hk, scheme=scheme, version=scheme.version)
    first, second = [i for i in scheme.indicators.order_by("order") if not i.is_satisfaction][:2]
    cell = services.ScoreCell
    with pytest.raises(ValidationError) as refused:
        services.scores_enter(
            actor=world.town_hk,
            scheme=scheme,
            cells=[
                cell(world.village_taoyuan, first, "80", 0),
                cell(world.village_taoyuan, second, "150", 0),
            ],
        )
    assert (
        "均未保存" in refused.value.messages[-1] and not VillageScore.objects.filter(scheme=scheme).exists()
    )
    saved = services.scores_enter(
        actor=world.town_hk,
        scheme=scheme,
        cells=[cell(world.village_taoyuan, first, "80", 0), cell(world.village_taoyuan, second, "90", 0)],
    )
    assert [row.score for row in saved] == [80, 90]
    with pytest.raises(ValidationError, match="已被其他用户修改"):  # shown unscored, scored meanwhile
        services.scores_enter(
            actor=world.town_hk, scheme=scheme, cells=[cell(world.village_taoyuan, first, "70", 0)]
        )
