"""一张表：基础指标、部门报表、年度填报表格清单、工作群和政务APP: data and invariants."""

from django.db import models  # noqa: F401
