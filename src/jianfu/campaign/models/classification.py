"""Township classification (seed 003, 关于深化乡镇(街道)管理体制改革实施意见 一): population, fiscal revenue and area
weighted 5:3:2 into classes 1–3; classes 1 and 2 get 11 leadership posts, class 3 gets 9."""

from decimal import Decimal

from django.db import models

from jianfu.orgs import access
from jianfu.orgs.models import Region


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Any region role of the county's subtree (the classification is published to the townships it ranks)."""
        return self.filter(access.visible_subtree(user, "county__code"))


class ClassificationRound(models.Model):
    """One county's classification for one year; the seed leaves the cut-offs to the locality, so they are
    stored with the round (composite index: 100 = the county's average township)."""

    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="县（市、区）")
    year = models.PositiveIntegerField("年度")
    class1_min = models.DecimalField(
        "一类乡镇综合指数下限", max_digits=6, decimal_places=2, default=Decimal(120)
    )
    class2_min = models.DecimalField(
        "二类乡镇综合指数下限", max_digits=6, decimal_places=2, default=Decimal(80)
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "乡镇（街道）分类"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="campaign_round_once_a_year")]

    def __str__(self):
        return f"{self.county.name}{self.year}年乡镇（街道）分类"


class TownshipFigures(models.Model):
    round = models.ForeignKey(ClassificationRound, models.CASCADE, related_name="figures")
    township = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    population = models.DecimalField("人口（万人）", max_digits=8, decimal_places=2)
    revenue = models.DecimalField("财政收入（万元）", max_digits=12, decimal_places=2)
    area = models.DecimalField("辖区面积（平方公里）", max_digits=10, decimal_places=2)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "乡镇（街道）分类指标"
        ordering = ["township__code"]
        constraints = [models.UniqueConstraint(fields=["round", "township"], name="campaign_figures_once")]

    def __str__(self):
        return f"{self.township}（{self.round.year}）"
