"""One rule for a year given by a person or a client: a whole number from 2000 to 2100.

Dates are built from these years (``date(year, 1, 1)``, ``__year`` lookups), so a year outside Python's and the
databases' range used to be a server error. Models validate with ``validate_year``, the API with
``core.api_types.Year``, pages with ``year_param`` and filters with ``year_or_none``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone

YEAR_MIN, YEAR_MAX = 2000, 2100
YEAR_MESSAGE = f"年度须为 {YEAR_MIN} 至 {YEAR_MAX} 之间的整数。"


def validate_year(value: int) -> None:
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(YEAR_MESSAGE, code="year_range")


def year_or_none(value) -> int | None:
    """The year a filter asks for, or None when the text is not a year in range."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) != 4:
        return None
    year = int(text)
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def year_param(request, default: int | None = None, name: str = "year") -> int:
    """The page's ``?year=``: absent means ``default`` (this year); a bad one is told and falls back to it."""
    fallback = default or timezone.localdate().year
    text = request.GET.get(name, "").strip()
    if not text:
        return fallback
    year = year_or_none(text)
    if year is None:
        messages.warning(request, f"{YEAR_MESSAGE[:-1]}，已显示 {fallback} 年。")
        return fallback
    return year
