from django import template
from django.utils.html import format_html

from jianfu.core.choices import REGISTRY
from jianfu.orgs import access

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


@register.filter
def may(user, capabilities: str) -> bool:
    """``{% if user|may:"grid.report,grid.manage" %}``: the user holds any of the capabilities (orgs.access.may)."""
    return any(access.may(user, c.strip()) for c in capabilities.split(","))


@register.filter
def may_in_region(user, capabilities: str) -> bool:
    """Any of the capabilities on a region role (a department's own role opens no region's pages)."""
    return user.is_authenticated and bool(
        access.region_prefixes(user, *[c.strip() for c in capabilities.split(",")])
    )
