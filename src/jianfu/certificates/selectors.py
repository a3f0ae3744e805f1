"""Reads: which certificate types stand where on a date, and the records a user may see."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404

from jianfu.catalog.models import CERTIFICATE_KINDS, ListItem, ListKind, ancestor_codes
from jianfu.catalog.selectors import items_in_force
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .models import CertificateType, Commitment, Issuance, Refusal
from .reference import generic_texts


@dataclass(frozen=True)
class Standing:
    """One certificate type as it stands in a region on a date: its list item and its template (if any)."""

    item: ListItem
    template: CertificateType | None

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def name(self) -> str:
        return self.template.name if self.template else self.item.content

    @property
    def allowed(self) -> bool:
        return self.item.work_list.kind == ListKind.CERT_ALLOWED

    @property
    def issuable(self) -> bool:
        return self.allowed and self.template is not None and self.template.has_certificate_template

    @property
    def list_title(self) -> str:
        return str(self.item.work_list)


def _templates_for(region: Region) -> dict[str, CertificateType]:
    """Templates from the region and every level above it; the lowest level's template of a code wins."""
    found: dict[str, CertificateType] = {}
    templates = CertificateType.objects.filter(region__code__in=ancestor_codes(region)).select_related(
        "region"
    )
    for template in templates.order_by("region__level"):
        found[template.code] = template
    return found


def standings(region: Region, on: date) -> list[Standing]:
    """Every certificate type on the lists in force in the region on the date, allowed ones first.

    A code on both lists (say a province forbids what a county list still allows) counts as forbidden."""
    templates = _templates_for(region)
    chosen: dict[str, ListItem] = {}
    for item in items_in_force(region, on, CERTIFICATE_KINDS):
        if item.code not in chosen or item.work_list.kind == ListKind.CERT_FORBIDDEN:
            chosen[item.code] = item
    result = [Standing(item, templates.get(code)) for code, item in chosen.items()]
    return sorted(
        result, key=lambda s: (not s.allowed, s.item.work_list.issuer_level, s.item.position, s.code)
    )


def commitment_template(standing: Standing | None) -> tuple[list, str]:
    """The type's own commitment template, or the generic one (also for a request on no list)."""
    if standing and standing.template and standing.template.has_commitment_template:
        return standing.template.commitment_fields, standing.template.commitment_body
    generic = generic_texts()
    return generic["commitment_fields"], generic["commitment_body"]


def standing_for(region: Region, code: str, on: date) -> Standing | None:
    return next((s for s in standings(region, on) if s.code == code), None)


def issuing_villages(user) -> list[Region]:
    """The villages and communities where the user is a cadre who issues certificates."""
    if not user.is_authenticated:
        return []
    return [
        a.region
        for a in access.assignments(user)
        if Capability.CERTIFICATES_ISSUE in a.capabilities and a.region.level == Level.VILLAGE
    ]


def may_view_records(user) -> bool:
    return bool(access.region_prefixes(user, Capability.CERTIFICATES_VIEW))


def is_village_cadre(user, village: Region) -> bool:
    """An issuing role granted on this very village: one granted on a township (or any region above) does not
    make its holder a cadre of every village below it, as a role covering a subtree otherwise would."""
    return user is not None and access.acts_at(user, Capability.CERTIFICATES_ISSUE, village)


def may_see_full_id(user, village: Region) -> bool:
    """Only the issuing village's cadres and the inspector see a resident's whole ID number."""
    return user.is_authenticated and (
        is_village_cadre(user, village) or user.can(Capability.AUDIT_VIEW, village)
    )


# Records --------------------------------------------------------------------------------------------------

MODELS = {"issuance": Issuance, "refusal": Refusal, "commitment": Commitment}


def record_get(user, kind: str, pk: int, *, with_document: bool = False):
    """One record in the user's scope (else 404); the stored DOCX is loaded only when it is to be sent."""
    model = MODELS[kind]
    records = model.objects.visible_to(user).select_related("village", "created_by", "list_item__work_list")
    if kind != "refusal" and not with_document:
        records = records.defer("document")
    return get_object_or_404(records, pk=pk)


def record_list(user, kind: str, filters: dict):
    """A kind's records in the user's scope, narrowed by the filters the statistics page links with."""
    records = MODELS[kind].objects.visible_to(user).select_related("village")
    if kind != "refusal":
        records = records.defer("document")
        filters = {k: v for k, v in filters.items() if k != "reason"}
    return records.filter(filters_q(filters)).order_by("-on", "-created_at")


def filters_q(filters: dict) -> Q:
    q = Q()
    if filters.get("region"):
        q &= subtree_q([_prefix(filters["region"])], "village__code")
    if filters.get("type"):
        q &= Q(type_code=filters["type"]) if filters["type"] != "-" else Q(type_code="")
    if filters.get("institution_kind"):
        q &= Q(institution_kind=filters["institution_kind"])
    if filters.get("institution"):
        q &= Q(institution_name=filters["institution"])
    if filters.get("reason"):  # refusals only
        q &= Q(reason=filters["reason"])
    if filters.get("date_from"):
        q &= Q(on__gte=filters["date_from"])
    if filters.get("date_to"):
        q &= Q(on__lte=filters["date_to"])
    if filters.get("month"):
        year, month = filters["month"]
        q &= Q(on__year=year, on__month=month)
    if filters.get("q"):
        text = filters["q"]
        q &= (
            Q(number__icontains=text)
            | Q(type_name__contains=text)
            | Q(institution_name__contains=text)
            | Q(resident_name=text)
        )
    return q


def _prefix(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return region.prefix if region else code


def type_get(pk: int) -> CertificateType:
    """Templates are public documents, as the lists they belong to are."""
    return get_object_or_404(CertificateType.objects.select_related("region"), pk=pk)


def home_region(user) -> Region:
    assignment = user.primary_assignment
    return assignment.region if assignment else user.home_region


def parse_filters(params) -> dict:
    """Record filters from query parameters; a malformed value is ignored rather than failing the page."""
    keys = ("region", "type", "institution_kind", "institution", "reason", "q")
    filters = {key: (params.get(key) or "").strip() for key in keys}
    for key in ("date_from", "date_to"):
        try:
            filters[key] = date.fromisoformat(params.get(key) or "")
        except ValueError:
            filters[key] = None
    month = (params.get("month") or "").strip()
    if len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit():
        filters["month"] = (int(month[:4]), int(month[5:]))
    return {key: value for key, value in filters.items() if value}


# Public ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """All a verification page may say: genuine or not, the type, the issuing village, the date, a masked name."""

    kind: str  # 证明 | 告知承诺书
    status: str
    status_label: str
    type_name: str
    village: str
    on: date
    holder: str


def verify(code: str) -> Verification | None:
    from .numbering import normalise_code

    code = normalise_code(code)
    if not code:
        return None
    for label, model in (("证明", Issuance), ("告知承诺书", Commitment)):
        matches = model.objects.filter(verification_code=code).select_related("village")
        record = matches.defer("document", "body_text", "values").first()
        if record is not None:
            return Verification(
                kind=label,
                status=record.status,
                status_label=record.get_status_display(),
                type_name=record.type_name,
                village=record.village.full_name(),
                on=record.on,
                holder=record.masked_name,
            )
    return None


def public_villages(county: Region):
    """The county's villages and communities with their townships, for the public page's picker."""
    return (
        Region.objects.filter(subtree_q([county.prefix]), level=Level.VILLAGE, is_active=True)
        .select_related("parent")
        .order_by("code")
    )


def home_section(user) -> dict:
    """What the home page offers of certificates: issuing (village cadres) and the records (those above)."""
    return {
        "issue": user.has_capability(Capability.CERTIFICATES_ISSUE),
        "view": user.has_capability(Capability.CERTIFICATES_VIEW),
    }
