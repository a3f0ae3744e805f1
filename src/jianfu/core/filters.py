"""The "当前筛选" line of a list: each filter in words ("类型：表格报送"), never the stored value."""

from collections.abc import Callable, Mapping

Names = Mapping[str, str] | Callable[[str], str | None] | None


def describe_filters(values: Mapping[str, object], spec: Mapping[str, tuple[str, Names]]) -> list[str]:
    """``spec`` maps a query parameter to (its label, how to name a value): a dict of value → name (the
    choices), a function (a lookup; None hides the chip), or None (the value is already words, as a year or a
    search text). Parameters outside ``spec`` and values no name is known for are left out."""
    chips = []
    for key, (label, names) in spec.items():
        value = values.get(key)
        if value in (None, ""):
            continue
        text = str(value)
        if isinstance(names, Mapping):
            shown = names.get(text)
        elif callable(names):
            shown = names(text)
        else:
            shown = text
        if shown:
            chips.append(f"{label}：{shown}")
    return chips


def region_name(code: str) -> str | None:
    from jianfu.orgs.models import Region

    return Region.objects.filter(code=code).values_list("name", flat=True).first()


def department_name(pk: str) -> str | None:
    from jianfu.orgs.models import Department

    return Department.objects.filter(pk=pk).values_list("name", flat=True).first() if pk.isdigit() else None
