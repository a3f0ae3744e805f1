"""Workflow transitions declared as tables, checked by one helper.

A model with a state declares its arrows once, next to the model::

    PLAN_FLOW = Workflow(
        PlanStatus,
        Transition("submit", "报送", {PlanStatus.DRAFT, PlanStatus.RETURNED}, PlanStatus.SUBMITTED),
        Transition("approve", "批准", {PlanStatus.SUBMITTED}, PlanStatus.APPROVED),
    )

Services ask ``PLAN_FLOW.check(plan, "approve")`` (it refuses a wrong starting state in Chinese, naming the
record, its state and the states the step needs) or ``PLAN_FLOW.move(plan, "approve")`` (check, then set the
state); pages ask ``PLAN_FLOW.may(plan, "approve")`` to decide which buttons to show. A transition whose target is
``None`` is an action allowed in those states that does not move the record (an edit, a vote cast).

Every workflow registers itself, and ``tests/core/test_workflow.py`` asserts that every model field whose choices
are a state enumeration named in ``STATE_FIELDS`` has a workflow, so a new state machine cannot be written inline.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

REGISTERED: list["Workflow"] = []


@dataclass(frozen=True)
class Transition:
    code: str
    label: str  # the step as people say it: 报送, 批准, 退回
    sources: frozenset
    target: str | None
    hint: str  # what to do instead, added to the refusal ("已发布的清单请先“调整清单”…")

    def __init__(self, code: str, label: str, sources, target=None, *, hint: str = ""):
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", None if target is None else str(target))
        object.__setattr__(self, "hint", hint)


class Workflow:
    def __init__(self, states: type[models.TextChoices], *transitions: Transition, field: str = "status"):
        self.states = states
        self.field = field
        self.transitions = {t.code: t for t in transitions}
        if len(self.transitions) != len(transitions):
            raise ValueError(f"{states.__name__}: two transitions share a code")
        known = {str(s) for s in states}
        for t in transitions:
            unknown = (set(t.sources) | ({t.target} if t.target else set())) - known
            if unknown:
                raise ValueError(f"{states.__name__}.{t.code}: unknown states {sorted(unknown)}")
        REGISTERED.append(self)

    def state_of(self, obj) -> str:
        return str(getattr(obj, self.field))

    def may(self, obj, code: str) -> bool:
        return self.state_of(obj) in self.transitions[code].sources

    def actions(self, obj) -> list[Transition]:
        """The steps open from the record's state, in declaration order (for pages that offer them)."""
        state = self.state_of(obj)
        return [t for t in self.transitions.values() if state in t.sources]

    def check(self, obj, code: str, *, name: str | None = None) -> Transition:
        """Refuse the step unless the record is in one of its starting states; return the transition."""
        transition = self.transitions[code]
        state = self.state_of(obj)
        if state not in transition.sources:
            wanted = "、".join(self.states(s).label for s in self._ordered(transition.sources))
            now = self.states(state).label if state in self.states.values else state
            raise ValidationError(
                f"{name or f'“{obj}”'}当前为“{now}”，不能{transition.label}（只有“{wanted}”时可以）。{transition.hint}"
            )
        return transition

    def move(self, obj, code: str, *, name: str | None = None) -> tuple[str, str]:
        """Check the step and set the new state on the (locked) record; the caller saves it. Returns (from, to)."""
        transition = self.check(obj, code, name=name)
        before = self.state_of(obj)
        if transition.target is not None:
            setattr(obj, self.field, transition.target)
        return before, self.state_of(obj)

    def _ordered(self, states) -> list[str]:
        return [s for s in self.states.values if s in states]
