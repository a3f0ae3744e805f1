"""The township's yearly comprehensive evaluation of its villages and communities (seed 000 (五) and task 13):
indicators with weights, residents' satisfaction as the main measure, a survey with one-time codes."""

from django.conf import settings
from django.db import models

from jianfu.core.choices import badge_choices
from jianfu.core.text import NOTE, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Region

# The survey every household answers: each question 满意 / 基本满意 / 不满意.
SURVEY_QUESTIONS = (
    ("service", "村（社区）为民服务情况"),
    ("openness", "村务（居务）公开情况"),
    ("conduct", "村（社区）干部工作作风和态度"),
    ("problems", "群众反映问题的解决情况"),
    ("overall", "总体评价"),
)
SURVEY_CHOICES = (("3", "满意"), ("2", "基本满意"), ("1", "不满意"))
SURVEY_POINTS = {"3": 100, "2": 60, "1": 0}


@badge_choices({"draft": "secondary", "open": "primary", "closed": "success"})
class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "设置指标"
    OPEN = "open", "测评中"
    CLOSED = "closed", "已公布"


# The township's yearly evaluation: indicators set in draft, scored and surveyed while open, then published.
SCHEME_FLOW = Workflow(
    SchemeStatus,
    Transition("edit", "修改指标和权重", {SchemeStatus.DRAFT}),
    Transition("open", "开始测评", {SchemeStatus.DRAFT}, SchemeStatus.OPEN),
    Transition("score", "评分", {SchemeStatus.OPEN}),
    Transition("survey", "满意度测评", {SchemeStatus.OPEN}),
    Transition("codes", "发放测评码", {SchemeStatus.DRAFT, SchemeStatus.OPEN}),
    Transition("close", "公布结果", {SchemeStatus.OPEN}, SchemeStatus.CLOSED),
)


class SchemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Any region role over the township (the township runs it; its villages and communities are scored)."""
        return self.filter(access.visible_subtree(user, "township__code"))


class EvaluationScheme(models.Model):
    """One township's evaluation of its villages and communities for one year."""

    township = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    year = models.PositiveIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=16, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "村（社区）综合考评"
        ordering = ["-year", "township__code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="campaign_scheme_once_a_year")
        ]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    scheme = models.ForeignKey(EvaluationScheme, models.CASCADE, related_name="indicators")
    name = models.CharField("指标", max_length=100)
    description = models.CharField("评分说明", max_length=300, blank=True)
    weight = models.DecimalField("权重（%）", max_digits=5, decimal_places=2)
    is_satisfaction = models.BooleanField("群众满意度（由问卷得出）", default=False)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "考评指标"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class VillageScore(models.Model):
    """The township's score (0–100) of one village on one non-survey indicator."""

    scheme = models.ForeignKey(EvaluationScheme, models.CASCADE, related_name="scores")
    village = models.ForeignKey(Region, models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="scores")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "考评得分"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "village", "indicator"], name="campaign_score_once")
        ]

    def __str__(self):
        return f"{self.village}：{self.indicator}"


class SurveyCode(models.Model):
    """A one-time code handed to one household; answering uses it up."""

    scheme = models.ForeignKey(EvaluationScheme, models.CASCADE, related_name="codes")
    village = models.ForeignKey(Region, models.PROTECT, related_name="+")
    code = models.CharField("测评码", max_length=12, unique=True)
    household = models.CharField("户（可不填）", max_length=100, blank=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "满意度测评码"
        ordering = ["village__code", "id"]

    def __str__(self):
        return self.code


class SurveyAnswer(models.Model):
    """One household's answer (append-only); the one-to-one on the code is the last line against reuse."""

    code = models.OneToOneField(SurveyCode, models.PROTECT, related_name="answer")
    scheme = models.ForeignKey(EvaluationScheme, models.CASCADE, related_name="answers")
    village = models.ForeignKey(Region, models.PROTECT, related_name="+")
    answers = models.JSONField("答卷")
    score = models.DecimalField("满意度得分", max_digits=5, decimal_places=2)
    comment = BoundedTextField("意见建议", blank=True, max_length=NOTE)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "满意度答卷"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.village}答卷"
