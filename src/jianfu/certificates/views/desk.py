"""The village desk: a resident asks for a certificate; the cadre checks it against the lists, then issues it
from its template, refuses it naming the alternative route, or records a written commitment instead."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jianfu.catalog.classify import classify, verdict_as_dict
from jianfu.core.views_util import add_service_errors

from .. import selectors, services
from ..forms import TEMPLATE_PREFIX, CheckForm, CommitmentForm, RefusalForm, ResidentForm
from ..models import Commitment, Issuance, Refusal
from ..selectors import issuing_villages, may_view_records, standing_for, standings


def issuing_village(user):
    villages = issuing_villages(user)
    if not villages:
        raise PermissionDenied("只有村（社区）干部可以出具证明、登记不予出具和告知承诺。")
    return villages[0]


def base_url(request) -> str:
    """Where the QR code points: this site's own address, as the request reached it (ALLOWED_HOSTS applies)."""
    return request.build_absolute_uri("/")


def add_errors(form, exc: ValidationError) -> None:
    """Service errors on the form: a template field's error on its t_<name> field."""
    if hasattr(exc, "error_dict"):
        exc = ValidationError(
            {
                (TEMPLATE_PREFIX + k if TEMPLATE_PREFIX + k in form.fields else k): v
                for k, v in exc.message_dict.items()
            }
        )
    add_service_errors(form, exc)


@login_required
def index(request):
    user, today = request.user, timezone.localdate()
    villages = issuing_villages(user)
    region = villages[0] if villages else selectors.home_region(user)
    context = {
        "village": villages[0] if villages else None,
        "region": region,
        "today": today,
        "check_form": CheckForm(),
        "can_view": may_view_records(user),
    }
    stood = standings(region, today)
    context["n_allowed"] = sum(1 for s in stood if s.allowed)
    context["n_forbidden"] = len(stood) - context["n_allowed"]
    if context["can_view"]:
        year_start = today.replace(month=1, day=1)
        context["counts"] = {
            kind: model.objects.visible_to(user).filter(on__gte=year_start).count()
            for kind, model in selectors.MODELS.items()
        }
        context["recent"] = _recent(user)
    return render(request, "certificates/index.html", context)


def _recent(user, n: int = 8) -> list:
    """The latest records of every kind in the user's scope, newest first."""
    rows = []
    for kind, model in (("issuance", Issuance), ("refusal", Refusal), ("commitment", Commitment)):
        records = model.objects.visible_to(user).select_related("village").order_by("-created_at")
        if kind != "refusal":
            records = records.defer("document")
        rows += [(kind, r) for r in records[:n]]
    return sorted(rows, key=lambda pair: pair[1].created_at, reverse=True)[:n]


@login_required
def check(request):
    """The classifier's certificate mode proposes the type; the cadre confirms it or picks another."""
    villages = issuing_villages(request.user)
    region = villages[0] if villages else selectors.home_region(request.user)
    today = timezone.localdate()
    form = CheckForm(request.GET or None)
    context = {
        "form": form,
        "region": region,
        "can_issue": bool(villages),
        "standings": standings(region, today),
    }
    if form.is_valid():
        text = form.cleaned_data["text"]
        verdict = verdict_as_dict(classify(text, region, today, mode="certificate"))
        proposed = standing_for(region, verdict["matches"][0]["code"], today) if verdict["matches"] else None
        context.update(text=text, verdict=verdict, proposed=proposed, query=urlencode({"text": text}))
    return render(request, "certificates/check.html", context)


@login_required
def issue(request, code):
    village = issuing_village(request.user)
    today = timezone.localdate()
    standing = standing_for(village, code, today)
    if standing is None or not standing.issuable:
        return render(
            request,
            "certificates/not_issuable.html",
            {"village": village, "code": code, "standing": standing, "text": request.GET.get("text", "")},
        )
    spec = standing.template.fields
    form = ResidentForm(
        request.POST or None, spec=spec, initial={"request_text": request.GET.get("text", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            issuance = services.issuance_create(
                actor=request.user,
                village=village,
                type_code=code,
                values=form.template_values(),
                base_url=base_url(request),
                **form.base_values(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已出具{issuance.type_name}，编号 {issuance.number}。")
            return redirect("certificates:issuance_detail", pk=issuance.pk)
    return render(
        request, "certificates/issue.html", {"form": form, "standing": standing, "village": village}
    )


def _choices(village, today, *, allowed_too: bool) -> list[tuple[str, str]]:
    stood = [s for s in standings(village, today) if allowed_too or not s.allowed]
    return [("", "清单外的证明")] + [
        (s.code, f"{s.code} {s.name}{'' if s.allowed else '（不应出具）'}") for s in stood
    ]


@login_required
def refuse(request):
    village = issuing_village(request.user)
    today = timezone.localdate()
    code = request.POST.get("type_code", request.GET.get("code", ""))
    form = RefusalForm(request.POST or None, initial={"request_text": request.GET.get("text", "")})
    choices = _choices(village, today, allowed_too=True)
    standing = standing_for(village, code, today) if code else None
    if request.method == "POST" and form.is_valid():
        try:
            refusal = services.refusal_create(
                actor=request.user, village=village, type_code=code, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已登记不予出具，编号 {refusal.number}。请打印告知书交给群众。")
            return redirect("certificates:refusal_detail", pk=refusal.pk)
    return render(
        request,
        "certificates/refuse.html",
        {"form": form, "village": village, "choices": choices, "code": code, "standing": standing},
    )


@login_required
def commit(request):
    village = issuing_village(request.user)
    today = timezone.localdate()
    code = request.GET.get("code", "")
    standing = standing_for(village, code, today) if code else None
    fields, _ = selectors.commitment_template(standing)
    form = CommitmentForm(
        request.POST or None, spec=fields, initial={"request_text": request.GET.get("text", "")}
    )
    if standing is not None:
        del form.fields["matter"]  # the list item names the matter
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(
                actor=request.user,
                village=village,
                type_code=code,
                matter=form.cleaned_data.get("matter", ""),
                values=form.template_values(),
                base_url=base_url(request),
                **form.base_values(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已登记告知承诺，编号 {commitment.number}。请打印承诺书由群众签名。")
            return redirect("certificates:commitment_detail", pk=commitment.pk)
    action = reverse("certificates:commit") + ("?" + urlencode({"code": code}) if code else "")
    return render(
        request,
        "certificates/commit.html",
        {
            "form": form,
            "village": village,
            "code": code,
            "standing": standing,
            "choices": _choices(village, today, allowed_too=True),
            "action": action,
        },
    )
