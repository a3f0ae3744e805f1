"""Scoped reads for 协商议事."""


def home_card(user) -> dict | None:
    """What the home page shows this user about 协商议事; None hides the card."""
    return None
