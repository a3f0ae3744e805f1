"""Periodic returns: the monitor files the period's return from a phone; who views monitoring sees which points
reported on time, late, or not at all (silent, never read as burden-free)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from jianfu.core.views_util import add_service_errors, paginate

from .. import selectors, services
from ..forms import ReturnForm


@login_required
def returns(request):
    user = request.user
    may_record, may_view = selectors.may_record(user), selectors.may_view(user)
    if not (may_record or may_view):
        raise PermissionDenied("您没有查看监测点报送情况的权限。")
    today = timezone.localdate()
    served = selectors.served_points(user) if may_record else []
    periods = []
    if served:
        current = services.returns.current_period(served[0], today)
        periods = [current.previous(), current]
    form = ReturnForm(request.POST or None, points=served, periods=periods) if served else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您不服务任何监测点，不能报送负担情况。")
        if form.is_valid():
            point = next(p for p in served if p.pk == form.cleaned_data["point"])
            try:
                filed = services.point_return_file(
                    actor=user,
                    point=point,
                    day=form.cleaned_data["day"],
                    nothing_new=form.cleaned_data["nothing_new"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已报送{filed.point.village.name}{filed.period.label}的负担情况。")
                return redirect("monitoring:returns")
    rows = services.coverage(selectors.points(user).filter(is_active=True), today) if may_view else []
    context = {
        "form": form,
        "served": services.coverage(served, today) if served else [],
        "coverage": rows,
        "on_time": sum(r.on_time for r in rows),
        "silent": sum(r.silent for r in rows),
        "page": paginate(request, selectors.returns(user)),
    }
    return render(request, "monitoring/returns.html", context)
