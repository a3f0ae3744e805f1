"""The one rule for idempotency keys (a retried submission's own name): at most IDEMPOTENCY_KEY_MAX characters.

A longer key is refused, never cut: cutting made two different keys with a common prefix the same key, and the
second report was answered with the first one's record and silently lost.
"""

from django.core.exceptions import ValidationError

IDEMPOTENCY_KEY_MAX = 64


def clean_idempotency_key(value, field: str = "idempotency_key") -> str:
    key = (value or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError(
            {field: f"提交编号（幂等键）不能超过 {IDEMPOTENCY_KEY_MAX} 个字符，请缩短后重新提交。"}
        )
    return key
