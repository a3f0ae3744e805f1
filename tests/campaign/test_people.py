"""Dispatched agencies (two-way evaluation), township classification, community workers: one test per rule."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.campaign import rules, selectors_eval, services
from jianfu.campaign.models import ClassificationRound, CommunityWorker, Contract, TownshipFigures
from jianfu.orgs.models import Region


@pytest.fixture
def agency(world):
    return services.agency_register(
        actor=world.town_hk,
        township=world.township_hk,
        department=world.dept_rs,
        agency_name="河口镇劳动保障所",
        head_name="刘洋",
        year=2026,
    )


def _score(world, agency, territorial, satisfaction, statutory):
    agency = services.agency_score_township(
        actor=world.town_hk,
        evaluation=agency,
        territorial=territorial,
        satisfaction=satisfaction,
        version=agency.version,
    )
    return services.agency_score_department(
        actor=world.dept_clerk, evaluation=agency, statutory=statutory, version=agency.version
    )


def test_it_weights_township_40_plus_20_and_department_40(world, agency):
    agency = _score(world, agency, 38, 18, 36)
    assert (agency.township_part, agency.total) == (Decimal(56), Decimal(92))


def test_it_lets_each_side_score_only_its_own_part(world, agency):
    with pytest.raises(PermissionDenied):
        services.agency_score_department(actor=world.town_hk, evaluation=agency, statutory=30, version=None)
    with pytest.raises(PermissionDenied):
        services.agency_score_township(
            actor=world.dept_clerk, evaluation=agency, territorial=30, satisfaction=10, version=None
        )
    with pytest.raises(PermissionDenied):
        services.agency_score_township(
            actor=world.town_cg, evaluation=agency, territorial=30, satisfaction=10, version=None
        )


def test_it_refuses_scores_above_each_parts_maximum(world, agency):
    with pytest.raises(ValidationError, match="应在 0 至 40 之间"):
        services.agency_score_township(
            actor=world.town_hk, evaluation=agency, territorial=41, satisfaction=10, version=agency.version
        )
    with pytest.raises(ValidationError, match="应在 0 至 20 之间"):
        services.agency_score_township(
            actor=world.town_hk, evaluation=agency, territorial=30, satisfaction=21, version=agency.version
        )


def test_it_refuses_excellent_when_the_township_part_is_under_90_percent(world, agency):
    agency = _score(world, agency, 36, 17, 40)  # 53 / 60 = 88.33 %
    with pytest.raises(ValidationError, match="88.33%，未达 90%"):
        services.agency_rate(
            actor=world.town_hk,
            evaluation=agency,
            agency_grade="excellent",
            head_grade="competent",
            version=agency.version,
        )
    agency = services.agency_rate(
        actor=world.town_hk,
        evaluation=agency,
        agency_grade="good",
        head_grade="competent",
        version=agency.version,
    )
    assert agency.agency_grade == "good"


def test_it_allows_excellent_at_exactly_90_percent(world, agency):
    agency = _score(world, agency, 36, 18, 30)  # 54 / 60 = 90 %
    agency = services.agency_rate(
        actor=world.town_hk,
        evaluation=agency,
        agency_grade="excellent",
        head_grade="excellent",
        version=agency.version,
    )
    assert (agency.agency_grade, agency.head_grade) == ("excellent", "excellent")


def test_it_refuses_an_excellent_head_of_an_agency_not_rated_excellent(world, agency):
    agency = _score(world, agency, 40, 20, 40)
    with pytest.raises(ValidationError, match="主要负责人年度考核不得评为优秀"):
        services.agency_rate(
            actor=world.town_hk,
            evaluation=agency,
            agency_grade="good",
            head_grade="excellent",
            version=agency.version,
        )


def test_it_shows_the_grid_figures_as_evidence(world, agency):
    figures = selectors_eval.agency_figures(agency)
    assert set(figures) >= {"handled", "on_time", "on_time_rate", "satisfaction"}


# Township classification -----------------------------------------------------------------------------------


def test_it_weights_population_revenue_and_area_5_3_2_into_classes_and_posts():
    class F:
        def __init__(self, p, r, a):
            self.population, self.revenue, self.area = p, r, a

    big, mid, small = F(6, 30000, 100), F(3, 15000, 100), F(1, 5000, 100)  # means 10/3, 50000/3, 100
    result = rules.classify_townships([big, mid, small], 120, 80)
    # big: pop 180, rev 180, area 100 → 0.5×180 + 0.3×180 + 0.2×100 = 164
    assert result[0].indices == {
        "population": Decimal("180.00"),
        "revenue": Decimal("180.00"),
        "area": Decimal("100.00"),
    }
    assert result[0].composite == Decimal("164.00") and (result[0].township_class, result[0].posts) == (1, 11)
    assert result[1].composite == Decimal("92.00") and (result[1].township_class, result[1].posts) == (2, 11)
    assert result[2].composite == Decimal("44.00") and (result[2].township_class, result[2].posts) == (3, 9)


def test_it_records_figures_only_for_the_countys_townships(world):
    round = services.round_create(actor=world.office, county=world.county, year=2026)
    services.figures_set(
        actor=world.office, round=round, township=world.township_hk, population="3.9", revenue=16800, area=126
    )
    with pytest.raises(ValidationError):
        services.figures_set(
            actor=world.office, round=round, township=world.village_taoyuan, population=1, revenue=1, area=1
        )
    with pytest.raises(ValidationError, match="人口"):
        services.figures_set(
            actor=world.office, round=round, township=world.township_hk, population=-1, revenue=1, area=1
        )
    with pytest.raises(PermissionDenied):
        services.round_create(actor=world.town_hk, county=world.county, year=2027)
    assert TownshipFigures.objects.get(round=round).population == Decimal("3.90")
    assert ClassificationRound.objects.count() == 1


# Community workers ------------------------------------------------------------------------------------------


def _worker(world, name="李娜", post="service"):
    return services.worker_add(
        actor=world.town_cg,
        community=world.community_jiefang,
        name=name,
        origin="recruited",
        post=post,
        joined_on=date(2021, 9, 1),
        term="第十一届",
        contract_starts=date(2021, 9, 1),
        contract_ends=date(2026, 8, 31),
    )


def test_it_checks_the_service_station_staffing(world):
    assert rules.staffing_check(8000, 5).ok and not rules.staffing_check(8000, 4).ok
    assert rules.staffing_check(12000, 7).ok and not rules.staffing_check(12000, 8).ok
    assert rules.staffing_check(3000, 2).ok is None
    services.profile_set(actor=world.town_cg, community=world.community_jiefang, residents=9000)
    for n in range(4):
        _worker(world, f"工作者{n}")
    _worker(world, "书记", post="secretary")
    row = next(
        r
        for r in selectors_eval.staffing(selectors_eval.communities(world.town_cg))
        if r["community"] == world.community_jiefang
    )
    assert (row["check"].service_staff, row["check"].ok) == (4, False)


def test_it_signs_one_contract_per_term(world):
    worker = _worker(world)
    with pytest.raises(ValidationError, match="一届只签一次"):
        services.contract_sign(
            actor=world.town_cg,
            worker=worker,
            term="第十一届",
            starts_on=date(2026, 9, 1),
            ends_on=date(2031, 8, 31),
        )
    services.contract_sign(
        actor=world.town_cg,
        worker=worker,
        term="第十二届",
        starts_on=date(2026, 9, 1),
        ends_on=date(2031, 8, 31),
    )
    assert worker.contracts.count() == 2


def test_it_ends_the_contract_after_two_consecutive_failing_years(world):
    worker = _worker(world)
    services.appraisal_record(actor=world.town_cg, worker=worker, year=2022, grade="incompetent")
    services.appraisal_record(actor=world.town_cg, worker=worker, year=2023, grade="basic")
    services.appraisal_record(actor=world.town_cg, worker=worker, year=2024, grade="incompetent")
    worker.refresh_from_db()
    assert worker.status == "active"  # not consecutive
    services.appraisal_record(
        actor=world.town_cg, worker=worker, year=2025, grade="incompetent", today=date(2026, 1, 15)
    )
    worker.refresh_from_db()
    assert worker.status == "ended" and "连续两年考核不合格" in worker.end_reason
    assert Contract.objects.get(worker=worker).ended_on == date(2026, 1, 15)
    with pytest.raises(ValidationError, match="已解除"):
        services.appraisal_record(actor=world.town_cg, worker=worker, year=2026, grade="competent")


def test_it_keeps_community_workers_to_the_subdistrict_and_refuses_villages(world):
    with pytest.raises(PermissionDenied):
        _worker_by(world.town_hk, world)
    with pytest.raises(ValidationError, match="不是社区"):
        services.profile_set(actor=world.town_hk, community=world.village_taoyuan, residents=100)
    assert CommunityWorker.objects.count() == 0
    assert Region.objects.filter(pk=world.community_jiefang.pk).exists()


def _worker_by(actor, world):
    return services.worker_add(
        actor=actor,
        community=world.community_jiefang,
        name="x",
        origin="elected",
        post="director",
        joined_on=date(2021, 9, 1),
        term="第十一届",
        contract_starts=date(2021, 9, 1),
        contract_ends=date(2026, 8, 31),
    )


def test_it_ends_the_contract_when_the_earlier_failing_year_is_entered_late(world):
    worker = _worker(world)
    services.appraisal_record(actor=world.town_cg, worker=worker, year=2025, grade="incompetent")
    services.appraisal_record(
        actor=world.town_cg, worker=worker, year=2024, grade="incompetent", today=date(2026, 2, 1)
    )
    worker.refresh_from_db()
    assert worker.status == "ended" and "连续两年考核不合格" in worker.end_reason
