"""Scoped reads for 网格化服务管理."""


def home_card(user) -> dict | None:
    """What the home page shows this user about 网格化服务管理; None hides the card."""
    return None
