"""Scoped reads for 督查检查与机制牌子."""


def home_card(user) -> dict | None:
    """What the home page shows this user about 督查检查与机制牌子; None hides the card."""
    return None
