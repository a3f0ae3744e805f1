"""Two-way evaluation of agencies a county department stations in a township (seed 003, 派驻机构属地管理 二(三)(四)):
the township scores territorial duties (40) and satisfaction (20), the parent department
statutory duties (40)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from jianfu.orgs import access
from jianfu.orgs.models import Department, Region


class AgencyGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class HeadGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A township's evaluations of the agencies stationed there, and a department's own agency."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            access.visible_subtree(user, "township__code") | Q(department_id__in=user.department_ids())
        )


class AgencyEvaluation(models.Model):
    township = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="驻地乡镇（街道）")
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="派出部门")
    agency_name = models.CharField("派驻机构", max_length=100)
    head_name = models.CharField("主要负责人", max_length=50)
    year = models.PositiveIntegerField("年度")
    territorial_score = models.DecimalField(
        "履行属地职责（满分40）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    satisfaction_score = models.DecimalField(
        "群众满意度测评（满分20）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    statutory_score = models.DecimalField(
        "履行法定职责（满分40）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    agency_grade = models.CharField("机构考核等次", max_length=16, choices=AgencyGrade.choices, blank=True)
    head_grade = models.CharField("负责人年度考核等次", max_length=16, choices=HeadGrade.choices, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "派驻机构双向考评"
        ordering = ["-year", "township__code", "agency_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "department", "year"], name="campaign_agency_once_a_year"
            )
        ]

    def __str__(self):
        return f"{self.agency_name}（{self.year}）"

    @property
    def township_part(self) -> Decimal | None:
        if self.territorial_score is None or self.satisfaction_score is None:
            return None
        return self.territorial_score + self.satisfaction_score

    @property
    def maxima(self) -> dict[str, Decimal]:
        """Full marks of each part by the county's weights in force at the year's end (seed 003: 40/20/40)."""
        from ..local_rules import agency_weights

        if "_maxima" not in self.__dict__:
            self.__dict__["_maxima"] = agency_weights(self.township, self.year)
        return self.__dict__["_maxima"]

    @property
    def township_max(self) -> Decimal:
        return self.maxima["territorial"] + self.maxima["satisfaction"]

    @property
    def township_rate(self) -> Decimal | None:
        part = self.township_part
        return None if part is None or not self.township_max else part / self.township_max

    @property
    def township_rate_percent(self) -> Decimal | None:
        rate = self.township_rate
        return None if rate is None else rate * 100

    @property
    def total(self) -> Decimal | None:
        if self.township_part is None or self.statutory_score is None:
            return None
        return self.township_part + self.statutory_score
