"""Benchmark: duplicate indicators at a prefecture's scale (seed 004: 1,900 forms, 27,000 indicators cleared).

A generator writes 27,000 synthetic indicator names of the kind village forms carry (population groups ×
qualifiers × measures, facilities × attributes × periods) and plants near-duplicates of some of them: filler words
(本村、全村), synonyms (户口/户籍, 老年人/老人, 人数/数量), the unit in brackets, full-width digits, stray spaces
and punctuation, 的, and one-character typos. It then finds the duplicate groups with the app's own code
(``jianfu.forms.dedup.duplicate_groups``: normalise, block by rare character bigrams, ``rapidfuzz.process.cdist``
with 2 workers inside blocks, union-find) and with the naive all-pairs ``cdist`` scoring every pair once (the upper triangle, n(n−1)/2), and prints
time, pairs, precision and recall of both against the planted truth.

    python -m bench.bench_forms [--names 27000] [--seed 7] [--naive-rows N]

``--naive-rows N`` compares only the first N names against all (time extrapolated to the full run, and said so);
the default compares all of them. No database is needed.
"""

import argparse
import random
import sys
import time

from .harness import Table, peak_rss_mb

TARGET_S = 10.0

GROUPS = [
    "常住人口",
    "户籍人口",
    "外出务工人员",
    "留守儿童",
    "留守老人",
    "残疾人",
    "低保对象",
    "特困供养人员",
    "脱贫人口",
    "防返贫监测对象",
    "退役军人",
    "党员",
    "育龄妇女",
    "在校学生",
    "新生儿",
    "独居老人",
    "重度残疾人",
    "孤儿",
    "事实无人抚养儿童",
    "流动人口",
    "返乡创业人员",
    "农村劳动力",
    "城乡居民医保参保人员",
    "养老保险参保人员",
    "网格员",
    "志愿者",
    "村干部",
    "驻村工作队员",
    "种粮大户",
    "家庭农场主",
    "易地搬迁人口",
    "高龄津贴领取人员",
    "临时救助对象",
    "优抚对象",
    "精神障碍患者",
    "吸毒人员",
    "社区矫正对象",
    "刑满释放人员",
    "适龄儿童",
    "孕产妇",
]
QUALIFIERS = [
    "",
    "男性",
    "女性",
    "60岁以上",
    "70岁以上",
    "80岁以上",
    "90岁以上",
    "18岁以下",
    "16至59岁",
    "新增",
    "减少",
    "已就业",
    "未就业",
    "享受补贴的",
    "已签约家庭医生的",
    "已办理残疾证的",
    "已参加培训的",
    "已脱贫的",
    "有返贫风险的",
    "住院治疗的",
    "外省户籍",
    "省内流动",
]
MEASURES = [
    ("人数", "人"),
    ("户数", "户"),
    ("占比", "%"),
    ("人均纯收入", "元"),
    ("补贴发放金额", "万元"),
    ("同比增长率", "%"),
]
THINGS = [
    "村集体经济收入",
    "耕地",
    "林地",
    "草地",
    "水库",
    "山塘",
    "养殖场",
    "农民专业合作社",
    "小微企业",
    "公共厕所",
    "路灯",
    "饮水井",
    "垃圾收集点",
    "农村危房",
    "安置住房",
    "村卫生室",
    "幼儿园",
    "文化广场",
    "体育健身设施",
    "农家书屋",
    "视频监控探头",
    "消防栓",
    "灌溉渠道",
    "通组公路",
    "桥梁",
    "光伏电站",
    "冷链仓储",
    "电商服务站",
    "快递网点",
    "充电桩",
    "污水处理设施",
    "农机具",
    "温室大棚",
    "茶园",
    "果园",
    "鱼塘",
    "牛羊存栏",
    "生猪存栏",
    "家禽存栏",
    "蔬菜基地",
]
ATTRIBUTES = [
    ("数量", "个"),
    ("面积", "亩"),
    ("投入资金", "万元"),
    ("维护费用", "元"),
    ("覆盖户数", "户"),
    ("新建数量", "个"),
    ("改造数量", "个"),
    ("验收合格数量", "个"),
    ("闲置数量", "个"),
    ("产值", "万元"),
]
PERIODS = [
    "",
    "上半年",
    "下半年",
    "第一季度",
    "第二季度",
    "第三季度",
    "第四季度",
    "全年",
    "近三年",
    "截至上月",
]
SCOPES = ["", "各村民小组", "易地搬迁安置点", "集镇区域", "重点区域"]
SYNONYM_SWAPS = [
    ("户籍", "户口"),
    ("老人", "老年人"),
    ("人数", "数量"),
    ("人数", "总数"),
    ("低保对象", "最低生活保障对象"),
    ("数量", "总数"),
]
TYPO = {
    "人": "入",
    "口": "囗",
    "户": "戸",
    "数": "数",
    "儿": "几",
    "童": "重",
    "员": "贝",
    "收": "牧",
    "村": "材",
    "养": "羊",
    "务": "物",
    "工": "功",
    "设": "没",
    "施": "旋",
    "资": "姿",
    "金": "全",
}


def base_names() -> list[tuple[str, str]]:
    """Every distinct (name, unit) the combinations make, in a fixed order."""
    names = [
        (f"{g}中{q}{m}" if q else f"{g}{m}", unit) for g in GROUPS for q in QUALIFIERS for m, unit in MEASURES
    ]
    names += [
        (f"{s}{p}{t}{a}", unit) for t in THINGS for a, unit in ATTRIBUTES for p in PERIODS for s in SCOPES
    ]
    return list(dict.fromkeys(names))


def variant(name: str, unit: str, rng: random.Random) -> str:
    """A near-duplicate a department would write for the same fact."""
    kinds = ["filler", "synonym", "bracket", "space", "de", "typo", "fullwidth"]
    for kind in rng.sample(kinds, k=rng.choice([1, 1, 2])):
        name = _apply(kind, name, unit, rng)
    return name


def _apply(kind: str, name: str, unit: str, rng: random.Random) -> str:
    if kind == "filler":
        return rng.choice(["本村", "全村", "村级", "本社区"]) + name
    if kind == "synonym":
        swaps = [(a, b) for a, b in SYNONYM_SWAPS if a in name]
        if swaps:
            a, b = rng.choice(swaps)
            return name.replace(a, b, 1)
        return name + "合计"
    if kind == "bracket":
        return f"{name}（{unit}）" if unit else f"{name}（统计）"
    if kind == "space":
        cut = rng.randrange(1, len(name))
        return name[:cut] + rng.choice([" ", "、", "·"]) + name[cut:]
    if kind == "de":
        cut = rng.randrange(2, len(name) - 1)
        return name[:cut] + "的" + name[cut:] if name[cut - 1] != "的" else name
    if kind == "typo":
        spots = [i for i, c in enumerate(name) if c in TYPO]
        if spots:
            i = rng.choice(spots)
            return name[:i] + TYPO[name[i]] + name[i + 1 :]
        return name
    return name.translate(str.maketrans("0123456789%", "０１２３４５６７８９％"))


def generate(total: int = 27_000, seed: int = 7) -> tuple[list[str], list[str], list[int]]:
    """(names, units, truth) where truth[i] is the planted group of name i (its base's index)."""
    rng = random.Random(seed)
    pool = base_names()
    rng.shuffle(pool)
    n_dups = int(total * 0.26)
    n_bases = total - n_dups
    if n_bases > len(pool):
        raise SystemExit(
            f"the generator makes {len(pool)} distinct names; ask for at most {len(pool) + n_dups}"
        )
    names, units, truth = [], [], []
    for i, (name, unit) in enumerate(pool[:n_bases]):
        names.append(name), units.append(unit), truth.append(i)
    duplicated = rng.sample(range(n_bases), k=int(n_dups / 1.4))
    while len(names) < total:
        base = rng.choice(duplicated)
        fresh = variant(names[base], units[base], rng)
        names.append(fresh), units.append(units[base] if rng.random() < 0.7 else ""), truth.append(base)
    order = list(range(total))
    rng.shuffle(order)
    return [names[i] for i in order], [units[i] for i in order], [truth[i] for i in order]


def pairs_of_groups(groups) -> set[tuple[int, int]]:
    return {(a, b) for g in groups for x, a in enumerate(sorted(g)) for b in sorted(g)[x + 1 :]}


def truth_pairs(truth: list[int]) -> set[tuple[int, int]]:
    members: dict[int, list[int]] = {}
    for i, group in enumerate(truth):
        members.setdefault(group, []).append(i)
    return pairs_of_groups(m for m in members.values() if len(m) > 1)


def score(found: set, expected: set) -> tuple[float, float]:
    hits = len(found & expected)
    return hits / max(len(found), 1), hits / max(len(expected), 1)


def run(ctx=None, names: int = 27_000, seed: int = 7, naive_rows: int | None = None) -> Table:
    from jianfu.forms import dedup

    texts, units, truth = generate(names, seed)
    expected = truth_pairs(truth)
    started = time.perf_counter()
    groups = dedup.duplicate_groups(texts, units, workers=2)
    blocked_s = time.perf_counter() - started
    blocked = pairs_of_groups(groups)
    precision, recall = score(blocked, expected)
    table = Table(
        f"Duplicate indicators — {len(texts):,} names, {len(expected):,} planted duplicate pairs "
        f"in {len(_groups(truth)):,} groups, 2 workers"
    )
    table.add(
        "blocked (app): time", f"{blocked_s:.2f} s", f"< {TARGET_S:.0f} s on 2 cores", blocked_s < TARGET_S
    )
    table.add("blocked (app): groups / pairs", f"{len(groups):,} / {len(blocked):,}")
    table.add("blocked (app): precision / recall", f"{precision:.3f} / {recall:.3f}")
    rows = range(min(naive_rows or len(texts), len(texts)))
    started = time.perf_counter()
    naive = dedup.naive_pairs(texts, units, workers=2, rows=rows)
    naive_s = time.perf_counter() - started
    full = len(rows) == len(texts)
    n = len(texts)
    # Each pair is scored once (row a against the names after it): n(n−1)/2 scores in all. Sampled rows are
    # the first ones, which have the most names after them: extrapolate by scores, not by rows.
    scores_done = sum(n - a for a in rows)
    estimate = naive_s if full else naive_s * (n * (n + 1) / 2) / scores_done
    label = "naive all-pairs cdist, each pair once" + (
        "" if full else f" (first {len(rows):,} rows × the names after them, time extrapolated)"
    )
    table.add(f"{label}: time", f"{estimate:.2f} s" + ("" if full else f" (measured {naive_s:.2f} s)"))
    table.add(
        "naive: scores computed", f"{n * (n - 1) // 2:,} (n(n−1)/2; the full n×n matrix would be {n * n:,})"
    )
    if full:
        found = pairs_of_groups(_closure(naive, len(texts)))
        n_precision, n_recall = score(found, expected)
        table.add("naive: pairs after grouping", f"{len(found):,}")
    else:
        touched = {p for p in expected if p[0] in rows or p[1] in rows}
        sample = {p for p in naive}
        n_precision, n_recall = score(sample, touched)
    table.add("naive: precision / recall", f"{n_precision:.3f} / {n_recall:.3f}")
    table.add(
        "speed-up blocked vs naive (same pairs, each scored once)",
        f"{estimate / max(blocked_s, 1e-9):.1f}×",
        "anchor 9.3× (the n×n baseline, overstated)",
    )
    table.add("peak RSS", f"{peak_rss_mb():.0f} MB")
    return table


def _groups(truth):
    counts: dict[int, int] = {}
    for t in truth:
        counts[t] = counts.get(t, 0) + 1
    return [t for t, n in counts.items() if n > 1]


def _closure(pairs, n):
    from jianfu.forms.dedup import UnionFind

    found = UnionFind(n)
    for a, b in pairs:
        found.union(a, b)
    return found.groups()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_forms", description=__doc__)
    parser.add_argument("--names", type=int, default=27_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--naive-rows", type=int, default=None)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    print(run(None, args.names, args.seed, args.naive_rows).render(), flush=True)


if __name__ == "__main__":
    main()
