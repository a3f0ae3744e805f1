"""The administrator's jobs page, each person's background work with its progress bar, and /healthz."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jianfu.core.views_util import paginate

from . import health, scheduler, selectors
from .queue import queue_depth


@login_required
def index(request):
    selectors.require_jobs_viewer(request.user)
    from jianfu.notifications.selectors import failed_deliveries

    context = {
        "rows": selectors.job_rows(),
        "failures": selectors.recent_failures(),
        "workers": selectors.workers()[:10],
        "depth": queue_depth(),
        "deliveries": failed_deliveries(request.user)[:20],
    }
    return render(request, "jobs/index.html", context)


@login_required
@require_POST
def run_now(request, name):
    selectors.require_jobs_viewer(request.user)
    try:
        run = scheduler.run_now(actor=request.user, job_name=name)
    except KeyError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已排队：{run.period}。")
    return redirect("jobs:index")


@login_required
def work_list(request):
    return render(
        request, "jobs/work_list.html", {"page": paginate(request, selectors.my_work(request.user))}
    )


@login_required
def work_detail(request, pk):
    work = selectors.work_for(request.user, pk)
    return render(request, "jobs/work_detail.html", {"work": work})


@login_required
def work_progress(request, pk):
    """The fragment htmx polls every second until the work is finished (then it stops polling)."""
    work = selectors.work_for(request.user, pk)
    return render(request, "jobs/_work_progress.html", {"work": work})


@login_required
def work_file(request, pk):
    work = selectors.work_for(request.user, pk)
    if not work.result_path:
        raise Http404("文件已过期或不存在。")
    try:
        handle = open(work.result_path, "rb")  # noqa: SIM115  FileResponse closes it
    except FileNotFoundError:
        raise Http404("文件已过期或不存在。") from None
    return FileResponse(handle, as_attachment=True, filename=work.result_name)


@never_cache
def healthz(request):
    healthy, body = health.report()
    return JsonResponse(body, status=200 if healthy else 503)
