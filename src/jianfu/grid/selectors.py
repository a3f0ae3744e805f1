"""Scoped reads for 网格化服务管理."""


def home_card(user) -> dict | None:
    """What the home page shows this user about 网格化服务管理; None hides the card."""
    return None


def agency_figures(*, department, township, year: int) -> dict:
    """For the dispatched-agency evaluation (campaign app): the grid events ``department`` handled in
    ``township`` in ``year``: ``{"handled": int, "on_time": int, "on_time_rate": float | None,
    "satisfaction": float | None}`` (satisfaction as the mean rating scaled to 0–100). Implemented by the grid app."""
    return {"handled": 0, "on_time": 0, "on_time_rate": None, "satisfaction": None}
