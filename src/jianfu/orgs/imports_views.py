from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jianfu.audit.exports import XLSX

from . import selectors
from .forms import ImportForm
from .imports import ImportRefused, export_workbook, run_import
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
        upload = form.cleaned_data["file"]
        try:
            result = run_import(
                form.cleaned_data["kind"], actor=request.user, fileobj=upload, filename=upload.name
            )
        except ImportRefused as refusal:
            errors = refusal.errors
        else:
            messages.success(
                request,
                f"导入成功：新增 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条。",
            )
            return redirect("orgs:import")
    return render(request, "orgs/import.html", {"form": form, "errors": errors})


@login_required
def export_view(request, kind):
    if kind not in EXPORT_SOURCES:
        raise Http404
    workbook = export_workbook(kind, EXPORT_SOURCES[kind](request.user))
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{timezone.localdate():%Y%m%d}.xlsx"'
    workbook.save(response)
    return response
