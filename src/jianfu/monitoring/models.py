"""监测点、监测员、负担事件、问题线索、通报和看板: data and invariants."""

from django.db import models  # noqa: F401
