"""Synthetic but realistic division lists: one province down to its villages and communities.

Codes follow GB/T 2260 and the statistics-bureau village codes (统计用区划代码): 2 digits province,
2 prefecture, 2 county, 3 township (001-099 街道, 100-199 镇, 200-399 乡) and 3 village
(001-199 居委会/社区, 200-399 村委会). Names are drawn from a fixed syllable list with a fixed seed,
so the same arguments always give the same file.
"""

import random
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from jianfu.orgs.imports import COLUMNS
from jianfu.orgs.models import Kind, Level

PROVINCE = ("430000000000", "湖南省")
PREFECTURES = [
    ("4301", "长沙市"),
    ("4302", "株洲市"),
    ("4303", "湘潭市"),
    ("4304", "衡阳市"),
    ("4305", "邵阳市"),
    ("4306", "岳阳市"),
    ("4307", "常德市"),
    ("4308", "张家界市"),
    ("4309", "益阳市"),
    ("4310", "郴州市"),
    ("4311", "永州市"),
    ("4312", "怀化市"),
    ("4313", "娄底市"),
    ("4331", "湘西土家族苗族自治州"),
]
# The 31 provincial-level divisions of the mainland (GB/T 2260), for the federation bench.
PROVINCES = [
    ("11", "北京市"), ("12", "天津市"), ("13", "河北省"), ("14", "山西省"), ("15", "内蒙古自治区"),
    ("21", "辽宁省"), ("22", "吉林省"), ("23", "黑龙江省"), ("31", "上海市"), ("32", "江苏省"),
    ("33", "浙江省"), ("34", "安徽省"), ("35", "福建省"), ("36", "江西省"), ("37", "山东省"),
    ("41", "河南省"), ("42", "湖北省"), ("43", "湖南省"), ("44", "广东省"), ("45", "广西壮族自治区"),
    ("46", "海南省"), ("50", "重庆市"), ("51", "四川省"), ("52", "贵州省"), ("53", "云南省"),
    ("54", "西藏自治区"), ("61", "陕西省"), ("62", "甘肃省"), ("63", "青海省"), ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
]  # fmt: skip
SYLLABLES = (
    "东西南北中上下新老大小长高平安和兴隆丰永宁清河山江湖溪桥塘坪冲湾岭峰石林竹桃李杨柳松梅花荷"
    "金银龙凤马牛田园青白红黄云水泉源古城关乐福寿康泰华明光阳春秋龙虎鹤雁鸿德仁义礼信"
)
COUNTY_SUFFIX = ["县", "县", "县", "市", "区"]
TOWNSHIP_KINDS = [(Kind.SUBDISTRICT, 0.2), (Kind.TOWN, 0.55), (Kind.TOWNSHIP, 0.25)]
# Share of communities (社区) among the villages of a township, by the township's kind.
COMMUNITY_SHARE = {Kind.SUBDISTRICT: 0.9, Kind.TOWN: 0.12, Kind.TOWNSHIP: 0.0}
SUFFIX = {
    Kind.SUBDISTRICT: "街道",
    Kind.TOWN: "镇",
    Kind.TOWNSHIP: "乡",
    Kind.VILLAGE: "村",
    Kind.COMMUNITY: "社区",
}
# Township code ranges by kind, village code ranges by kind (statistics-bureau convention).
TOWNSHIP_BASE = {Kind.SUBDISTRICT: 1, Kind.TOWN: 100, Kind.TOWNSHIP: 200}
VILLAGE_BASE = {Kind.COMMUNITY: 1, Kind.VILLAGE: 200}


@dataclass(frozen=True)
class Shape:
    villages: int
    townships: int
    counties: int

    @classmethod
    def for_villages(cls, villages: int) -> "Shape":
        """About 15 villages per township and 13 townships per county, as in a typical province."""
        townships = max(len(PREFECTURES), round(villages / 15.4))
        counties = max(len(PREFECTURES), round(townships / 13))
        return cls(villages, townships, counties)


def split(total: int, parts: int, rng: random.Random, *, low=0.6, high=1.4, cap=None) -> list[int]:
    """Split total into parts of uneven size (each >= 1, optionally <= cap), summing exactly to total."""
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    if cap:
        sizes = [min(cap, s) for s in sizes]
    i = 0
    while sum(sizes) != total:
        step = 1 if sum(sizes) < total else -1
        j = i % parts
        if (step > 0 and (not cap or sizes[j] < cap)) or (step < 0 and sizes[j] > 1):
            sizes[j] += step
        i += 1
    return sizes


class _Names:
    """Two-syllable names, unique among siblings."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def siblings(self, n: int, suffix) -> list[str]:
        seen: set[str] = set()
        while len(seen) < n:
            seen.add(self.rng.choice(SYLLABLES) + self.rng.choice(SYLLABLES))
        return [name + (suffix() if callable(suffix) else suffix) for name in sorted(seen)]


def _pick_kind(rng: random.Random):
    r, acc = rng.random(), 0.0
    for kind, share in TOWNSHIP_KINDS:
        acc += share
        if r < acc:
            return kind
    return TOWNSHIP_KINDS[-1][0]


def region_rows(
    villages: int = 20_000,
    seed: int = 2025,
    *,
    province: tuple[str, str] = PROVINCE,
    prefectures: int = 0,
    shape: "Shape | None" = None,
) -> list[tuple[str, str, int, str, str]]:
    """(code, name, level, kind, parent code) for a province with the given number of villages, by code.

    By default Hunan with its 14 real prefectures; another ``province`` (code, name) gets ``prefectures``
    generated ones (codes 01, 02…, generated names) and, if given, an explicit ``shape``."""
    rng = random.Random(seed)
    names = _Names(rng)
    if province == PROVINCE:
        prefecture_list = PREFECTURES
    else:
        stems = names.siblings(prefectures or 1, "市")
        prefecture_list = [(f"{province[0][:2]}{n:02d}", stem) for n, stem in enumerate(stems, start=1)]
    shape = shape or Shape.for_villages(villages)
    rows = [(province[0], province[1], Level.PROVINCE, Kind.PROVINCE, "")]
    county_counts = split(shape.counties, len(prefecture_list), rng, cap=99)
    township_counts = iter(split(shape.townships, shape.counties, rng, cap=99))
    village_counts = iter(split(shape.villages, shape.townships, rng, cap=199))
    for (prefix, name), n_counties in zip(prefecture_list, county_counts, strict=True):
        pref_code = prefix.ljust(12, "0")
        rows.append((pref_code, name, Level.PREFECTURE, Kind.PREFECTURE, province[0]))
        county_names = names.siblings(n_counties, lambda: rng.choice(COUNTY_SUFFIX))
        for c, county_name in enumerate(county_names, start=1):
            county_prefix = f"{prefix}{c:02d}"
            rows.append((county_prefix.ljust(12, "0"), county_name, Level.COUNTY, Kind.COUNTY, pref_code))
            rows += _townships(county_prefix, next(township_counts), village_counts, names, rng)
    rows.sort(key=lambda row: row[0])
    return rows


def _townships(county_prefix, n, village_counts, names, rng) -> list[tuple]:
    rows = []
    next_number = dict(TOWNSHIP_BASE)
    county_code = county_prefix.ljust(12, "0")
    for stem in names.siblings(n, ""):
        kind = _pick_kind(rng)
        number = next_number[kind]
        next_number[kind] += 1
        prefix = f"{county_prefix}{number:03d}"
        rows.append((prefix.ljust(12, "0"), stem + SUFFIX[kind], Level.TOWNSHIP, kind, county_code))
        rows += _villages(prefix, next(village_counts), kind, names, rng)
    return rows


def _villages(township_prefix, n, township_kind, names, rng) -> list[tuple]:
    n_communities = min(n, sum(rng.random() < COMMUNITY_SHARE[township_kind] for _ in range(n)))
    kinds = [Kind.COMMUNITY] * n_communities + [Kind.VILLAGE] * (n - n_communities)
    parent = township_prefix.ljust(12, "0")
    rows = []
    for kind, offset, name in _numbered(kinds, names):
        rows.append(
            (f"{township_prefix}{VILLAGE_BASE[kind] + offset:03d}", name, Level.VILLAGE, kind, parent)
        )
    return rows


def _numbered(kinds, names):
    by_kind: dict = {}
    for kind in kinds:
        by_kind.setdefault(kind, 0)
        by_kind[kind] += 1
    for kind, count in by_kind.items():
        for offset, name in enumerate(names.siblings(count, SUFFIX[kind])):
            yield kind, offset, name


def write_regions_xlsx(path: Path, rows) -> Path:
    """Write rows in the importer's column format (labels, as the export writes them).

    A normal (not write-only) workbook, so the file has shared strings and a dimension record like one
    saved by Excel or WPS; openpyxl's write-only files use inline strings, which read about 40% slower.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "行政区划"
    sheet.append(COLUMNS["regions"])
    for code, name, level, kind, parent in rows:
        sheet.append([code, name, Level(level).label, Kind(kind).label, parent])
    workbook.save(path)
    return path


def counts_by_level(rows) -> dict[int, int]:
    counts: dict[int, int] = {}
    for row in rows:
        counts[row[2]] = counts.get(row[2], 0) + 1
    return counts
