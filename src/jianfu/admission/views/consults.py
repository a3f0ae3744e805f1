"""The township's own page for admission consultations: answer 无异议 or 有异议 for itself (第七条)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianfu.core.views_util import paginate
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from .. import selectors, services
from ..models import ConsultStatus


@login_required
def consults(request):
    access.require(request.user, Capability.ADMISSION_OPINE)
    rows = selectors.consults_for(request.user)
    pending = request.GET.get("pending") == "1"
    if pending:
        rows = rows.filter(status=ConsultStatus.PENDING)
    return render(request, "admission/consults.html", {"page": paginate(request, rows), "pending": pending})


@login_required
@require_POST
def answer(request, pk):
    consult = selectors.consult_detail(request.user, pk)
    version = request.POST.get("version")
    try:
        services.township_stance_give(
            actor=request.user,
            consult=consult,
            stance=request.POST.get("stance", ""),
            note=request.POST.get("note", ""),
            expected_version=int(version) if version and version.isdigit() else None,
        )
    except ValidationError as exc:  # a stale copy too (StaleWriteError)
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已答复“{consult.application.title}”的意见征询。")
    return redirect("admission:consults")
