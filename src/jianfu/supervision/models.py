"""督查检查考核计划与到村记录，工作机制和牌子: data and invariants."""

from django.db import models  # noqa: F401
