"""Writes of grid management: classification and grids, and events from report to close.

One module per topic; the package re-exports every action so callers write ``services.<action>``.
"""

from . import events, setup  # noqa: F401, E402
from .events import (  # noqa: F401
    EVENT_FIELDS,
    RATING_ALPHABET,
    Report,
    S,
    escalate_overdue,
    event_accept,
    event_dispatch,
    event_feedback,
    event_follow,
    event_rate,
    event_report,
    event_return,
    event_verify,
    find_duplicates,
    locate_grid,
)
from .public import PUBLIC_SYSTEM, event_report_public, public_classes  # noqa: F401, E402
from .setup import (  # noqa: F401
    CLASS_FIELDS,
    GRID_FIELDS,
    class_save,
    clean_buildings,
    grid_save,
)
