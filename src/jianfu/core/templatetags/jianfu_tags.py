from django import template
from django.utils.html import format_html

from jianfu.core.choices import REGISTRY

register = template.Library()


@register.simple_tag
def badge(value, choices_class):
    """Render a status as a coloured badge; the colour map lives beside the TextChoices."""
    if isinstance(choices_class, str):
        choices_class = REGISTRY[choices_class]
    colours = getattr(choices_class, "colors", {})
    label = choices_class(value).label if value in choices_class.values else value
    return format_html('<span class="badge text-bg-{}">{}</span>', colours.get(value, "secondary"), label)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
