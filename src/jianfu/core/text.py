"""Every free text has a limit.

``BoundedTextField`` is a ``TextField`` that must be given ``max_length`` (the column stays unbounded; the
limit is the platform's). ``full_clean`` checks it, and — so that no write path can forget it — every save of
a model of ours checks the length of every text and character field it writes (``check_lengths``, connected
to ``pre_save`` in ``core.apps``): an over-long text is refused with a ``ValidationError`` naming the field
and the limit, e.g. "「情况描述」不能超过 2000 字（现为 1048576 字）。", and the service's transaction
changes nothing. ``text_input`` puts the same limit into an API schema, so the OpenAPI document shows it.
"""

from typing import Annotated

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from pydantic import Field

# The limits fields choose from.
NOTE = 1000  # a reason, a remark, one person's comment
TEXT = 2000  # a description, a requirement, an opinion
STEP_NOTE = 3000  # a workflow step's note, which may quote a TEXT with a few words before it
LONG = 5000  # a template, a notice, a report
DOCUMENT = 10000  # minutes, a certificate's full text


def too_long(label, limit: int, length: int) -> str:
    return f"「{label}」不能超过 {limit} 字（现为 {length} 字）。"


class TextLimitValidator(MaxLengthValidator):
    """Django's length check with the platform's message, which names the field."""

    def __init__(self, limit_value: int, label):
        super().__init__(limit_value)
        self.label = label

    def __call__(self, value):
        if len(value) > self.limit_value:
            raise ValidationError(too_long(self.label, self.limit_value, len(value)), code="max_length")

    def __eq__(self, other):
        return isinstance(other, TextLimitValidator) and (self.limit_value, self.label) == (
            other.limit_value,
            other.label,
        )


class BoundedTextField(models.TextField):
    """A free text with a required limit (``max_length``, keyword-only), checked by ``full_clean`` and on save."""

    def __init__(self, *args, max_length: int, **kwargs):
        if not isinstance(max_length, int) or max_length <= 0:
            raise TypeError("BoundedTextField needs a positive max_length")
        super().__init__(*args, max_length=max_length, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        validator = TextLimitValidator(self.max_length, self.verbose_name)
        if validator not in self.validators:
            self.validators.append(validator)

    def formfield(self, **kwargs):
        return super().formfield(**{"error_messages": limit_messages(self.verbose_name), **kwargs})


def limit_messages(label) -> dict:
    """A form field's ``error_messages`` that say an over-long text the way the services do."""
    return {"max_length": f"「{label}」不能超过 %(limit_value)d 字（现为 %(show_value)d 字）。"}


def check_lengths(instance: models.Model, fields=None) -> None:
    """Refuse every text or character field of ``instance`` longer than its ``max_length`` (all of them, or
    only ``fields`` — attribute names — as ``save(update_fields=...)`` writes)."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or not field.max_length:
            continue
        if fields is not None and field.attname not in fields and field.name not in fields:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > field.max_length:
            errors[field.name] = [too_long(field.verbose_name, field.max_length, len(value))]
    if errors:
        raise ValidationError(errors)


def check_lengths_before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """``pre_save`` receiver for the platform's own models (fixtures loaded raw are trusted)."""
    if raw or not sender.__module__.startswith("jianfu."):
        return
    check_lengths(instance, update_fields)


def limit_of(model: type[models.Model] | str, field: str) -> int:
    if isinstance(model, str):  # "app_label.Model", so an API module need not import another app's models
        model = apps.get_model(model)
    return model._meta.get_field(field).max_length


def form_text(model: type[models.Model] | str, field: str, **kwargs):
    """A form's text area that fills ``model.field``: its label, limit and the platform's message."""
    from django import forms

    if isinstance(model, str):
        model = apps.get_model(model)
    model_field = model._meta.get_field(field)
    label = kwargs.pop("label", model_field.verbose_name)
    limit = kwargs.pop("max_length", model_field.max_length)  # a form may ask for less, never for more
    if limit > model_field.max_length:
        raise ValueError(f"{model.__name__}.{field} holds at most {model_field.max_length} characters")
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(label=label, max_length=limit, error_messages=limit_messages(label), **kwargs)


def text_input(model: type[models.Model] | str, field: str):
    """The type of an API schema's field that fills ``model.field``: a ``str`` whose limit OpenAPI shows.

    The service refuses an over-long text with the platform's message; the schema only documents it.
    """
    return Annotated[str, Field(json_schema_extra={"maxLength": limit_of(model, field)})]
