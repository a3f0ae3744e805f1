"""The region picker: one way to choose a region by name, scoped to what the user may see.

Pages never ask for a 12-digit code. A picker is a native ``<select>`` whose options are the regions inside the
user's scope for the capabilities the page needs (asked of ``orgs.access``), grouped by township (the regions
above townships first, then one group per township holding the township itself and its villages). Without
script it is a plain select that any keyboard and screen reader can use; ``static/jianfu/region-picker.js`` adds a
search box above it that narrows the options by name (and by pinyin-free substring, e.g. "桃园").

Filter pages render ``_region_picker.html`` with ``region_picker(...)``; Django forms use ``RegionChoiceField``
(the same options, the same ``data-region-picker`` hook), so there is one widget, not a copy per page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import NamedTuple

from django import forms
from django.utils.safestring import mark_safe

from . import access, regioncache
from .forms import ChoiceChecks
from .models import Level, Region, subtree_q

# A select beyond this many options is too long to scroll on a phone: a wider scope then lists regions down to
# townships, and the page's own drill-down links lead to villages.
MAX_OPTIONS = 2500

Choices = list[tuple[str, list[tuple[str, str]]]]


def _whole(region) -> str:
    """A township's own option inside its group: "河口镇（全镇）"."""
    word = {"town": "全镇", "township": "全乡", "subdistrict": "全街道"}.get(region.kind, "全部")
    return f"{region.name}（{word}）"


def scoped_regions(user, *capabilities: str, lowest: int = Level.VILLAGE, highest: int = Level.PROVINCE):
    """Active regions the user acts on with any of the capabilities (their subtrees), levels ``highest``..``lowest``."""
    prefixes = access.region_prefixes(user, *capabilities)
    if not prefixes:
        return Region.objects.none()
    return (
        Region.objects.filter(subtree_q(prefixes), is_active=True, level__gte=highest, level__lte=lowest)
        .select_related("parent")
        .order_by("code")
    )


def group_regions(regions, *, lowest: int = Level.VILLAGE) -> Choices:
    """Grouped choices in tree order: regions above townships in one group, then a group per township."""
    regions = list(regions)
    if lowest == Level.VILLAGE and len(regions) > MAX_OPTIONS:
        regions = [r for r in regions if r.level < Level.VILLAGE]
    counties = {r.code[:6] for r in regions if r.level >= Level.TOWNSHIP}
    county_names = {r.code[:6]: r.name for r in regions if r.level == Level.COUNTY}
    if not any(r.level == Level.VILLAGE for r in regions):
        return _by_county(regions, county_names)
    upper: list[tuple[str, str]] = []
    towns: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for r in regions:
        if r.level < Level.TOWNSHIP:
            upper.append((r.code, r.name))
        elif r.level == Level.TOWNSHIP:
            towns.setdefault(r.code[:9], (r.name, []))[1].insert(0, (r.code, _whole(r)))
        else:
            town_name = r.parent.name if r.parent_id else "其他"
            towns.setdefault(r.code[:9], (town_name, []))[1].append((r.code, r.name))
    if len(counties) < 2:
        county_names = {}
    choices: Choices = []
    if upper:
        choices.append(("县市", upper))
    for key, (name, options) in towns.items():
        label = f"{county_names.get(key[:6], '')}{name}"
        choices.append((label, options))
    return choices


def _by_county(regions, county_names) -> Choices:
    """Down to townships only: the regions above townships, then each county's townships."""
    upper = [(r.code, r.name) for r in regions if r.level < Level.TOWNSHIP]
    groups: dict[str, list[tuple[str, str]]] = {}
    for r in regions:
        if r.level == Level.TOWNSHIP:
            groups.setdefault(r.code[:6], []).append((r.code, r.name))
    choices: Choices = [("县市", upper)] if upper else []
    choices += [(f"{county_names.get(key, '')}乡镇（街道）", options) for key, options in groups.items()]
    return choices


def region_choices(
    user, *capabilities: str, lowest: int = Level.VILLAGE, highest: int = Level.PROVINCE
) -> Choices:
    """Grouped choices of the regions in the user's scope for the capabilities."""
    return _options(user, capabilities, lowest, highest).choices


class _Options(NamedTuple):
    """A scope's grouped choices and their optgroups as escaped HTML with none selected, cached together."""

    choices: Choices
    html: str


def _options(user, capabilities, lowest: int, highest: int) -> _Options:
    """The scope's options, cached under the scope's prefixes and the region tree's stamp (``orgs.regioncache``):
    a province's 2,111 options were two reads and 4,500 escapes on every page with a picker (#23). The key holds
    the prefixes, not the user: everyone acting on the same regions shares one entry."""
    prefixes = tuple(sorted(access.region_prefixes(user, *capabilities)))

    def build() -> _Options:
        choices = _choices(prefixes, lowest, highest)
        return _Options(choices, _options_html(choices))

    return regioncache.cached("picker", (prefixes, lowest, highest), build)


def _choices(prefixes, lowest: int, highest: int) -> Choices:
    if not prefixes:
        return []
    regions = (
        Region.objects.filter(subtree_q(prefixes), is_active=True, level__gte=highest, level__lte=lowest)
        .select_related("parent")
        .order_by("code")
    )
    columns = ["code", "name", "level", "kind", "parent_id", "parent__name"]
    if lowest == Level.VILLAGE and len(regions.values_list("pk")[: MAX_OPTIONS + 1]) > MAX_OPTIONS:
        # Too many to list villages: ask for the regions down to townships only, without their parents (a
        # province's 20,000 villages loaded as objects and then dropped took 2 s a page).
        regions = regions.filter(level__lt=Level.VILLAGE).select_related(None)
        columns[-1] = "parent_id"  # only a village's option names its parent: no join
    # Plain rows, not model instances: a province's 1,111 regions as objects were 12 ms of its dashboard (#23).
    return group_regions([_Row(*row) for row in regions.values_list(*columns)], lowest=lowest)


def _options_html(choices: Choices) -> str:
    """The optgroups, escaped, none selected: a province's thousand options through the template's loops took
    longer than everything else on the page."""
    # ``html.escape`` is what Django's ``escape`` returns, without its lazy-string wrapper per call: a province's
    # 2,111 options were 4,500 such calls (≈ 8 ms a page, #23).
    parts = []
    for group, options in choices:
        parts.append(f'<optgroup label="{html.escape(str(group))}">')
        for code, name in options:
            parts.append(f'<option value="{html.escape(str(code))}">{html.escape(str(name))}</option>')
        parts.append("</optgroup>")
    return "".join(parts)


def _selected(options_html: str, code: str) -> str:
    """The options with the one of ``code`` selected (codes are unique, so its opening tag is too)."""
    if not code:
        return options_html
    tag = f'<option value="{html.escape(str(code))}">'
    return options_html.replace(tag, tag[:-1] + " selected>", 1)


@dataclass(slots=True)
class _Parent:
    name: str


class _Row:
    """What ``group_regions`` reads of a region, from one row of ``values_list``."""

    __slots__ = ("code", "name", "level", "kind", "parent_id", "parent")

    def __init__(self, code, name, level, kind, parent_id, parent_name):
        self.code, self.name, self.level, self.kind = code, name, level, kind
        self.parent_id, self.parent = parent_id, _Parent(str(parent_name or ""))


def flat_codes(choices: Choices) -> set[str]:
    return {code for _, options in choices for code, _ in options}


@dataclass
class RegionPicker:
    """What ``_region_picker.html`` renders: a labelled select with grouped options."""

    name: str
    label: str
    choices: Choices
    selected: str = ""
    blank: str = ""
    id: str = ""
    help: str = ""
    extra_class: str = field(default="")
    built: str | None = field(default=None, repr=False)  # ``_options_html(choices)``, from the cache

    def __post_init__(self):
        self.id = self.id or f"pick-{self.name}"

    @property
    def count(self) -> int:
        return len(flat_codes(self.choices))

    @property
    def options_html(self) -> str:
        """The optgroups, escaped (built once per scope and tree stamp when made by ``region_picker``)."""
        built = self.built if self.built is not None else _options_html(self.choices)
        return mark_safe(_selected(built, self.selected))  # noqa: S308 every value escaped in _options_html


def region_picker(
    user,
    *capabilities: str,
    name: str = "region",
    label: str = "区划",
    selected: str = "",
    blank: str = "",
    lowest: int = Level.VILLAGE,
    highest: int = Level.PROVINCE,
    id: str = "",
    help: str = "",
) -> RegionPicker:
    """A picker of the regions in the user's scope for the capabilities, with ``selected`` chosen."""
    options = _options(user, capabilities, lowest, highest)
    return RegionPicker(
        name=name,
        label=label,
        choices=options.choices,
        selected=selected or "",
        blank=blank,
        id=id,
        help=help,
        built=options.html,
    )


class RegionSelect(forms.Select):
    """The picker's select for Django forms: the script finds it by ``data-region-picker``."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-region-picker": "", **(attrs or {})}, choices)


class RegionChoiceField(forms.ChoiceField):
    """A region chosen by name from the user's scope; cleans to the ``Region`` (or None when left blank)."""

    widget = RegionSelect

    def __init__(self, *, blank: str = "请选择", **kwargs):
        self.blank = blank
        super().__init__(**kwargs)

    def set_scope(self, user, *capabilities: str, lowest: int = Level.VILLAGE, highest: int = Level.PROVINCE):
        # The same options as the page's pickers, from the same cache (``_options``).
        self.choices = [
            ("", self.blank),
            *region_choices(user, *capabilities, lowest=lowest, highest=highest),
        ]

    def set_regions(self, regions, *, lowest: int = Level.VILLAGE):
        self.choices = [("", self.blank), *group_regions(regions, lowest=lowest)]

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        return Region.objects.get(code=code)


class RegionMultipleChoiceField(forms.MultipleChoiceField):
    """Several regions as checkboxes grouped by township (never a Ctrl multi-select); cleans to a list of
    ``Region`` in code order."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", ChoiceChecks)
        super().__init__(**kwargs)

    def set_regions(self, regions, *, lowest: int = Level.VILLAGE):
        self.choices = group_regions(regions, lowest=lowest)

    def prepare_value(self, value):
        if value is None:
            return []
        return [getattr(v, "code", v) for v in value]

    def clean(self, value):
        codes = super().clean(value)
        return list(Region.objects.filter(code__in=codes).order_by("code"))
