"""Resident ID numbers (公民身份号码, GB 11643-1999) and what others may see of a person: pure, no Django models.

An ID number is 6 digits of the registering division, 8 of the birth date, 3 of a sequence (odd for men) and a
check character: ISO 7064 MOD 11-2 over the first 17 digits, 10 written as X.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
FULL_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF38: "X", 0xFF58: "X"}
# Anything that looks like an 18-character ID number, for masking free text and for tests that hunt leaks: ASCII or
# full-width digits, grouped by a space or hyphen as people type them ("428521 19900101 0770"), the last one
# perhaps X; a letter may follow (nothing says where the number ends), a digit may not (a longer number).
_DIGIT = "[0-9\uff10-\uff19]"
_GAP = "(?:[ \t\u00a0\u3000]{1,2}|[-\u2010\u2011\uff0d])?"  # spaces (also full-width) or a hyphen
ID_PATTERN = re.compile(rf"(?<!{_DIGIT})(?:{_DIGIT}{_GAP}){{17}}[0-9\uff10-\uff19Xx\uff38\uff58](?!{_DIGIT})")
MASK = "********"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise_id(value: str) -> str:
    """Spaces removed (people type it in groups), a lower-case x made upper-case, full-width digits folded."""
    return re.sub(r"\s+", "", (value or "").translate(FULL_WIDTH)).upper()


def id_problem(value: str, today: date | None = None) -> str:
    """What is wrong with an ID number, in Chinese naming the position; empty when it is valid."""
    number = normalise_id(value)
    if not number:
        return "请填写公民身份号码。"
    if len(number) != 18:
        return f"公民身份号码应为 18 位，您填写了 {len(number)} 位。"
    if not number[:17].isdigit():
        return "公民身份号码前 17 位只能是数字。"
    if number[17] not in "0123456789X":
        return "公民身份号码第 18 位只能是数字或 X。"
    if number[0] not in "12345678":
        return f"公民身份号码前 6 位“{number[:6]}”不是有效的行政区划代码。"
    born = _birth_date(number)
    if born is None:
        return f"公民身份号码第 7–14 位“{number[6:14]}”不是有效的出生日期。"
    if born > (today or date.today()) or born.year < 1850:
        return f"公民身份号码中的出生日期 {born:%Y-%m-%d} 不在合理范围内。"
    expected = check_char(number[:17])
    if number[17] != expected:
        return f"公民身份号码校验码错误：按 GB 11643 第 18 位应为 {expected}，请核对是否输错。"
    return ""


def _birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str, field: str = "resident_id_number") -> str:
    """The normalised number, or a ValidationError on ``field``."""
    problem = id_problem(value)
    if problem:
        raise ValidationError({field: problem})
    return normalise_id(value)


def mask_id(number: str) -> str:
    """First 6 and last 4 characters, the 8 between hidden (e.g. 428521********123X)."""
    if not number:
        return ""
    if len(number) != 18:
        return MASK
    return f"{number[:6]}{MASK}{number[-4:]}"


def mask_ids_in_text(text: str) -> str:
    """Free text (a rendered certificate body, a note) with every ID-looking number masked."""
    return ID_PATTERN.sub(lambda m: mask_id(found_id(m.group(0))), text or "")


def found_id(match: str) -> str:
    """An ID_PATTERN match as the 18 characters it stands for: full-width folded, separators dropped."""
    return re.sub(r"[^0-9X]", "", match.translate(FULL_WIDTH).upper())


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜: enough to recognise for the holder, not to identify."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def sample_id(prefix: str, born: date, sequence: int) -> str:
    """A well-formed number for demo data and tests (prefix = 6 digits, sequence 0–999)."""
    first17 = f"{prefix}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
