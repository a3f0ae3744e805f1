from django import template

from jianfu.certificates.idnumbers import mask_id, mask_ids_in_text
from jianfu.certificates.selectors import may_view_records

register = template.Library()


@register.filter
def may_view_certificates(user) -> bool:
    return may_view_records(user)


@register.filter
def masked_id(number: str) -> str:
    return mask_id(number)


@register.filter
def masked_text(text: str) -> str:
    return mask_ids_in_text(text)
