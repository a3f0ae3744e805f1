"""What the domain apps contribute to the floor's pages, registered from each ``AppConfig.ready()``.

The floor (core, orgs, audit) imports no domain app; apps come to it instead:

    registry.register_audit_labels({"grid.report": "上报网格事件"})
    registry.register_home_card("grid", selectors.home_card)        # renders grid/_home_card.html
    registry.register_home_section("admission", selectors.home_summary)
    registry.register_home_tasks("grid", selectors.home_tasks)      # what waits for this person, with links
    registry.register_demo_loader("grid", demo.load_demo_records, order=70)

Demo loaders run by ``order`` (an app's sample records may use those of the apps loaded before it). Scheduled
jobs and background operations register in ``core.jobs``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeCard:
    app: str
    build: Callable  # build(user) -> dict | None (None hides the card)

    @property
    def template(self) -> str:
        return f"{self.app}/_home_card.html"


@dataclass(frozen=True)
class HomeTask:
    """One thing waiting for this person: ``count`` records, the list that shows exactly them (``url``), the
    earliest deadline among them and how many are past it. The home page starts with these, most urgent first."""

    label: str
    count: int
    url: str
    due: datetime.date | None = None
    overdue: int = 0
    action: str = "去处理"

    def sort_key(self):
        return (0 if self.overdue else 1, -self.overdue, self.due or datetime.date.max, -self.count)


AUDIT_LABELS: dict[str, str] = {}
HOME_TASKS: dict[str, Callable] = {}
HOME_CARDS: list[HomeCard] = []
HOME_SECTIONS: dict[str, Callable] = {}
DEMO_LOADERS: list[tuple[int, str, Callable]] = []


def register_audit_labels(labels: dict[str, str]) -> None:
    clash = {key for key, label in labels.items() if AUDIT_LABELS.get(key, label) != label}
    assert not clash, f"audit actions named twice with different labels: {sorted(clash)}"
    AUDIT_LABELS.update(labels)


def register_home_card(app: str, build: Callable) -> None:
    if all(card.app != app for card in HOME_CARDS):
        HOME_CARDS.append(HomeCard(app, build))


def register_home_section(name: str, build: Callable) -> None:
    HOME_SECTIONS[name] = build


def register_home_tasks(app: str, build: Callable) -> None:
    """``build(user)`` returns the ``HomeTask`` list of what waits for the user in the app (may be empty)."""
    HOME_TASKS[app] = build


def home_tasks(user) -> list[HomeTask]:
    """Every app's waiting work for the user, those with records only, overdue first, then by deadline."""
    tasks = [task for build in HOME_TASKS.values() for task in build(user) if task.count]
    return sorted(tasks, key=HomeTask.sort_key)


def register_demo_loader(app: str, load: Callable, *, order: int) -> None:
    if all(name != app for _, name, _ in DEMO_LOADERS):
        DEMO_LOADERS.append((order, app, load))
        DEMO_LOADERS.sort(key=lambda entry: entry[0])


def demo_loaders() -> list[tuple[str, Callable]]:
    return [(app, load) for _, app, load in DEMO_LOADERS]


def home_cards(user) -> list[dict]:
    cards = []
    for card in HOME_CARDS:
        built = card.build(user)
        if built is not None:
            cards.append({"template": card.template, "card": built, "app": card.app})
    return cards
