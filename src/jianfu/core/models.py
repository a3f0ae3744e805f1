"""Platform-wide reference data: the official working-day calendar for years the package does not cover."""

from django.db import models


class CalendarDay(models.Model):
    """A day whose status the State Council's annual notice fixes: a holiday on a weekday, or a make-up
    working day on a weekend. Entered by an administrator for years not yet in the calendar package."""

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=50, help_text="如：春节、国庆节调休上班")

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排"
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {self.name}"


class AnnouncedYear(models.Model):
    """A year whose holiday arrangement has been announced and fully entered; until then deadlines in that
    year are estimated Monday to Friday and say so."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField(
        "依据", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "已公布节假日安排的年份"
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class Sequence(models.Model):
    """A gap-free counter per key (notice numbers per county and year, certificate numbers per village, year
    and series…), taken under a row lock by ``jianfu.core.numbering.next_number``."""

    key = models.CharField("编号序列", max_length=80, unique=True)
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号序列"

    def __str__(self):
        return f"{self.key}={self.last}"
