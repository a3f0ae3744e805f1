"""Certificate types as they stand in the user's region today, and the county office's template editor."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from jianfu.core.views_util import add_service_errors
from jianfu.orgs.roles import Capability

from .. import selectors, services
from ..forms import TypeForm
from ..template_fields import FIELD_KINDS, PLACEHOLDER_RE, RESERVED


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _can_edit(user, certificate_type) -> bool:
    return user.has_capability(Capability.CATALOG_MANAGE) and user.can(
        Capability.CATALOG_MANAGE, certificate_type.region
    )


@login_required
def types(request):
    villages = selectors.issuing_villages(request.user)
    region = villages[0] if villages else selectors.home_region(request.user)
    on = _day(request.GET.get("on", ""))
    stood = selectors.standings(region, on)
    return render(
        request,
        "certificates/types.html",
        {
            "region": region,
            "on": on,
            "allowed": [s for s in stood if s.allowed],
            "forbidden": [s for s in stood if not s.allowed],
            "can_issue": bool(villages),
        },
    )


@login_required
def type_detail(request, pk):
    certificate_type = selectors.type_get(pk)
    region = selectors.home_region(request.user)
    standing = selectors.standing_for(region, certificate_type.code, timezone.localdate())
    templates = [
        (
            heading,
            [{**f, "kind_label": FIELD_KINDS.get(f.get("kind") or "text", "")} for f in fields],
            _readable(body, fields),
        )
        for heading, fields, body in (
            ("证明模板", certificate_type.fields, certificate_type.body),
            ("告知承诺书模板", certificate_type.commitment_fields, certificate_type.commitment_body),
        )
        if body.strip()
    ]
    return render(
        request,
        "certificates/type_detail.html",
        {
            "type": certificate_type,
            "standing": standing,
            "can_edit": _can_edit(request.user, certificate_type),
            "templates": templates,
        },
    )


def _readable(body: str, fields: list) -> str:
    """The template's text with each {placeholder} shown as 【its label】, as the page reads it; the placeholders
    themselves are on the edit page for the office that keeps the template."""
    labels = {**RESERVED, **{f.get("name"): f.get("label") or f.get("name") for f in fields}}
    return PLACEHOLDER_RE.sub(lambda m: f"【{labels.get(m.group(1), '待填写')}】", body)


@login_required
def type_edit(request, pk):
    certificate_type = selectors.type_get(pk)
    if not _can_edit(request.user, certificate_type):
        raise PermissionDenied("证明事项模板由准入审核委员会办公室（县民政局）维护。")
    form = TypeForm(request.POST or None, initial=TypeForm.initial_for(certificate_type))
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_type_save(
                actor=request.user,
                region=certificate_type.region,
                certificate_type=certificate_type,
                expected_revision=form.cleaned_data["revision"],
                **form.changes(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "模板已保存。")
            return redirect("certificates:type_detail", pk=pk)
    return render(
        request, "certificates/type_edit.html", {"form": form, "type": certificate_type, "reserved": RESERVED}
    )
