"""zh-hans input formats with ISO first, so date and datetime-local inputs round-trip (see the package)."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-06': what <input type="date"> sends and accepts
    "%Y/%m/%d",
    "%Y年%m月%d日",
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # what <input type="datetime-local"> sends and accepts
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
]
