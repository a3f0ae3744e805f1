from django.core.exceptions import ValidationError


class StaleWriteError(ValidationError):
    """Raised when a save was based on an out-of-date copy of the record."""

    def __init__(self, label: str):
        super().__init__(
            f"{label}已被其他用户修改，您看到的是旧版本。请刷新页面，核对后重新保存。", code="stale"
        )


def check_version(obj, expected_version, label: str) -> None:
    """Refuse a write based on an out-of-date copy: the page or API sent the ``version`` it was shown."""
    if expected_version is not None and int(expected_version) != obj.version:
        raise StaleWriteError(label)
