"""Scoped reads for 一张表."""


def home_card(user) -> dict | None:
    """What the home page shows this user about 一张表; None hides the card."""
    return None


def served_counts(*, region, year: int) -> dict:
    """For monitoring's dashboards: fields the villages under ``region`` typed against fields served from the
    base table in ``year``: ``{"typed": int, "served": int}``. Implemented by the forms app."""
    return {"typed": 0, "served": 0}
