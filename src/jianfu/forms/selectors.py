"""Scoped reads for 一张表."""


def home_card(user) -> dict | None:
    """What the home page shows this user about 一张表; None hides the card."""
    return None
