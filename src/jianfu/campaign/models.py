"""专项行动任务分工、进度报告、联席会议、考评、乡镇分类和社区工作者: data and invariants."""

from django.db import models  # noqa: F401
