"""A form field's widget described by what the page shows beside it, for screen readers.

Django 5.2 names ``<id>_error`` in an invalid widget's aria-describedby, but not when the widget already carries
one (StyledForm points it at the help text), and it names help text as ``<id>_helptext`` where the site's form
templates render ``<id>_help``. ``described_widget`` names both ids the templates actually render."""

from django import template

register = template.Library()


@register.filter
def described_widget(field):
    """The widget with aria-describedby listing its help text (``<id>_help``) and, when invalid, its errors
    (``<id>_error``), keeping any id the widget already names; the form templates render elements with these ids."""
    if not field.auto_id:
        return field.as_widget()
    ids = (field.field.widget.attrs.get("aria-describedby") or "").split()
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    ids = list(dict.fromkeys(ids))
    return field.as_widget(attrs={"aria-describedby": " ".join(ids)} if ids else None)


@register.filter
def marked_required(field) -> bool:
    """Whether the page marks the field required (*): the form requires it, or the service does (the form's widget
    then carries aria-required, see ``StyledForm.service_requires``)."""
    return bool(field.field.required or field.field.widget.attrs.get("aria-required"))
