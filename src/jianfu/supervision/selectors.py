"""Scoped reads for 督查检查与机制牌子."""


def home_card(user) -> dict | None:
    """What the home page shows this user about 督查检查与机制牌子; None hides the card."""
    return None


def inspection_counts(*, region, year: int) -> dict:
    """For monitoring's dashboards: village-level inspections under ``region`` in ``year``:
    ``{"planned": int, "actual": int, "unplanned": int}``. Implemented by the supervision app."""
    return {"planned": 0, "actual": 0, "unplanned": 0}


def placard_removals(*, region, year: int) -> dict:
    """For monitoring's dashboards: ``{"placards": int, "wall_rules": int}`` removed under ``region`` in ``year``."""
    return {"placards": 0, "wall_rules": 0}
