"""Scoped reads for 专项行动与考评."""


def home_card(user) -> dict | None:
    """What the home page shows this user about 专项行动与考评; None hides the card."""
    return None
