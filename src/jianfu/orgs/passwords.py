import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", str.isdigit),
    ("特殊字符", lambda c: not c.isalnum()),
)


class CharacterClassValidator:
    """等保2.0: a password must mix at least three of the four character classes."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(used) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类（当前 {len(used)} 类）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码至少 8 位，并包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 reworded its too-short message and the zh-hans catalogue has no translation for it yet."""

    def get_error_message(self):
        return f"密码长度太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
