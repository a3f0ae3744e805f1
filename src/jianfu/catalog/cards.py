"""Process cards (谁交办任务、谁建立流程, seed 000 三(二)): the department that hands an assist or undertaken item
down writes its card, submits it, and the review office accepts or returns it. Every version is kept; a change
to an accepted card is a new version. The writes of this module are the services; reads are at the bottom."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region
from jianfu.orgs.roles import Capability

from .models import CARD_FLOW, CARD_KINDS, CardState, ListItem, ProcessCard
from .selectors import items_in_force

CARD_FIELDS = ("basis", "standard", "conditions", "materials", "steps", "forms_used")
LISTED = (
    "approved"  # a department form's state once it is in the annual form list (forms.FormStatus.APPROVED)
)
OPEN_STATES = (CardState.DRAFT, CardState.SUBMITTED, CardState.RETURNED)


@dataclass(frozen=True)
class OwnedItem:
    """Work that is not a list item but carries a card too (an admitted item): its owner department writes it."""

    code: str
    content: str
    department_id: int
    source: str  # what it is, as people say it: 已准入事项


# Apps that admit work add their items here (admission registers its admitted items in ``ready()``): a function
# of (region, date) returning the ``OwnedItem``s in force there.
ITEM_SOURCES: list[Callable[[Region, date], list[OwnedItem]]] = []
CardItem = ListItem | OwnedItem


def card_items(region: Region, on: date | None = None) -> list[CardItem]:
    """The items a card is written for in the region: the assist and undertaken items in force, and the items
    other apps register (admitted items)."""
    on = on or timezone.localdate()
    found: list[CardItem] = list(items_in_force(region, on, CARD_KINDS))
    for source in ITEM_SOURCES:
        found += source(region, on)
    return found


def names_department(item: CardItem, department: Department) -> bool:
    """Whether the item names the department as one that hands it down (the lists print 人社局, the county's
    department is 县人社局); an admitted item names its owner department."""
    if isinstance(item, OwnedItem):
        return item.department_id == department.pk
    stem = department.name.lstrip("县市区州省")
    names = [n for n in (*item.departments, item.responsible_department) if n]
    return any(n == department.name or n == stem or (len(n) > 1 and n in department.name) for n in names)


def _lock(card: ProcessCard, version: int | None) -> ProcessCard:
    card = ProcessCard.objects.select_for_update().get(pk=card.pk)
    if version is not None and card.version != version:
        raise StaleWriteError(f"流程卡 {card.item_code}")
    return card


@transaction.atomic
def card_save(
    *,
    actor,
    department: Department,
    item_code: str,
    card: ProcessCard | None = None,
    version=None,
    form_ids=None,
    **fields,
) -> ProcessCard:
    """Write a card (a new version when the item's last card was accepted), or change a draft or returned one.
    ``form_ids`` are the one table's forms the work uses, chosen from those listed for the card's region."""
    access.require_for(
        actor, Capability.CATALOG_CARD, department, message="只有交办部门可以编写本部门事项的流程卡。"
    )
    unknown = set(fields) - set(CARD_FIELDS)
    if unknown:
        raise ValidationError({name: "该字段不能在此修改。" for name in unknown})
    if card is None:
        item = next((i for i in card_items(department.region) if i.code == (item_code or "").strip()), None)
        if isinstance(item, OwnedItem) and item.department_id != department.pk:
            raise ValidationError({"item_code": f"{item.source}“{item.code}”由其交办部门编写流程卡。"})
        if item is None:
            raise ValidationError(
                {
                    "item_code": f"本地区施行的依法协助、社区承办事项清单和已准入事项中没有编码为“{item_code}”的事项。"
                }
            )
        cards = ProcessCard.objects.select_for_update().filter(region=department.region, item_code=item.code)
        if cards.filter(state__in=OPEN_STATES).exists():
            raise ValidationError({"item_code": f"事项“{item.code}”已有未审核完的流程卡，请在那一版上修改。"})
        card = ProcessCard(
            region=department.region,
            department=department,
            item_code=item.code,
            item_content=item.content,
            number=(cards.aggregate(n=Max("number"))["n"] or 0) + 1,
            author=actor,
        )
        before = None
    else:
        card = _lock(card, version)
        if card.department_id != department.pk:
            raise ValidationError({"department": "这张流程卡不是本部门编写的。"})
        if card.state not in (CardState.DRAFT, CardState.RETURNED):
            raise ValidationError(
                f"流程卡当前为“{card.get_state_display()}”，不能修改；修改已采用的流程卡请新建一版。"
            )
        before = snapshot(card)
        card.version += 1
    for name, value in fields.items():
        setattr(card, name, (value or "").strip())
    chosen = _listed_forms(department.region, form_ids) if form_ids is not None else None
    card.full_clean()
    card.save()
    if chosen is not None:
        card.forms.set(chosen)
    elif before is None and card.number > 1:  # a new version starts from the forms of the one before
        previous = ProcessCard.objects.get(
            region=card.region, item_code=card.item_code, number=card.number - 1
        )
        card.forms.set(previous.forms.all())
    audit_record(
        actor=actor,
        action="catalog.card_update" if before else "catalog.card_create",
        obj=card,
        before=before,
        after={**snapshot(card), "forms": sorted(card.forms.values_list("pk", flat=True))},
        region_code=card.region.code,
    )
    return card


def form_choices(region: Region):
    """The one table's forms a card may name: those listed (列入清单) for the region or a region above it."""
    from django.apps import apps

    from .models import above_q

    model = apps.get_model("forms", "DepartmentForm")
    return (
        model.objects.filter(above_q(region, field="region"), status=LISTED)
        .select_related("department")
        .order_by("-year", "department__name", "name")
    )


def _listed_forms(region: Region, form_ids) -> list:
    ids = {int(i) for i in form_ids}
    found = list(form_choices(region).filter(pk__in=ids))
    unknown = ids - {f.pk for f in found}
    if unknown:
        raise ValidationError(
            {
                "form_ids": f"「使用的报表」只能从本地区年度填报表格清单已列入的报表中选择（编号 {sorted(unknown)} 不在其中）。"
            }
        )
    return found


@transaction.atomic
def card_submit(*, actor, card: ProcessCard, version: int | None = None) -> ProcessCard:
    """Submit for review; a card without its basis (the law and articles) or its steps is refused."""
    card = _lock(card, version)
    access.require_for(
        actor, Capability.CATALOG_CARD, card.department, message="只有交办部门可以提交本部门的流程卡。"
    )
    errors = {}
    if not card.basis.strip():
        errors["basis"] = "「办理依据」不能为空：请写明法律法规或文件的名称和条款。"
    if not card.steps.strip():
        errors["steps"] = "「办理步骤」不能为空：请写明村（社区）怎样办理。"
    if errors:
        raise ValidationError(errors)
    before = snapshot(card)
    CARD_FLOW.move(card, "submit", name=f"流程卡 {card.item_code}")
    card.submitted_at = timezone.now()
    card.decision_note = ""
    card.version += 1
    card.save()
    audit_record(actor=actor, action="catalog.card_submit", obj=card, before=before, after=snapshot(card))
    return card


@transaction.atomic
def card_decide(
    *, actor, card: ProcessCard, accept: bool, note: str = "", version: int | None = None
) -> ProcessCard:
    """The review office accepts the card (villages are shown it) or returns it with its reasons."""
    card = _lock(card, version)
    access.require(
        actor, Capability.CATALOG_MANAGE, card.region, message="只有准入审核委员会办公室可以审核流程卡。"
    )
    access.require_that(not access.works_in(actor, card.department), "不能审核本部门编写的流程卡。")
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": "退回修改须写明理由。"})
    before = snapshot(card)
    CARD_FLOW.move(card, "accept" if accept else "return", name=f"流程卡 {card.item_code}")
    card.decided_by, card.decided_at, card.decision_note = actor, timezone.now(), note[:300]
    card.version += 1
    card.save()
    audit_record(
        actor=actor,
        action="catalog.card_accept" if accept else "catalog.card_return",
        obj=card,
        before=before,
        after=snapshot(card),
    )
    return card


# Reads ------------------------------------------------------------------------------------------------------


def visible_cards(user):
    return (
        ProcessCard.objects.visible_to(user).select_related("department", "region").prefetch_related("forms")
    )


def accepted_cards(region: Region) -> dict[str, ProcessCard]:
    """The newest accepted card of each item code written in the region or a region above it."""
    from .models import above_q

    found: dict[str, ProcessCard] = {}
    for card in (
        ProcessCard.objects.accepted()
        .filter(above_q(region, field="region"))
        .select_related("department")
        .order_by("region__level", "number")
    ):
        found[card.item_code] = card  # lower levels and later versions win
    return found


def department_items(department: Department) -> list[tuple[CardItem, ProcessCard | None, ProcessCard | None]]:
    """Each item the department hands down: (item, its newest accepted card, its open card if any)."""
    accepted = accepted_cards(department.region)
    open_cards = {
        c.item_code: c for c in ProcessCard.objects.filter(department=department, state__in=OPEN_STATES)
    }
    return [
        (item, accepted.get(item.code), open_cards.get(item.code))
        for item in card_items(department.region)
        if names_department(item, department)
    ]


def missing_by_department(region: Region) -> list[tuple[Department, int, int]]:
    """Per department of the region: (department, items it hands down, items without an accepted card)."""
    items = card_items(region)
    accepted = accepted_cards(region)
    rows = []
    for department in Department.objects.filter(region=region, is_active=True).order_by("name"):
        own = [i for i in items if names_department(i, department)]
        if own:
            rows.append((department, len(own), sum(i.code not in accepted for i in own)))
    return rows


def accepted_for_list(work_list) -> dict[str, list[ProcessCard]]:
    """For a list's page: each item code's newest accepted card in every region under the list's issuer."""
    from jianfu.orgs.models import subtree_q

    if work_list.kind not in CARD_KINDS:
        return {}
    cards = ProcessCard.objects.accepted().select_related("department", "region").order_by("number")
    if not work_list.is_national:
        cards = cards.filter(subtree_q([work_list.region.prefix], "region__code"))
    newest: dict[tuple[str, int], ProcessCard] = {}
    for card in cards.filter(item_code__in=work_list.items.values("code")):
        newest[(card.item_code, card.region_id)] = card
    found: dict[str, list[ProcessCard]] = {}
    for (code, _), card in sorted(newest.items(), key=lambda kv: kv[1].region.code):
        found.setdefault(code, []).append(card)
    return found
