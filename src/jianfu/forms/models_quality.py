"""Data quality of the base table: a value far from its village's own history or from its township's other villages
for the period is flagged for follow-up (never refused); the township follows it up with a note.

Imported at the end of ``models`` so Django sees the model as the app's own."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianfu.core.choices import badge_choices
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs.models import Region

from .models import BaseValue, Indicator, VillageScoped


class FlagKind(models.TextChoices):
    HISTORY = "history", "与本村往期差异大"
    TOWNSHIP = "township", "与本乡镇（街道）其他村差异大"


@badge_choices({"open": "warning", "followed": "success", "cleared": "secondary"})
class FlagStatus(models.TextChoices):
    OPEN = "open", "待核实"
    FOLLOWED = "followed", "已核实"
    CLEARED = "cleared", "数值已更改"


# A flag waits for the township; it is followed up with a note, or cleared when the village enters another value.
FLAG_FLOW = Workflow(
    FlagStatus,
    Transition("follow_up", "已核实", {FlagStatus.OPEN}, FlagStatus.FOLLOWED),
    Transition("clear", "数值已更改", {FlagStatus.OPEN}, FlagStatus.CLEARED),
)


class ValueFlag(models.Model):
    """One outlier check a saved value failed: the value, the centre (median) and spread it was compared with, k,
    and what the township found when it followed it up."""

    base_value = models.ForeignKey(BaseValue, models.PROTECT, related_name="flags", verbose_name="基础数据")
    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="+", verbose_name="指标")
    period = models.CharField("统计期", max_length=10)
    kind = models.CharField("检查", max_length=10, choices=FlagKind.choices)
    value = models.CharField("数值", max_length=200)
    centre = models.DecimalField("比较中位数", max_digits=18, decimal_places=4)
    spread = models.DecimalField("比较离散度", max_digits=18, decimal_places=4)
    k = models.DecimalField("倍数 k", max_digits=6, decimal_places=2)
    compared = models.PositiveIntegerField("比较的数值个数")
    status = models.CharField("状态", max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_at = models.DateTimeField("提示时间")
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核实人",
    )
    followed_at = models.DateTimeField("核实时间", null=True, blank=True)
    note = models.CharField("核实情况", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = VillageScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "异常值提示"
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["base_value", "kind"], condition=Q(status="open"), name="forms_flag_one_open"
            )
        ]
        indexes = [models.Index(fields=["status", "period"], name="forms_flag_status_period")]

    def __str__(self):
        return (
            f"{self.village} {self.indicator.name} {self.period}：{self.value}（{self.get_kind_display()}）"
        )

    @property
    def text(self) -> str:
        """What the village and the township read: the value, what it was compared with, and how far is too far."""
        centre = f"{self.centre.normalize():f}"
        where = "本村（社区）往期" if self.kind == FlagKind.HISTORY else "本乡镇（街道）其他村（社区）同期"
        return (
            f"“{self.indicator.name}”{self.period} 填 {self.value}，与{where}（{self.compared} 个数值，中位数 "
            f"{centre}）相差超过 {self.k.normalize():f} 倍离散度，请核实。"
        )
