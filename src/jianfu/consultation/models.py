"""群众意见台账、议事会、七步协商、表决和议定事项: data and invariants."""

from django.db import models  # noqa: F401
