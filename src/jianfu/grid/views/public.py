"""The resident's rating page: no login, a one-time code from the event's report."""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from jianfu.core import ratelimit
from jianfu.core.views_util import add_service_errors

from ..forms import RateForm
from ..services import events as workflow


def rate(request):
    form = RateForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    done = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = workflow.event_rate(
                code=data["code"],
                rating=data["rating"],
                comment=data["comment"],
                limit=ratelimit.wrong_codes(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ratelimit.Throttled as exc:
            form.add_error("code", exc.message)
            return render(request, "grid/public_rate.html", {"form": form, "done": None}, status=429)
    return render(request, "grid/public_rate.html", {"form": form, "done": done})
