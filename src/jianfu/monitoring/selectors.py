"""Scoped reads for 减负监测."""


def home_card(user) -> dict | None:
    """What the home page shows this user about 减负监测; None hides the card."""
    return None
