"""Writes for the dispatched-agency two-way evaluation, township classification and community workers."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.orgs.models import Kind, Level, Region

from .. import local_rules, rules
from ..models import (
    AgencyEvaluation,
    Appraisal,
    AppraisalGrade,
    ClassificationRound,
    CommunityProfile,
    CommunityWorker,
    Contract,
    TownshipFigures,
    Training,
)
from ..models.workers import WORKER_FLOW
from ..permissions import require_department_score, require_evaluate
from .tasks import check_version, lock

# Dispatched agencies ----------------------------------------------------------------------------------------


@transaction.atomic
def agency_register(
    *, actor, township: Region, department, agency_name: str, head_name: str, year: int
) -> AgencyEvaluation:
    """The township lists an agency a county department stations in it, for a year's evaluation."""
    require_evaluate(actor, township, "登记派驻机构")
    if township.level != Level.TOWNSHIP:
        raise ValidationError({"township": "派驻机构须驻在乡镇（街道）。"})
    if not township.code.startswith(department.region.prefix):
        raise ValidationError({"department": f"“{department.name}”不是{township.name}所在县的部门。"})
    if AgencyEvaluation.objects.filter(township=township, department=department, year=year).exists():
        raise ValidationError({"department": f"{department.name}派驻{township.name}的机构{year}年度已登记。"})
    evaluation = AgencyEvaluation(
        township=township,
        department=department,
        agency_name=agency_name.strip(),
        head_name=head_name.strip(),
        year=year,
    )
    evaluation.full_clean()
    evaluation.save()
    audit_record(
        actor=actor,
        action="campaign.agency_register",
        obj=evaluation,
        after=snapshot(evaluation),
        region_code=township.code,
    )
    return evaluation


def _require_unrated(evaluation) -> None:
    if evaluation.agency_grade:
        raise ValidationError({"agency_grade": "已评定等次，分数不能再修改。"})


@transaction.atomic
def agency_score_township(
    *, actor, evaluation: AgencyEvaluation, territorial, satisfaction, version: int | None
) -> AgencyEvaluation:
    """The township's part: territorial duties (40) and residents' satisfaction (20)."""
    evaluation = lock(evaluation)
    require_evaluate(actor, evaluation.township, "评定派驻机构履行属地职责和群众满意度")
    check_version(evaluation, version, "派驻机构考评")
    _require_unrated(evaluation)
    before = snapshot(evaluation)
    evaluation.territorial_score = rules.check_score(
        territorial, "territorial_score", evaluation.maxima["territorial"], "履行属地职责得分"
    )
    evaluation.satisfaction_score = rules.check_score(
        satisfaction, "satisfaction_score", evaluation.maxima["satisfaction"], "群众满意度测评得分"
    )
    return _save(actor, evaluation, before, "campaign.agency_township")


@transaction.atomic
def agency_score_department(
    *, actor, evaluation: AgencyEvaluation, statutory, version: int | None
) -> AgencyEvaluation:
    """The parent department's part: statutory duties (40)."""
    evaluation = lock(evaluation)
    require_department_score(actor, evaluation)
    check_version(evaluation, version, "派驻机构考评")
    _require_unrated(evaluation)
    before = snapshot(evaluation)
    evaluation.statutory_score = rules.check_score(
        statutory, "statutory_score", evaluation.maxima["statutory"], "履行法定职责得分"
    )
    return _save(actor, evaluation, before, "campaign.agency_department")


@transaction.atomic
def agency_rate(
    *, actor, evaluation: AgencyEvaluation, agency_grade: str, head_grade: str, version: int | None
) -> AgencyEvaluation:
    """The resident township sums up (汇总形成考核结果) and rates the agency and its head, under both rules."""
    from ..models import AgencyGrade, HeadGrade

    evaluation = lock(evaluation)
    require_evaluate(actor, evaluation.township, "评定派驻机构考核等次")
    check_version(evaluation, version, "派驻机构考评")
    if agency_grade not in AgencyGrade.values or head_grade not in HeadGrade.values:
        raise ValidationError({"agency_grade": "请选择机构和负责人的考核等次。"})
    if evaluation.total is None:
        raise ValidationError({"agency_grade": "乡镇（街道）和派出部门的评分都完成后，才能评定等次。"})
    on = local_rules.year_end(evaluation.year)
    rate = local_rules.in_force(evaluation.township, local_rules.AGENCY_EXCELLENT_RATE, on).value
    rules.check_agency_grade(evaluation, agency_grade, rate)
    head_rule = local_rules.in_force(evaluation.township, local_rules.AGENCY_HEAD_RULE, on).value
    rules.check_head_grade(agency_grade, head_grade, head_rule)
    before = snapshot(evaluation)
    evaluation.agency_grade, evaluation.head_grade = agency_grade, head_grade
    return _save(actor, evaluation, before, "campaign.agency_rate")


def _save(actor, evaluation, before, action) -> AgencyEvaluation:
    evaluation.version += 1
    evaluation.full_clean()
    evaluation.save()
    audit_record(
        actor=actor,
        action=action,
        obj=evaluation,
        before=before,
        after=snapshot(evaluation),
        region_code=evaluation.township.code,
    )
    return evaluation


# Township classification ------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *, actor, county: Region, year: int, class1_min=None, class2_min=None
) -> ClassificationRound:
    require_evaluate(actor, county, "组织乡镇（街道）分类")
    if county.level != Level.COUNTY:
        raise ValidationError({"county": "乡镇（街道）分类由县（市、区）组织。"})
    if ClassificationRound.objects.filter(county=county, year=year).exists():
        raise ValidationError({"year": f"{county.name}{year}年度的乡镇（街道）分类已建立。"})
    c1 = rules.check_score(class1_min if class1_min is not None else 120, "class1_min", 1000, "一类下限")
    c2 = rules.check_score(class2_min if class2_min is not None else 80, "class2_min", 1000, "二类下限")
    if c2 >= c1:
        raise ValidationError({"class2_min": "二类下限须低于一类下限。"})
    row = ClassificationRound.objects.create(county=county, year=year, class1_min=c1, class2_min=c2)
    audit_record(actor=actor, action="campaign.round", obj=row, after=snapshot(row), region_code=county.code)
    return row


@transaction.atomic
def figures_set(
    *,
    actor,
    round: ClassificationRound,
    township: Region,
    population,
    revenue,
    area,
    version: int | None = None,
) -> TownshipFigures:
    """A township's population (万人), fiscal revenue (万元) and area (km²) for the round."""
    round = lock(round)
    require_evaluate(actor, round.county, "录入乡镇（街道）分类指标")
    if township.parent_id != round.county_id or township.level != Level.TOWNSHIP:
        raise ValidationError({"township": f"“{township.name}”不是{round.county.name}的乡镇（街道）。"})
    values = {
        "population": rules.check_score(population, "population", 1000, "人口（万人）"),
        "revenue": rules.check_score(revenue, "revenue", 10_000_000, "财政收入（万元）"),
        "area": rules.check_score(area, "area", 100_000, "辖区面积（平方公里）"),
    }
    row = TownshipFigures.objects.select_for_update().filter(round=round, township=township).first()
    before = snapshot(row) if row else None
    if row is None:
        row = TownshipFigures.objects.create(round=round, township=township, **values)
    else:
        check_version(row, version, "分类指标")
        for key, value in values.items():
            setattr(row, key, value)
        row.version += 1
        row.save()
    round.version += 1
    round.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="campaign.figures",
        obj=round,
        before=before,
        after=snapshot(row),
        region_code=township.code,
    )
    return row


# Community workers ------------------------------------------------------------------------------------------


def _require_community(actor, community: Region, what: str) -> None:
    if community.level != Level.VILLAGE or community.kind != Kind.COMMUNITY:
        raise ValidationError({"community": f"“{community.name}”不是社区：社区工作者管理适用于城市社区。"})
    require_evaluate(actor, community, what)


@transaction.atomic
def profile_set(*, actor, community: Region, residents: int) -> CommunityProfile:
    _require_community(actor, community, "登记社区常住人口")
    if int(residents) < 0:
        raise ValidationError({"residents": "常住人口不能为负数。"})
    row, created = CommunityProfile.objects.select_for_update().get_or_create(
        community=community, defaults={"residents": int(residents)}
    )
    if not created:
        row.residents, row.version = int(residents), row.version + 1
        row.save()
    audit_record(
        actor=actor, action="campaign.profile", obj=row, after=snapshot(row), region_code=community.code
    )
    return row


@transaction.atomic
def worker_add(
    *,
    actor,
    community: Region,
    name: str,
    origin: str,
    post: str,
    joined_on: date,
    term: str,
    contract_starts: date,
    contract_ends: date,
) -> CommunityWorker:
    """Register a worker with the contract for the current term (一届一签)."""
    _require_community(actor, community, "管理社区工作者")
    worker = CommunityWorker(
        community=community, name=name.strip(), origin=origin, post=post, joined_on=joined_on
    )
    worker.full_clean()
    worker.save()
    _contract(worker, term, contract_starts, contract_ends)
    audit_record(
        actor=actor,
        action="campaign.worker_add",
        obj=worker,
        after=snapshot(worker),
        region_code=community.code,
    )
    return worker


def _contract(worker, term, starts, ends) -> Contract:
    if not (term or "").strip():
        raise ValidationError({"term": "请填写合同对应的届次（劳动合同一届一签）。"})
    if ends <= starts:
        raise ValidationError({"contract_ends": "合同终止日期须晚于起始日期。"})
    if worker.contracts.filter(term=term.strip()).exists():
        raise ValidationError({"term": f"{worker.name}在“{term}”已签订劳动合同：一届只签一次。"})
    contract = Contract(worker=worker, term=term.strip(), starts_on=starts, ends_on=ends)
    contract.full_clean()
    contract.save()
    return contract


@transaction.atomic
def contract_sign(
    *, actor, worker: CommunityWorker, term: str, starts_on: date, ends_on: date, version: int | None = None
) -> Contract:
    worker = lock(worker)
    _require_community(actor, worker.community, "签订劳动合同")
    check_version(worker, version, "社区工作者")
    if not WORKER_FLOW.may(worker, "contract"):
        raise ValidationError({"term": "该社区工作者的劳动合同已解除。"})
    contract = _contract(worker, term, starts_on, ends_on)
    worker.version += 1
    worker.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="campaign.contract",
        obj=worker,
        after=snapshot(contract),
        region_code=worker.community.code,
    )
    return contract


@transaction.atomic
def training_record(
    *, actor, worker: CommunityWorker, kind: str, title: str, held_on: date, hours, result: str = ""
) -> Training:
    worker = lock(worker)
    _require_community(actor, worker.community, "登记培训")
    hours = rules.check_score(hours, "hours", 1000, "学时").quantize(Decimal("0.1"))
    training = Training(
        worker=worker, kind=kind, title=title.strip(), held_on=held_on, hours=hours, result=result
    )
    training.full_clean()
    training.save()
    worker.version += 1
    worker.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="campaign.training",
        obj=worker,
        after=snapshot(training),
        region_code=worker.community.code,
    )
    return training


FAILING = AppraisalGrade.INCOMPETENT
TWO_YEARS_FAILING = "连续两年考核不合格（不称职），依第三十一条第（一）项解除劳动合同"


@transaction.atomic
def appraisal_record(
    *, actor, worker: CommunityWorker, year: int, grade: str, note: str = "", today: date | None = None
) -> Appraisal:
    """The year's appraisal; a second consecutive failing year (不称职) ends the contract (第三十一条(一))."""
    worker = lock(worker)
    _require_community(actor, worker.community, "登记年度考核")
    if grade not in AppraisalGrade.values:
        raise ValidationError({"grade": "考核等次只能是优秀、称职、基本称职或不称职。"})
    if not WORKER_FLOW.may(worker, "appraise"):
        raise ValidationError({"grade": "该社区工作者的劳动合同已解除。"})
    if worker.appraisals.filter(year=year).exists():
        raise ValidationError({"year": f"{worker.name}{year}年度的考核已登记。"})
    appraisal = Appraisal.objects.create(worker=worker, year=year, grade=grade, note=note.strip())
    before = snapshot(worker)
    # Appraisals may be entered late (a missed year filled in afterwards), so the year after counts too.
    neighbours = worker.appraisals.filter(year__in=(year - 1, year + 1), grade=FAILING)
    if grade == FAILING and neighbours.exists():
        _end_contract(worker, today or timezone.localdate(), TWO_YEARS_FAILING)
    worker.version += 1
    worker.save()
    audit_record(
        actor=actor,
        action="campaign.appraisal",
        obj=worker,
        before=before,
        after={**snapshot(worker), "year": year, "grade": grade},
        region_code=worker.community.code,
    )
    return appraisal


def _end_contract(worker, on: date, reason: str) -> None:
    WORKER_FLOW.move(worker, "end")
    worker.ended_on, worker.end_reason = on, reason
    for contract in worker.contracts.filter(ended_on__isnull=True, ends_on__gte=on):
        contract.ended_on, contract.end_reason, contract.version = on, reason, contract.version + 1
        contract.save()
