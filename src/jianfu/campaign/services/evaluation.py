"""Writes for the township's evaluation of its villages and communities, and the residents' survey."""

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.ratelimit import Limit
from jianfu.core.text import check_lengths
from jianfu.orgs.models import Level, Region

from .. import local_rules, rules
from ..models import EvaluationScheme, Indicator, SurveyAnswer, SurveyCode, VillageScore
from ..models.evaluation import SCHEME_FLOW, SURVEY_POINTS, SURVEY_QUESTIONS
from ..permissions import require_evaluate
from .tasks import check_version, lock

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read off paper
CODE_LENGTH = 8
MAX_CODES_PER_BATCH = 2000

# The indicators a new scheme starts with: satisfaction first and heaviest (seed 000), no veto items; their
# weights are the county's setting (local_rules.VILLAGE_WEIGHTS) in force the day the scheme is created.
DEFAULT_INDICATORS = (
    ("群众满意度", "入户问卷：为民服务、村务公开、干部作风、问题解决、总体评价", "satisfaction", True),
    ("为民服务", "便民服务、代办帮办、服务群众实效", "service", False),
    ("自治与协商", "村（居）民会议、协商议事、村务公开", "autonomy", False),
    ("依法协助工作", "清单内协助事项的落实", "assist", False),
)


def _require_draft(scheme) -> None:
    if not SCHEME_FLOW.may(scheme, "edit"):
        raise ValidationError({"status": "测评已开始，指标和权重不能再修改。"})


def _villages(scheme):
    return Region.objects.filter(parent=scheme.township, level=Level.VILLAGE, is_active=True)


@transaction.atomic
def scheme_create(*, actor, township: Region, year: int, title: str = "") -> EvaluationScheme:
    """The township's yearly evaluation, with the default indicators (editable while in draft)."""
    require_evaluate(actor, township, "组织村（社区）综合考评")
    if township.level != Level.TOWNSHIP:
        raise ValidationError({"township": "村（社区）综合考评由乡镇（街道）统一组织。"})
    if EvaluationScheme.objects.filter(township=township, year=year).exists():
        raise ValidationError({"year": f"{township.name}{year}年度的综合考评已建立。"})
    scheme = EvaluationScheme.objects.create(
        township=township,
        year=year,
        title=title or f"{township.name}{year}年度村（社区）综合考评",
        created_by=actor,
    )
    weights = local_rules.in_force(township, local_rules.VILLAGE_WEIGHTS).value
    for order, (name, description, part, satisfaction) in enumerate(DEFAULT_INDICATORS):
        weight = Decimal(str(weights[part]))
        Indicator.objects.create(
            scheme=scheme,
            name=name,
            description=description,
            weight=weight,
            is_satisfaction=satisfaction,
            order=order,
        )
    audit_record(
        actor=actor,
        action="campaign.scheme_create",
        obj=scheme,
        after=snapshot(scheme),
        region_code=township.code,
    )
    return scheme


@transaction.atomic
def indicators_set(
    *, actor, scheme: EvaluationScheme, version: int | None, rows: list[dict]
) -> EvaluationScheme:
    """Replace the indicator table at once; the weights must sum to 100% with satisfaction the heaviest."""
    scheme = lock(scheme)
    require_evaluate(actor, scheme.township, "设置考评指标")
    check_version(scheme, version, "考评方案")
    _require_draft(scheme)
    built = []
    for n, row in enumerate(rows, start=1):
        name = (row.get("name") or "").strip()
        if not name:
            raise ValidationError({"name": f"第 {n} 项指标：请填写指标名称。"})
        rules.refuse_veto(name, row.get("description") or "")
        if row.get("veto"):
            rules.refuse_veto("一票否决")
        weight = rules.check_score(row.get("weight"), "weight", label=f"第 {n} 项指标“{name}”的权重")
        indicator = Indicator(
            scheme=scheme,
            name=name,
            description=(row.get("description") or "").strip(),
            weight=weight,
            is_satisfaction=bool(row.get("is_satisfaction")),
            order=n,
        )
        try:
            check_lengths(indicator)  # bulk_create below sends no pre_save
        except ValidationError as exc:
            raise ValidationError(
                {k: [f"第 {n} 项指标：{m}" for m in v] for k, v in exc.message_dict.items()}
            ) from exc
        built.append(indicator)
    rules.check_weights(built)
    before = [snapshot(i) for i in scheme.indicators.all()]
    scheme.indicators.all().delete()
    Indicator.objects.bulk_create(built)
    scheme.version += 1
    scheme.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="campaign.indicators",
        obj=scheme,
        before={"indicators": before},
        after={
            "indicators": [
                {"name": i.name, "weight": str(i.weight), "is_satisfaction": i.is_satisfaction} for i in built
            ]
        },
        region_code=scheme.township.code,
    )
    return scheme


@transaction.atomic
def scheme_open(*, actor, scheme: EvaluationScheme, version: int | None) -> EvaluationScheme:
    scheme = lock(scheme)
    require_evaluate(actor, scheme.township, "开始测评")
    check_version(scheme, version, "考评方案")
    _require_draft(scheme)
    rules.check_weights(scheme.indicators.all())
    return _move(actor, scheme, "open")


@transaction.atomic
def scheme_close(*, actor, scheme: EvaluationScheme, version: int | None) -> EvaluationScheme:
    """Close the survey and publish the scores; every village must have every indicator scored."""
    from ..selectors_eval import missing_scores

    scheme = lock(scheme)
    require_evaluate(actor, scheme.township, "公布考评结果")
    check_version(scheme, version, "考评方案")
    if not SCHEME_FLOW.may(scheme, "close"):
        raise ValidationError({"status": "只有测评中的考评可以公布结果。"})
    missing = missing_scores(scheme)
    if missing:
        raise ValidationError({"status": f"尚有 {len(missing)} 项未评分（如：{missing[0]}），请评完再公布。"})
    return _move(actor, scheme, "close")


def _move(actor, scheme, step: str) -> EvaluationScheme:
    before = snapshot(scheme)
    SCHEME_FLOW.move(scheme, step)
    scheme.version += 1
    scheme.save(update_fields=["status", "version"])
    audit_record(
        actor=actor,
        action="campaign.scheme_status",
        obj=scheme,
        before=before,
        after=snapshot(scheme),
        region_code=scheme.township.code,
    )
    return scheme


@transaction.atomic
def score_enter(
    *,
    actor,
    scheme: EvaluationScheme,
    village: Region,
    indicator: Indicator,
    score,
    version: int | None = None,
) -> VillageScore:
    """The township's 0–100 score of a village on an indicator (satisfaction comes from the survey)."""
    scheme = lock(scheme)
    require_evaluate(actor, scheme.township, "评分")
    if not SCHEME_FLOW.may(scheme, "score"):
        raise ValidationError({"score": "只有测评中的考评可以评分。"})
    if village.parent_id != scheme.township_id or indicator.scheme_id != scheme.pk:
        raise ValidationError({"village": "该村（社区）或指标不属于本次考评。"})
    if indicator.is_satisfaction:
        raise ValidationError({"score": "群众满意度由入户问卷自动得出，不能手工评分。"})
    value = rules.check_score(score, label=f"“{village.name}”的“{indicator.name}”得分")
    row = (
        VillageScore.objects.select_for_update()
        .filter(scheme=scheme, village=village, indicator=indicator)
        .first()
    )
    before = snapshot(row) if row else None
    if row is None:
        row = VillageScore.objects.create(
            scheme=scheme, village=village, indicator=indicator, score=value, entered_by=actor
        )
    else:
        check_version(row, version, "得分")
        row.score, row.entered_by, row.version = value, actor, row.version + 1
        row.save()
    audit_record(
        actor=actor,
        action="campaign.score",
        obj=scheme,
        before=before,
        after=snapshot(row),
        region_code=village.code,
    )
    return row


@dataclass(frozen=True)
class ScoreCell:
    """One cell of the scoring sheet: the score typed and the version the person was shown (0: shown unscored;
    None: not known, no check)."""

    village: Region
    indicator: Indicator
    score: str
    version: int | None


class _SheetRefused(Exception):
    pass


def scores_enter(*, actor, scheme: EvaluationScheme, cells: list[ScoreCell]) -> list[VillageScore]:
    """A whole sheet of scores, all or none: one bad cell refuses the sheet and names every bad cell (bad input
    changes nothing). A cell shown unscored that a colleague scored meanwhile is a stale write, not an overwrite."""
    errors: list[str] = []
    saved: list[VillageScore] = []
    try:
        with transaction.atomic():
            for cell in cells:
                try:
                    label = f"“{cell.village.name}”的“{cell.indicator.name}”得分"
                    scored = VillageScore.objects.filter(
                        scheme=scheme, village=cell.village, indicator=cell.indicator
                    )
                    if cell.version == 0 and scored.exists():
                        raise StaleWriteError(label)
                    saved.append(
                        score_enter(
                            actor=actor,
                            scheme=scheme,
                            village=cell.village,
                            indicator=cell.indicator,
                            score=cell.score,
                            version=cell.version or None,
                        )
                    )
                except ValidationError as exc:
                    errors += exc.messages
            if errors:
                raise _SheetRefused
    except _SheetRefused:
        raise ValidationError([*errors, "以上错误改正前，本页评分均未保存。"]) from None
    return saved


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def codes_issue(
    *, actor, scheme: EvaluationScheme, village: Region, count: int, households: list[str] | None = None
) -> list[SurveyCode]:
    """One-time codes for the households of a village, printed and handed out door to door."""
    scheme = lock(scheme)
    require_evaluate(actor, scheme.township, "发放测评码")
    if not SCHEME_FLOW.may(scheme, "codes"):
        raise ValidationError({"count": "考评已公布，不能再发放测评码。"})
    if village.parent_id != scheme.township_id:
        raise ValidationError({"village": f"“{village.name}”不属于{scheme.township.name}。"})
    households = households or []
    count = max(int(count or 0), len(households))
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationError({"count": f"每次可发放 1 至 {MAX_CODES_PER_BATCH} 个测评码。"})
    made = []
    for n in range(count):
        household = households[n] if n < len(households) else ""
        made.append(
            SurveyCode.objects.create(
                scheme=scheme, village=village, code=_new_code(), household=household[:100]
            )
        )
    scheme.version += 1
    scheme.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="campaign.codes",
        obj=scheme,
        after={"village": village.code, "count": count},
        region_code=village.code,
    )
    return made


REUSED = "该测评码已经使用过，每户只能答卷一次。如有疑问请联系乡镇（街道）。"
STAFF_REFUSED = "满意度问卷由群众凭测评码自行填写：工作人员请退出登录后再打开本页，不得代填。"
UNKNOWN = "测评码不存在，请核对纸条上的 8 位测评码。"


# Codes are 8 characters of 32 (≈10¹² combinations); capping wrong codes per client address
# (settings.RATE_LIMITS["survey_code"]) keeps guessing hopeless.
TOO_MANY = "输入错误的测评码次数过多，请约 {minutes} 分钟后再试，或联系乡镇（街道）核对测评码。"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def survey_answer(*, code: str, answers: dict, comment: str = "", limit: Limit | None = None) -> SurveyAnswer:
    """A household answers the survey with its code (no login). The code is locked and marked used in the
    same transaction; the one-to-one answer row refuses a second answer even if two arrive at once.
    ``limit`` counts the wrong codes of the caller's address and refuses once there were too many."""
    if limit is not None:
        limit.check()
    row = (
        SurveyCode.objects.select_for_update()
        .select_related("scheme", "village")
        .filter(code=normalise_code(code))
        .first()
    )
    if row is None:
        if limit is not None:
            limit.hit()
        raise ValidationError({"code": UNKNOWN})
    if row.used_at is not None:
        raise ValidationError({"code": REUSED})
    if not SCHEME_FLOW.may(row.scheme, "survey"):
        raise ValidationError({"code": "本次满意度测评未在进行中。"})
    points = []
    for key, label in SURVEY_QUESTIONS:
        value = str(answers.get(key, ""))
        if value not in SURVEY_POINTS:
            raise ValidationError({key: f"请选择“{label}”的满意程度。"})
        points.append(SURVEY_POINTS[value])
    claimed = SurveyCode.objects.filter(pk=row.pk, used_at__isnull=True).update(
        used_at=timezone.now(), version=row.version + 1
    )
    if not claimed:
        raise ValidationError({"code": REUSED})
    score = rules.q2(Decimal(sum(points)) / len(points))
    try:
        with transaction.atomic():
            answer = SurveyAnswer.objects.create(
                code=row,
                scheme=row.scheme,
                village=row.village,
                score=score,
                comment=comment.strip()[:1000],
                answers={k: str(answers[k]) for k, _ in SURVEY_QUESTIONS},
            )
    except IntegrityError as exc:
        raise ValidationError({"code": REUSED}) from exc
    audit_record(
        actor=None,
        action="campaign.survey",
        obj=answer.scheme,
        after={"village": row.village.code, "score": str(score)},
        region_code=row.village.code,
    )
    return answer
