"""Locale format overrides (settings.FORMAT_MODULE_PATH).

An ``<input type="date">`` only takes an ISO value (2026-12-06); Django renders a date field's value with the
first of DATE_INPUT_FORMATS, which for zh-hans is 2026/12/06, and the browser then discards it. ISO comes first
here; the other spellings are still accepted when typed or imported.
"""
