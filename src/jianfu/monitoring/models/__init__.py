"""Monitoring's data: points, monitors, burden events, rollups and bulletins (``events``); findings and the
inspector's judgement of them (``findings``)."""

from .events import *  # noqa: F401, F403
from .events import STEP_LABELS, VIEW_CAPABILITIES  # noqa: F401
from .findings import *  # noqa: F401, F403
from .returns import *  # noqa: F401, F403
