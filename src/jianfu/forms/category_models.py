"""Categories of the base table (DHIS2's category combinations): an indicator such as 常住人口 may be broken down by
性别 × 年龄段; the village types each cell once and the indicator's value is their sum, which is what every form
asking for the total is served. Imported by ``models`` so Django registers them with the forms app."""

from django.conf import settings
from django.db import models

from jianfu.orgs import access
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability

OPTION_NAME_MAX = 20
MAX_OPTIONS = 20
MAX_CATEGORIES = 3
MAX_CELLS = 120


class CategoryQuerySet(access.ScopedQuerySet):
    scope_field = "region__code"
    scope_capabilities = (Capability.FORMS_VIEW,)

    def visible_to(self, user):
        """The categories of the user's county and the levels above it: a township or village fills the county's
        combinations, so they see them as the indicators they break down (``subtree_and_above``)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(access.subtree_and_above(user, self.scope_field, Capability.FORMS_VIEW))


class Category(models.Model):
    """One way to break a count down (性别, 年龄段), with its options in order."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="制定区划")
    name = models.CharField("分类名称", max_length=20)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "分类"
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="forms_category_unique_name")]

    def __str__(self):
        return self.name


class CategoryOption(models.Model):
    """One option of a category (男, 女; 0–17 岁, 18–59 岁, 60 岁及以上). Options are never deleted: values keep them."""

    category = models.ForeignKey(Category, models.CASCADE, related_name="options", verbose_name="分类")
    position = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("选项名称", max_length=OPTION_NAME_MAX)

    class Meta:
        verbose_name = verbose_name_plural = "分类选项"
        ordering = ["category", "position"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="forms_option_unique_name"),
        ]

    def __str__(self):
        return self.name


class CategoryCombo(models.Model):
    """A combination of one to three categories; its cells are every choice of one option from each."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="制定区划")
    name = models.CharField("分类组合名称", max_length=60)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "分类组合"
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="forms_combo_unique_name")]

    def __str__(self):
        return self.name


class ComboCategory(models.Model):
    """A category's place in a combination (the first gives the grid's rows, the rest its columns)."""

    combo = models.ForeignKey(CategoryCombo, models.CASCADE, related_name="members", verbose_name="分类组合")
    category = models.ForeignKey(Category, models.PROTECT, related_name="+", verbose_name="分类")
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = verbose_name_plural = "分类组合成员"
        ordering = ["combo", "position"]
        constraints = [
            models.UniqueConstraint(fields=["combo", "category"], name="forms_combo_member_unique"),
        ]

    def __str__(self):
        return f"{self.combo_id} {self.position} {self.category_id}"


class BreakdownQuerySet(access.ScopedQuerySet):
    scope_field = "village__code"
    scope_capabilities = (Capability.FORMS_VIEW,)


class BreakdownValue(models.Model):
    """One cell of a village's broken-down indicator for a period: ``cell`` is the option ids, one per category of
    the combination in its order, joined by '-'. The indicator's ``BaseValue`` is the sum of its cells."""

    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    indicator = models.ForeignKey(
        "forms.Indicator", models.PROTECT, related_name="breakdown", verbose_name="指标"
    )
    period = models.CharField("统计期", max_length=10)
    cell = models.CharField("分项", max_length=40)
    number = models.DecimalField("数值", max_digits=18, decimal_places=4)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    entered_at = models.DateTimeField("录入时间")

    objects = BreakdownQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "分项数据"
        ordering = ["village__code", "indicator", "period", "cell"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "indicator", "period", "cell"], name="forms_breakdown_unique_cell"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"], name="forms_breakdown_ind_period")]

    def __str__(self):
        return f"{self.village_id} {self.indicator_id} {self.period} {self.cell}：{self.number}"
