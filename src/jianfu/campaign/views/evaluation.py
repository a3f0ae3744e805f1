"""Pages for the township's evaluation of villages and communities, and the public survey (no login)."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianfu.core import ratelimit
from jianfu.core.views_util import add_service_errors
from jianfu.orgs.roles import Capability

from .. import selectors_eval, services
from ..forms import CodesForm, SchemeForm, SurveyForm
from ..models import SchemeStatus, VillageScore
from ..models.evaluation import SURVEY_QUESTIONS


def _can_manage(user, scheme) -> bool:
    return user.can(Capability.EVALUATION_MANAGE, scheme.township)


@login_required
def schemes(request):
    rows = selectors_eval.schemes(request.user)
    can_create = request.user.has_capability(Capability.EVALUATION_MANAGE)
    form = SchemeForm(request.POST or None, user=request.user) if can_create else None
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied("只有乡镇（街道）可以组织村（社区）综合考评。")
        if form.is_valid():
            try:
                scheme = services.scheme_create(actor=request.user, **form.cleaned_data)
                messages.success(request, "已建立综合考评，请核对指标和权重。")
                return redirect("campaign:scheme_detail", scheme.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(request, "campaign/schemes.html", {"schemes": rows, "form": form})


@login_required
def scheme_detail(request, pk):
    scheme = selectors_eval.scheme(request.user, pk)
    indicators = list(scheme.indicators.all())
    results = selectors_eval.results(scheme)
    context = {
        "scheme": scheme,
        "indicators": indicators,
        "results": results,
        "chart": selectors_eval.ranking_chart(results, scheme),
        "can_manage": _can_manage(request.user, scheme),
        "codes_form": CodesForm(scheme=scheme),
        "missing": selectors_eval.missing_scores(scheme)[:10],
    }
    return render(request, "campaign/scheme_detail.html", context)


def _indicator_rows(post) -> list[dict]:
    rows = []
    for n in range(int(post.get("rows", "0") or 0) if str(post.get("rows", "0")).isdigit() else 0):
        name = post.get(f"name_{n}", "").strip()
        if not name and not post.get(f"weight_{n}"):
            continue
        rows.append(
            {
                "name": name,
                "description": post.get(f"description_{n}", ""),
                "weight": post.get(f"weight_{n}", ""),
                "is_satisfaction": post.get("satisfaction") == str(n),
            }
        )
    return rows


@login_required
def scheme_indicators(request, pk):
    scheme = selectors_eval.scheme(request.user, pk)
    if not _can_manage(request.user, scheme):
        raise PermissionDenied("只有组织考评的乡镇（街道）可以设置指标。")
    rows = [
        {
            "name": i.name,
            "description": i.description,
            "weight": i.weight,
            "is_satisfaction": i.is_satisfaction,
        }
        for i in scheme.indicators.all()
    ]
    error = ""
    if request.method == "POST":
        rows = _indicator_rows(request.POST)
        try:
            services.indicators_set(
                actor=request.user, scheme=scheme, version=request.POST.get("version"), rows=rows
            )
            messages.success(request, "已保存指标和权重。")
            return redirect("campaign:scheme_detail", scheme.pk)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    padded = rows + [{"name": "", "description": "", "weight": "", "is_satisfaction": False}] * 2
    return render(
        request, "campaign/scheme_indicators.html", {"scheme": scheme, "rows": padded, "error": error}
    )


@login_required
@require_POST
def scheme_status(request, pk):
    scheme = selectors_eval.scheme(request.user, pk)
    action = services.scheme_open if scheme.status == SchemeStatus.DRAFT else services.scheme_close
    try:
        action(actor=request.user, scheme=scheme, version=request.POST.get("version"))
        messages.success(request, "已开始测评。" if action is services.scheme_open else "已公布考评结果。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("campaign:scheme_detail", scheme.pk)


@login_required
def scheme_scores(request, pk):
    """The township scores every village on each indicator the survey does not give."""
    scheme = selectors_eval.scheme(request.user, pk)
    if not _can_manage(request.user, scheme):
        raise PermissionDenied("只有组织考评的乡镇（街道）可以评分。")
    indicators = [i for i in scheme.indicators.all() if not i.is_satisfaction]
    villages = list(selectors_eval.villages_of(scheme))
    errors = []
    if request.method == "POST":
        errors = _save_scores(request, scheme, villages, indicators)
        if not errors:
            messages.success(request, "已保存评分。")
            return redirect("campaign:scheme_detail", scheme.pk)
    results = {r["village"].pk: r for r in selectors_eval.results(scheme)}
    grid = [(v, [(i, *_cell(request, errors, results, v, i)) for i in indicators]) for v in villages]
    return render(
        request,
        "campaign/scheme_scores.html",
        {"scheme": scheme, "indicators": indicators, "grid": grid, "errors": errors},
    )


def _cell(request, errors, results, village, indicator):
    """(value, version) of a cell; after a refused save, what was typed so nothing has to be entered again.
    The version (0 = not yet scored) goes back with the form so a concurrent edit is not overwritten."""
    row = results[village.pk]["score_rows"].get(indicator.pk)
    version = row.version if row else 0
    if errors:
        return request.POST.get(f"s_{village.pk}_{indicator.pk}", ""), version
    return results[village.pk]["values"].get(indicator.pk), version


def _unchanged(row, value: str) -> bool:
    try:
        return row is not None and Decimal(value) == row.score
    except InvalidOperation:
        return False


def _save_scores(request, scheme, villages, indicators) -> list[str]:
    """The sheet's changed cells, each with the version it was shown at, saved all or none by the service."""
    existing = {(r.village_id, r.indicator_id): r for r in VillageScore.objects.filter(scheme=scheme)}
    cells = []
    for village in villages:
        for indicator in indicators:
            key, row = f"{village.pk}_{indicator.pk}", existing.get((village.pk, indicator.pk))
            value = request.POST.get(f"s_{key}", "").strip()
            if value == "" or _unchanged(row, value):
                continue
            seen = request.POST.get(f"v_{key}", "")
            version = int(seen) if seen.isdigit() and len(seen) < 10 else None
            cells.append(services.ScoreCell(village, indicator, value, version))
    try:
        services.scores_enter(actor=request.user, scheme=scheme, cells=cells)
    except ValidationError as exc:
        return exc.messages
    return []


@login_required
def scheme_codes(request, pk):
    """Issue codes for a village (POST) or print the unused ones (GET)."""
    scheme = selectors_eval.scheme(request.user, pk)
    if not _can_manage(request.user, scheme):
        raise PermissionDenied("只有组织考评的乡镇（街道）可以发放测评码。")
    if request.method == "POST":
        form = CodesForm(request.POST, scheme=scheme)
        if form.is_valid():
            try:
                made = services.codes_issue(actor=request.user, scheme=scheme, **form.cleaned_data)
                messages.success(request, f"已生成 {len(made)} 个测评码，请打印后入户发放。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        else:
            messages.error(request, "请选择村（社区）并填写 1 至 2000 户。")
        return redirect(f"{request.path}?village={request.POST.get('village', '')}")
    village_pk = request.GET.get("village", "")
    codes = scheme.codes.filter(used_at__isnull=True).select_related("village")
    if village_pk.isdigit():
        codes = codes.filter(village_id=int(village_pk))
    survey_url = request.build_absolute_uri("/public/campaign/survey/")
    return render(
        request,
        "campaign/scheme_codes.html",
        {"scheme": scheme, "codes": codes[:2000], "survey_url": survey_url},
    )


# Public survey ----------------------------------------------------------------------------------------------


def survey(request):
    """A household answers with its one-time code; no login. Staff who are signed in are refused: an official
    must not fill in the residents' survey for them."""
    if request.user.is_authenticated:
        raise PermissionDenied(services.STAFF_REFUSED)
    form = SurveyForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answer = services.survey_answer(
                code=data["code"],
                comment=data["comment"],
                answers={k: data[k] for k, _ in SURVEY_QUESTIONS},
                limit=ratelimit.limit(request, "survey_code", services.TOO_MANY),
            )
            return render(request, "campaign/survey_done.html", {"village": answer.village})
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ratelimit.Throttled as exc:
            form.add_error("code", exc.message)
            return render(request, "campaign/survey.html", {"form": form}, status=429)
    return render(request, "campaign/survey.html", {"form": form})
