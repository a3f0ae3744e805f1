"""Every write about certificates: issuing, refusing, recording a written commitment, revoking, viewing a whole
ID number (audited), and keeping the templates. Views, the API and the CLI all call these."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.catalog.services import require_catalog
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

from . import documents, numbering
from .idnumbers import mask_id, mask_ids_in_text, validate_id_number
from .models import (
    DOCUMENT_FLOW,
    CertificateType,
    Commitment,
    InstitutionKind,
    Issuance,
    Refusal,
    RefusalReason,
    ResidentDocument,
    Series,
)
from .reference import generic_texts
from .selectors import Standing, commitment_template, may_see_full_id, standing_for
from .template_fields import chinese_date, clean_values, render_body, spec_problems

# Audit snapshots never carry the whole ID number or the DOCX; the inspector reads the record itself.
SNAPSHOT_FIELDS = (
    "id",
    "village",
    "type_code",
    "type_name",
    "institution_kind",
    "institution_name",
    "number",
    "on",
    "status",
    "reason",
    "revoke_reason",
)


def require_issuer(actor, village: Region) -> None:
    """Only a cadre of the village itself issues, refuses or records a commitment there."""
    access.require(actor, Capability.CERTIFICATES_ISSUE)
    if village.level != Level.VILLAGE or not village.is_active:
        raise ValidationError({"village": f"“{village.name}”不是有效的村（社区），只有村（社区）出具证明。"})
    access.require_at(
        actor,
        Capability.CERTIFICATES_ISSUE,
        village,
        message=f"您不是“{village.name}”的干部，不能以其名义出具证明。",
    )


def _free(text) -> str:
    """Free text as stored: trimmed, every ID-looking number in it masked. Only ``resident_id_number`` keeps a
    whole one, so no page, export, API answer or audit snapshot can show one typed into a note or a purpose."""
    return mask_ids_in_text((text or "").strip())


def _masked(value):
    """``_free`` through the strings of a JSON value (template values, field specs)."""
    if isinstance(value, str):
        return mask_ids_in_text(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


def verify_url(base_url: str, code: str) -> str:
    """The address a certificate's QR code opens; SITE_URL, when set, wins over the address a request used."""
    path = reverse("public_certificates:verify_code", kwargs={"code": code})
    site = getattr(settings, "SITE_URL", "") or base_url or "http://127.0.0.1:8000"
    return site.rstrip("/") + path


def _moment(actor, at: datetime | None) -> datetime:
    """Now; only the system (actor None: demo data, loading paper ledgers) may date a record in the past."""
    if at is not None and actor is None:
        return at
    return timezone.now()


def _collect(errors: dict, check, *args, **kwargs):
    """Run one check; gather its field errors so the form shows them all at once."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        return None


def _check_institution(kind: str, name: str) -> None:
    errors = {}
    if kind not in InstitutionKind.values:
        errors["institution_kind"] = "请选择要求出具证明的单位类型。"
    if not (name or "").strip():
        errors["institution_name"] = "请填写要求出具证明的单位（如：某某银行清河支行）。"
    if errors:
        raise ValidationError(errors)


def _check_name(name: str) -> None:
    if not (name or "").strip():
        raise ValidationError({"resident_name": "请填写居民姓名。"})


def _issuable(village: Region, code: str, on) -> Standing:
    standing = standing_for(village, code, on) if code else None
    if standing is None:
        raise ValidationError(
            {
                "type_code": f"“{code or '未选择'}”不在{village.name}{on:%Y-%m-%d}有效的证明事项清单中，"
                "不能出具；请登记不予出具并告知替代途径。"
            }
        )
    if not standing.allowed:
        raise ValidationError(
            {
                "type_code": f"“{standing.name}”（{code}）列入不应出具证明事项清单，{village.name}"
                "不能出具；请登记不予出具并告知替代途径。"
            }
        )
    if not standing.issuable:
        raise ValidationError(
            {"type_code": f"“{standing.name}”（{code}）尚无出具模板，请联系县民政局配置模板后再出具。"}
        )
    return standing


def _reserved(village: Region, on, *, name, id_number, institution_name, purpose, matter="") -> dict:
    return {
        "resident_name": name,
        "resident_id": id_number,
        "village": village.name,
        "village_full": village.full_name(),
        "issue_date": chinese_date(on),
        "institution_name": institution_name,
        "purpose": purpose or "相关事项",
        "matter": matter,
    }


@dataclass(frozen=True)
class Body:
    """What a document's body is rendered from once it has its number: template, values and closing text."""

    template: str
    values: dict
    closing: str


def _finish(
    record: ResidentDocument, body: Body, *, actor, action: str, base_url: str, commitment: bool
) -> None:
    """Number, render and save a document in the caller's transaction; any failure leaves no record.

    The body is rendered after numbering so that a template's ``{number}`` prints the document's own number."""
    series = Series.COMMITMENT if commitment else Series.ISSUANCE
    record.serial = numbering.next_serial(record.village, record.year, series)
    record.number = numbering.format_number(record.village, record.year, series, record.serial)
    text = render_body(body.template, {**body.values, "number": record.number})
    record.body_text = text + "\n" + body.closing
    record.verification_code = numbering.new_verification_code()
    record.full_clean(exclude=["document"])
    sheet = documents.sheet_for(record, verify_url(base_url, record.verification_code), commitment=commitment)
    record.document = documents.build_docx(sheet)
    record.save()
    audit_record(actor=actor, action=action, obj=record, after=_snapshot(record))


def _snapshot(record) -> dict:
    data = snapshot(record, fields=SNAPSHOT_FIELDS)
    if isinstance(record, ResidentDocument):
        data["resident_id_number"] = mask_id(record.resident_id_number)
        data["body_text"] = mask_ids_in_text(record.body_text)
    return data


@transaction.atomic
def issuance_create(
    *,
    actor,
    village: Region,
    type_code: str,
    resident_name: str,
    resident_id_number: str,
    values: dict,
    institution_kind: str,
    institution_name: str,
    purpose: str = "",
    request_text: str = "",
    base_url: str = "",
    at: datetime | None = None,
) -> Issuance:
    """Issue a certificate of a type allowed in the village today, from its template, numbered and rendered."""
    require_issuer(actor, village)
    moment = _moment(actor, at)
    on = timezone.localdate(moment)
    standing = _issuable(village, type_code, on)
    name, institution, purpose = _free(resident_name), _free(institution_name), _free(purpose)
    errors: dict = {}
    _collect(errors, _check_name, name)
    id_number = _collect(errors, validate_id_number, resident_id_number)
    _collect(errors, _check_institution, institution_kind, institution)
    cleaned = _collect(errors, clean_values, standing.template.fields, values or {}, on)
    if errors:
        raise ValidationError(errors)
    cleaned = _masked(cleaned)
    issuance = Issuance(
        village=village,
        certificate_type=standing.template,
        list_item=standing.item,
        type_code=standing.code,
        type_name=standing.name,
        title=standing.template.title or standing.name,
        request_text=_free(request_text)[:300],
        institution_kind=institution_kind,
        institution_name=institution,
        resident_name=name,
        resident_id_number=id_number,
        purpose=purpose,
        values=cleaned,
        year=on.year,
        on=on,
        created_at=moment,
        created_by=actor,
    )
    reserved = _reserved(
        village, on, name=name, id_number=id_number, institution_name=institution, purpose=purpose
    )
    body = Body(standing.template.body, {**cleaned, **reserved}, generic_texts()["certificate_closing"])
    _finish(issuance, body, actor=actor, action="certificate.issue", base_url=base_url, commitment=False)
    return issuance


def _refusal_route(village: Region, code: str, on, note: str) -> tuple[str, Standing | None, str, str]:
    """Why the village refuses, and the route and department the resident is told about."""
    generic = generic_texts()
    standing = standing_for(village, code, on) if code else None
    if standing is None:
        return RefusalReason.UNLISTED, None, generic["unlisted_alternative"], generic["unlisted_department"]
    if not standing.allowed:
        return (
            RefusalReason.FORBIDDEN,
            standing,
            standing.item.alternative,
            standing.item.responsible_department,
        )
    if not note.strip():
        raise ValidationError({"note": f"“{standing.name}”在可出具清单内；不予出具须写明无法核实的原因。"})
    department = standing.item.responsible_department or generic["unlisted_department"]
    return RefusalReason.CANNOT_VERIFY, standing, generic["cannot_verify_alternative"], department


def _refusal_finding(actor, refusal: Refusal) -> None:
    """A demand for a certificate the village may not issue is a signal against the demanding institution:
    monitoring's inspector judges it (in this transaction). A refusal for want of verification is not."""
    from jianfu.core.checks import Check
    from jianfu.monitoring import checks as rules
    from jianfu.monitoring.intake import finding_intake

    if refusal.reason == RefusalReason.CANNOT_VERIFY:
        return
    rule = (
        rules.RULE_CERT_FORBIDDEN if refusal.reason == RefusalReason.FORBIDDEN else rules.RULE_CERT_UNLISTED
    )
    finding_intake(
        source="refusal",
        record_pk=refusal.pk,
        village=refusal.village,
        occurred_on=refusal.on,
        subject=f"要求村（社区）出具“{refusal.type_name}”",
        check=Check.broken(
            rule, f"{refusal.get_institution_kind_display()}“{refusal.institution_name}”要求出具。"
        ),
        department_text=refusal.institution_name,
        evidence_url=reverse("certificates:refusal_detail", kwargs={"pk": refusal.pk}),
        evidence_label=f"不予出具告知 {refusal.number}",
        actor=actor,
    )


@transaction.atomic
def refusal_create(
    *,
    actor,
    village: Region,
    institution_kind: str,
    institution_name: str,
    type_code: str = "",
    request_text: str = "",
    resident_name: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Refusal:
    """Record a refusal and the alternative route; the demanding institution is kept for monitoring."""
    require_issuer(actor, village)
    moment = _moment(actor, at)
    on = timezone.localdate(moment)
    request_text, note, institution = _free(request_text), _free(note), _free(institution_name)
    errors: dict = {}
    route = _collect(errors, _refusal_route, village, type_code, on, note)
    _collect(errors, _check_institution, institution_kind, institution)
    if not type_code and not request_text:
        errors.setdefault("request_text", []).append("请填写群众要求开具的证明。")
    if errors:
        raise ValidationError(errors)
    reason, standing, alternative, department = route
    serial = numbering.next_serial(village, on.year, Series.REFUSAL)
    refusal = Refusal(
        village=village,
        certificate_type=standing.template if standing else None,
        list_item=standing.item if standing else None,
        type_code=standing.code if standing else "",
        type_name=standing.name if standing else request_text[:200],
        request_text=request_text[:300],
        institution_kind=institution_kind,
        institution_name=institution,
        reason=reason,
        alternative=alternative,
        responsible_department=department[:200],
        resident_name=_free(resident_name),
        note=note,
        year=on.year,
        serial=serial,
        on=on,
        created_at=moment,
        created_by=actor,
        number=numbering.format_number(village, on.year, Series.REFUSAL, serial),
    )
    refusal.full_clean()
    refusal.save()
    _refusal_finding(actor, refusal)
    audit_record(actor=actor, action="certificate.refuse", obj=refusal, after=_snapshot(refusal))
    return refusal


def _commitment_errors(village: Region, type_code: str, standing, matter: str, purpose: str) -> dict:
    errors = {}
    if type_code and standing is None:
        errors["type_code"] = [
            f"“{type_code}”不在{village.name}有效的证明事项清单中；清单外的事项请直接填写承诺事项。"
        ]
    elif not matter:
        errors["matter"] = ["请填写承诺事项（代替哪一项证明）。"]
    if not purpose:
        errors["purpose"] = ["请填写用途（办理什么事项）。"]
    return errors


@transaction.atomic
def commitment_create(
    *,
    actor,
    village: Region,
    resident_name: str,
    resident_id_number: str,
    values: dict,
    institution_kind: str,
    institution_name: str,
    purpose: str,
    type_code: str = "",
    matter: str = "",
    request_text: str = "",
    base_url: str = "",
    at: datetime | None = None,
) -> Commitment:
    """Record a resident's written commitment in place of a certificate, numbered and rendered like one."""
    require_issuer(actor, village)
    moment = _moment(actor, at)
    on = timezone.localdate(moment)
    standing = standing_for(village, type_code, on) if type_code else None
    matter = standing.name if standing else _free(matter)
    name, institution, purpose = _free(resident_name), _free(institution_name), _free(purpose)
    fields, body_template = commitment_template(standing)
    errors = _commitment_errors(village, type_code, standing, matter, purpose)
    _collect(errors, _check_name, name)
    id_number = _collect(errors, validate_id_number, resident_id_number)
    _collect(errors, _check_institution, institution_kind, institution)
    cleaned = _collect(errors, clean_values, fields, values or {}, on)
    if errors:
        raise ValidationError(errors)
    cleaned = _masked(cleaned)
    commitment = Commitment(
        village=village,
        certificate_type=standing.template if standing else None,
        list_item=standing.item if standing else None,
        type_code=standing.code if standing else "",
        type_name=matter[:200],
        matter=matter[:200],
        title=f"告知承诺书（{matter[:60]}）",
        request_text=_free(request_text)[:300],
        institution_kind=institution_kind,
        institution_name=institution,
        resident_name=name,
        resident_id_number=id_number,
        purpose=purpose,
        values=cleaned,
        year=on.year,
        on=on,
        created_at=moment,
        created_by=actor,
    )
    reserved = _reserved(
        village,
        on,
        name=name,
        id_number=id_number,
        institution_name=institution,
        purpose=purpose,
        matter=matter,
    )
    body = Body(body_template, {**cleaned, **reserved}, generic_texts()["commitment_closing"])
    _finish(commitment, body, actor=actor, action="certificate.commit", base_url=base_url, commitment=True)
    return commitment


@transaction.atomic
def document_revoke(*, actor, document: ResidentDocument, reason: str) -> ResidentDocument:
    """Void an issued certificate or commitment (e.g. a wrong fact); it keeps its number, verification says so."""
    model = type(document)
    document = model.objects.select_for_update(of=("self",)).select_related("village").get(pk=document.pk)
    require_issuer(actor, document.village)
    if not DOCUMENT_FLOW.may(document, "revoke"):
        raise ValidationError(f"{document.number} 已作废，不能重复作废。")
    reason = _free(reason)
    if not reason:
        raise ValidationError({"reason": "请填写作废原因。"})
    before = _snapshot(document)
    DOCUMENT_FLOW.move(document, "revoke")
    document.revoked_at = timezone.now()
    document.revoke_reason = reason[:200]
    document.save(update_fields=["status", "revoked_at", "revoke_reason"])
    audit_record(
        actor=actor,
        action="certificate.revoke",
        obj=document,
        before=before,
        after=_snapshot(document),
        message=document.revoke_reason,
    )
    return document


def full_id_view(*, actor, document: ResidentDocument, how: str) -> str:
    """The whole ID number, for the issuing village's cadres and the inspector only. Every view is audited, and
    so is every refused attempt (success=False); no transaction wraps this, so raising keeps the refusal's record."""
    if actor is None or not may_see_full_id(actor, document.village):
        if actor is not None:
            audit_record(
                actor=actor,
                action="certificate.view_id",
                obj=document,
                success=False,
                message=f"无权查看完整身份证号码，已拒绝：{how}",
            )
        raise PermissionDenied("只有出具证明的村（社区）干部和纪检监察（审计员）可以查看完整身份证号码。")
    audit_record(
        actor=actor, action="certificate.view_id", obj=document, message=f"查看完整身份证号码：{how}"
    )
    return document.resident_id_number


TYPE_FIELDS = {
    "name",
    "title",
    "requesters",
    "conditions",
    "materials",
    "fields",
    "body",
    "commitment_fields",
    "commitment_body",
    "is_demo",
    "source",
}


@transaction.atomic
def certificate_type_save(
    *,
    actor,
    region: Region,
    code: str = "",
    certificate_type: CertificateType | None = None,
    expected_revision: int | None = None,
    **changes,
) -> CertificateType:
    """Create or change a type's template; the county office (catalog.manage) keeps them with the lists."""
    require_catalog(actor, certificate_type.region if certificate_type else region)
    unknown = set(changes) - TYPE_FIELDS
    if unknown:
        raise ValidationError({name: "该字段不能在此修改。" for name in unknown})
    if certificate_type is None:
        certificate_type, before = CertificateType(region=region, code=(code or "").strip()), None
    else:
        certificate_type = CertificateType.objects.select_for_update().get(pk=certificate_type.pk)
        if expected_revision is not None and certificate_type.revision != expected_revision:
            raise StaleWriteError(f"证明事项模板“{certificate_type.name}”")
        before = snapshot(certificate_type)
        certificate_type.revision += 1
    for name, value in changes.items():
        setattr(certificate_type, name, _masked(value))  # an ID number has no place in a public template
    _check_templates(certificate_type)
    certificate_type.full_clean()
    certificate_type.save()
    audit_record(
        actor=actor,
        action="certificate_type.update" if before else "certificate_type.create",
        obj=certificate_type,
        before=before,
        after=snapshot(certificate_type),
    )
    return certificate_type


def _check_templates(certificate_type: CertificateType) -> None:
    errors = {}
    if certificate_type.fields or certificate_type.body.strip():
        problems = spec_problems(certificate_type.fields, certificate_type.body)
        if problems:
            errors["fields"] = problems
    if certificate_type.commitment_fields or certificate_type.commitment_body.strip():
        problems = spec_problems(certificate_type.commitment_fields, certificate_type.commitment_body)
        if problems:
            errors["commitment_fields"] = problems
    if not certificate_type.title.strip():
        certificate_type.title = certificate_type.name
    if errors:
        raise ValidationError(errors)
