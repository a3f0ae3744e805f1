"""Dispatched agencies (two-way evaluation), township classification, community workers: one test per rule."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.campaign import rules, selectors_eval, services
from jianfu.campaign.models import ClassificationRound, CommunityWorker, Contract, TownshipFigures
from jianfu.orgs import services as orgs_services
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
    weights = {"population": Decimal("0.5"), "revenue": Decimal("0.3"), "area": Decimal("0.2")}
    result = rules.classify_townships([big, mid, small], 120, 80, weights)
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
    seed = {
        "bands": {"min": 5000, "max": 10000},
        "staff": {"mid": {"min": 5, "max": 5}, "large": {"min": 5, "max": 7}},
    }
    assert rules.staffing_check(8000, 5, **seed).ok and not rules.staffing_check(8000, 4, **seed).ok
    assert rules.staffing_check(12000, 7, **seed).ok and not rules.staffing_check(12000, 8, **seed).ok
    assert rules.staffing_check(3000, 2, **seed).ok is None
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


# Each county's own numbers (区划设置) ---------------------------------------------------------------------------


def _set(world, key, value, on=None):
    from django.utils import timezone

    return orgs_services.region_setting_set(
        actor=world.office,
        region=world.county,
        key=key,
        value=value,
        effective_from=on or timezone.localdate(),
        reason="县委常委会会议研究决定",
    )


def test_a_countys_own_classification_weights_apply_to_its_round_and_the_page_names_them(world, login):
    from django.utils import timezone

    year = timezone.localdate().year
    round = services.round_create(actor=world.office, county=world.county, year=year)
    for township, population in ((world.township_hk, 6), (world.township_cg, 2)):
        services.figures_set(
            actor=world.office, round=round, township=township, population=population, revenue=100, area=100
        )

    def composites():
        return {r.figures.township.name: r.composite for r in selectors_eval.classification(round)}

    # population indices 150 and 50, revenue and area 100: 5:3:2 gives 125 and 75
    assert composites() == {
        world.township_hk.name: Decimal("125.00"),
        world.township_cg.name: Decimal("75.00"),
    }
    _set(world, "campaign.class_weights", {"population": 20, "revenue": 40, "area": 40})
    assert composites() == {
        world.township_hk.name: Decimal("110.00"),
        world.township_cg.name: Decimal("90.00"),
    }
    page = login(world.office).get(f"/campaign/classification/{round.pk}/").content.decode()
    assert "人口指数 × 20%" in page and "清河县" in page and "起施行" in page


def test_weights_not_summing_to_100_are_refused_naming_the_field(world):
    with pytest.raises(ValidationError, match="「乡镇（街道）分类权重」各项权重之和须为 100%（现为 90%）"):
        _set(world, "campaign.class_weights", {"population": 50, "revenue": 30, "area": 10})
    with pytest.raises(ValidationError, match="群众满意度"):
        _set(
            world,
            "campaign.village_weights",
            {"satisfaction": 30, "service": 30, "autonomy": 20, "assist": 20},
        )


def test_a_county_may_lower_the_excellent_rate_and_drop_the_head_rule(world, agency):
    _set(world, "campaign.agency_excellent_rate", 80)
    _set(world, "campaign.agency_head_rule", False)
    agency = _score(world, agency, 30, 18, 38)  # 48/60 = 80%
    agency = services.agency_rate(
        actor=world.town_hk,
        evaluation=agency,
        agency_grade="excellent",
        head_grade="excellent",
        version=agency.version,
    )
    assert agency.agency_grade == "excellent"


def test_agency_weights_set_each_parts_full_marks(world, agency):
    _set(world, "campaign.agency_weights", {"territorial": 50, "satisfaction": 20, "statutory": 30})
    agency = services.agency_score_township(
        actor=world.town_hk, evaluation=agency, territorial=45, satisfaction=20, version=agency.version
    )
    assert agency.township_max == 70
    with pytest.raises(ValidationError, match="0 至 30"):
        services.agency_score_department(
            actor=world.dept_clerk, evaluation=agency, statutory=35, version=agency.version
        )


def test_the_committee_composition_is_checked_against_the_countys_numbers(world):
    services.profile_set(actor=world.town_cg, community=world.community_jiefang, residents=9000)
    _worker(world, "书记", post="secretary")
    _worker(world, "委员甲", post="member")

    def row():
        return next(
            r
            for r in selectors_eval.staffing(selectors_eval.communities(world.town_cg))
            if r["community"] == world.community_jiefang
        )

    assert row()["composition"] == ["社区居委会主任应为 1 人，现有 0 人", "专职委员应为 2—3 人，现有 1 人"]
    _set(
        world,
        "campaign.committee_composition",
        {"secretary": {"min": 1, "max": 1}, "director": {"min": 0, "max": 1}, "member": {"min": 1, "max": 3}},
    )
    assert row()["composition"] == []
    with pytest.raises(ValidationError, match="不能少于最少"):
        _set(world, "campaign.station_staff", {"mid": {"min": 5, "max": 5}, "large": {"min": 7, "max": 5}})
