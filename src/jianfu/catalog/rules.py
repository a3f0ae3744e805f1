"""Rules between list versions: the diff shown at publication, and "只增不减" for refined negative lists."""

import re
from dataclasses import dataclass, field

_SPACE_PUNCT = re.compile(r"[\s，。、；：,.;:“”\"'（）()《》]+")


def _norm(text: str) -> str:
    return _SPACE_PUNCT.sub("", text or "")


@dataclass
class ListDiff:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (old item, new item, [field names])

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> str:
        return f"新增 {len(self.added)} 项，删除 {len(self.removed)} 项，修改 {len(self.changed)} 项"


def diff_items(old_items, new_items) -> ListDiff:
    """Compare two versions' items by code."""
    old = {i.code: i for i in old_items}
    new = {i.code: i for i in new_items}
    diff = ListDiff(
        added=[new[c] for c in new if c not in old],
        removed=[old[c] for c in old if c not in new],
    )
    for code in new.keys() & old.keys():
        before, after = old[code].comparable(), new[code].comparable()
        fields = [name for name in before if before[name] != after[name]]
        if fields:
            diff.changed.append((old[code], new[code], fields))
    diff.changed.sort(key=lambda change: change[1].position)
    return diff


def negative_list_weakenings(draft_items, upper_items) -> list[str]:
    """Every upper-level negative item must survive in the refined list, with all its examples ("只增不减")."""
    by_code = {i.code: i for i in draft_items}
    problems = []
    for upper in upper_items:
        label = f"{upper.code}“{upper.content[:30]}”（{upper.work_list.issuer_name}）"
        mine = by_code.get(upper.code)
        if mine is None:
            problems.append(f"删减了上级负面清单事项 {label}")
            continue
        if _norm(upper.content) != _norm(mine.content):
            problems.append(f"改动了上级负面清单事项 {label} 的内容（只能增加具体事项，不能改写）")
        if upper.reason and _norm(upper.reason) != _norm(mine.reason):
            problems.append(f"改动了上级负面清单事项 {label} 的列入理由")
        missing = [e for e in upper.examples if _norm(e) not in {_norm(x) for x in mine.examples}]
        if missing:
            problems.append(f"上级负面清单事项 {label} 缺少具体事项：{'；'.join(missing)}")
    return problems
