"""Public pages, no login: "can my village issue this?" and the verification of a certificate's code.

Nothing personal is shown here beyond what a verification needs: a masked name, never an ID number."""

from django.shortcuts import render
from django.utils import timezone

from jianfu.catalog.classify import classify, listed_answer, verdict_as_dict
from jianfu.catalog.selectors import counties_for_public
from jianfu.core import ratelimit
from jianfu.orgs.models import Region

from .. import selectors


def lookup(request):
    counties = counties_for_public()
    county = counties.filter(code=request.GET.get("county", "")).first() or counties.first()
    villages = selectors.public_villages(county) if county else Region.objects.none()
    village = villages.filter(code=request.GET.get("village", "")).first() if county else None
    region = village or county
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "counties": counties,
        "county": county,
        "villages": villages,
        "village": village,
        "query": query,
        "today": today,
        "standings": selectors.standings(region, today) if region else [],
    }
    context["n_allowed"] = sum(1 for s in context["standings"] if s.allowed)
    context["n_forbidden"] = len(context["standings"]) - context["n_allowed"]
    if region and query:
        result = classify(query, region, today, mode="certificate")
        # A resident gets an answer only for a listed certificate, never for the nearest unlisted one (nor for
        # one refused because no law names it: that is the general rule, not the nearest item).
        best = result.matches[0].item.code if listed_answer(result) else ""
        context.update(
            verdict=verdict_as_dict(result),
            answer=selectors.standing_for(region, best, today) if best else None,
        )
    return render(request, "certificates/public_lookup.html", context)


VERIFY_LIMITED = "核验请求过于频繁，请约 {minutes} 分钟后再试。"


def verify_limit(request) -> ratelimit.Limit:
    """Each verification counts against the client address: guessing codes gets nowhere fast."""
    return ratelimit.limit(request, "certificate_verify", VERIFY_LIMITED)


def verify(request):
    code = request.GET.get("code", "").strip()[:40]
    if code:
        verify_limit(request).hit()
    result = selectors.verify(code) if code else None
    return render(
        request, "certificates/public_verify.html", {"code": code, "result": result, "asked": bool(code)}
    )


def verify_code(request, code):
    """What the QR code on a certificate opens."""
    verify_limit(request).hit()
    return render(
        request,
        "certificates/public_verify.html",
        {"code": code, "result": selectors.verify(code), "asked": True},
    )
