"""Data quality of the base table: outlier checks on every saved value, flagged for follow-up and never refused.

A value is compared with its village's own previous periods (the last ``forms.outlier_window`` of them) and with
the other villages of its township for the same period; it is flagged when it lies more than ``forms.outlier_k``
robust spreads from the median (spread = 1.4826 × the median absolute deviation, the consistent estimate of a
standard deviation). A constant history has no spread; then 10% of the median (at least 1) stands in for it, our
choice so that a village reporting 1,520 people every year is asked about 3,000 but not about 1,530.
The hard minimum and maximum of an indicator stay in ``parse_value``: outside them a value is refused.
"""

from decimal import Decimal
from statistics import median

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import check_version
from jianfu.orgs import access
from jianfu.orgs.models import subtree_q
from jianfu.orgs.region_settings import setting_value
from jianfu.orgs.roles import Capability

from ..models import FLAG_FLOW, BaseValue, FlagKind, FlagStatus, ValueFlag

OUTLIER_K = "forms.outlier_k"
OUTLIER_WINDOW = "forms.outlier_window"
MIN_HISTORY = 3  # fewer previous periods say nothing about a village's own range
MIN_PEERS = 4  # fewer other villages say nothing about a township's distribution (a small township has five)
MAD_SCALE = Decimal("1.4826")


def register_settings() -> None:
    from jianfu.orgs.region_settings import register_setting

    register_setting(
        OUTLIER_K,
        label="异常值提示倍数 k",
        default=3,
        kind="number",
        minimum=1,
        maximum=10,
        group="一张表",
        help="村（社区）录入的数值与本村往期或本乡镇（街道）其他村同期的中位数相差超过 k 倍离散度"
        "（1.4826 × 中位数绝对偏差）时提示核实；只提示，不拒绝保存。",
    )
    register_setting(
        OUTLIER_WINDOW,
        label="异常值比较的往期个数",
        default=6,
        kind="int",
        unit="期",
        minimum=3,
        maximum=36,
        group="一张表",
        help="与本村（社区）最近几期的数值比较；不足 3 期的不作往期比较。",
    )


def robust_centre(numbers: list[Decimal]) -> tuple[Decimal, Decimal]:
    """The median and the robust spread of ``numbers`` (never zero: see the module's note)."""
    centre = Decimal(median(numbers))
    spread = MAD_SCALE * Decimal(median(abs(n - centre) for n in numbers))
    if spread == 0:
        spread = max(abs(centre) / 10, Decimal(1))
    return centre, spread


def _history(value: BaseValue, window: int) -> list[Decimal]:
    earlier = (
        BaseValue.objects.filter(
            village_id=value.village_id,
            indicator_id=value.indicator_id,
            period__lt=value.period,
            number__isnull=False,
        )
        .order_by("-period")
        .values_list("number", flat=True)[:window]
    )
    return [n for n in earlier if n is not None]


def _peers(value: BaseValue) -> list[Decimal]:
    township_prefix = value.village.code[:9]
    peers = BaseValue.objects.filter(
        subtree_q([township_prefix], "village__code"),
        indicator_id=value.indicator_id,
        period=value.period,
        number__isnull=False,
    ).exclude(village_id=value.village_id)
    return [n for n in peers.values_list("number", flat=True) if n is not None]


def outliers(value: BaseValue) -> list[ValueFlag]:
    """The checks ``value`` fails, as unsaved flags (empty for text, or with too little to compare)."""
    if value.number is None:
        return []
    k = Decimal(str(setting_value(value.village, OUTLIER_K)))
    window = int(setting_value(value.village, OUTLIER_WINDOW))
    flags = []
    for kind, numbers, enough in (
        (FlagKind.HISTORY, _history(value, window), MIN_HISTORY),
        (FlagKind.TOWNSHIP, _peers(value), MIN_PEERS),
    ):
        if len(numbers) < enough:
            continue
        centre, spread = robust_centre(numbers)
        if abs(value.number - centre) > k * spread:
            flags.append(
                ValueFlag(
                    base_value=value,
                    village_id=value.village_id,
                    indicator_id=value.indicator_id,
                    period=value.period,
                    kind=kind,
                    value=value.value,
                    centre=centre.quantize(Decimal("0.0001")),
                    spread=spread.quantize(Decimal("0.0001")),
                    k=k,
                    compared=len(numbers),
                    raised_at=timezone.now(),
                )
            )
    return flags


def flag_value(*, actor, value: BaseValue) -> list[ValueFlag]:
    """Inside the save of ``value``: its open flags are cleared (the value changed) and the checks run again."""
    for old in ValueFlag.objects.select_for_update().filter(base_value=value, status=FlagStatus.OPEN):
        FLAG_FLOW.move(old, "clear")
        old.version += 1
        old.save(update_fields=["status", "version"])
    flags = outliers(value)
    for flag in flags:
        flag.save()
        audit_record(
            actor=actor, action="forms.value_flag", obj=flag, after=snapshot(flag), message=flag.text
        )
    return flags


def may_follow_up(user, flag: ValueFlag) -> bool:
    return access.may(user, Capability.FORMS_REVIEW, flag.village)


@transaction.atomic
def flag_follow_up(*, actor, flag: ValueFlag, note: str, expected_version=None) -> ValueFlag:
    """The township (or the county office) has followed up a flagged value with the village and says what it found;
    the value itself changes only through the village's entry or a correction."""
    access.require(
        actor,
        Capability.FORMS_REVIEW,
        flag.village,
        message="只有乡镇（街道）审核人员或县减负工作机构可以核实异常值提示。",
    )
    flag = ValueFlag.objects.select_for_update().get(pk=flag.pk)
    check_version(flag, expected_version, "该异常值提示")
    FLAG_FLOW.check(flag, "follow_up", name=f"“{flag.indicator.name}”{flag.period} 的异常值提示")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写「核实情况」：说明向村（社区）核实的结果。"})
    before = snapshot(flag)
    FLAG_FLOW.move(flag, "follow_up")
    flag.note, flag.followed_by, flag.followed_at = note, actor, timezone.now()
    flag.version += 1
    flag.full_clean()
    flag.save()
    audit_record(
        actor=actor,
        action="forms.flag_follow_up",
        obj=flag,
        before=before,
        after=snapshot(flag),
        message=note,
    )
    return flag
