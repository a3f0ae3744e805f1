"""The answer one app's rule check gives another (monitoring asks supervision, the one table, the lists)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """``passed`` is True (rule kept), False (rule broken) or None (could not be decided).

    ``rule`` names the rule in Chinese for the violation page ("未列入年度督查检查计划"); ``detail`` says what
    was found; ``url`` points at the record that decided it (the plan item, the form), when there is one.
    """

    passed: bool | None
    rule: str
    detail: str = ""
    url: str = ""

    @classmethod
    def ok(cls, rule: str, detail: str = "", url: str = "") -> "Check":
        return cls(True, rule, detail, url)

    @classmethod
    def broken(cls, rule: str, detail: str = "", url: str = "") -> "Check":
        return cls(False, rule, detail, url)

    @classmethod
    def unknown(cls, detail: str) -> "Check":
        return cls(None, "", detail)
