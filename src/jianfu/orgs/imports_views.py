from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.audit.exports import XLSX
from jianfu.core.jobs import start_operation
from jianfu.core.views_util import add_service_errors

from . import selectors
from .forms import ImportForm
from .imports import KIND_LABELS, export_workbook
from .views import _require_manager

EXPORT_SOURCES = {
    "regions": lambda user: selectors.region_list(user, include_retired=True),
    "departments": lambda user: selectors.department_list(user, include_retired=True),
    "users": lambda user: selectors.user_list(user),
}


@login_required
def import_view(request):
    _require_manager(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        # Checked and written by the worker, all or nothing; the page shows its progress and outcome.
        try:
            work = start_operation(
                actor=request.user,
                kind="orgs.import",
                params={"kind": kind},
                upload=upload,
                label=f"导入{KIND_LABELS[kind]}：{upload.name}"[:200],
                back_url=reverse("orgs:import"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("jobs:work_detail", pk=work.pk)
    return render(request, "orgs/import.html", {"form": form, "errors": errors})


@login_required
@require_POST
def export_work(request, kind):
    """A large export is written by the worker; the file is offered to the person who asked, and only them."""
    if kind not in EXPORT_SOURCES:
        raise Http404
    work = start_operation(
        actor=request.user,
        kind="orgs.export",
        params={"kind": kind},
        label=f"导出{KIND_LABELS[kind]}",
        back_url=reverse("orgs:import"),
    )
    return redirect("jobs:work_detail", pk=work.pk)


@login_required
def export_view(request, kind):
    if kind not in EXPORT_SOURCES:
        raise Http404
    workbook = export_workbook(kind, EXPORT_SOURCES[kind](request.user))
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{timezone.localdate():%Y%m%d}.xlsx"'
    workbook.save(response)
    return response
