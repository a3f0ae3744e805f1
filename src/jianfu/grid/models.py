"""网格、网格员、事件上报到办结、Open311 接口: data and invariants."""

from django.db import models  # noqa: F401
