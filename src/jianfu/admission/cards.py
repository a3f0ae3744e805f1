"""Admitted items carry process cards too (谁交办任务、谁建立流程): the department named as the item's owner writes
its card through catalog's card services, reviewed by the office like any other."""

from datetime import date

from django.db.models import Q

from jianfu.catalog import cards
from jianfu.orgs.models import Level, Region

from .models import AdmittedItem, ItemStatus


def admitted_card_items(region: Region, on: date) -> list[cards.OwnedItem]:
    """The admitted items in force on the date: a county's own, or those that reach a township or village."""
    items = AdmittedItem.objects.filter(status=ItemStatus.ACTIVE, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )
    items = items.filter(county=region) if region.level <= Level.COUNTY else items.in_force(region, on)
    return [cards.OwnedItem(i.code, i.content, i.department_id, "已准入事项") for i in items.order_by("code")]


def register() -> None:
    if admitted_card_items not in cards.ITEM_SOURCES:
        cards.ITEM_SOURCES.append(admitted_card_items)


def card_for(region: Region, codes) -> "cards.ProcessCard | None":
    """The accepted card the village follows for the first of ``codes`` that has one."""
    accepted = cards.accepted_cards(region)
    return next((accepted[c] for c in codes if c in accepted), None)


def attach_cards(recipients) -> None:
    """Give each notice recipient row the accepted card of its item (``row.card``), one read per region."""
    by_region: dict[int, dict] = {}
    for row in recipients:
        if row.region_id not in by_region:
            by_region[row.region_id] = cards.accepted_cards(row.region)
        row.card = by_region[row.region_id].get(row.notice.item.code)
