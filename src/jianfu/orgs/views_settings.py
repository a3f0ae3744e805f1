"""Region settings pages (区划设置): one page per county (and each region above) listing every registered setting
with the value in force, where it comes from and its versions; a form to add a version. Thin: parse, call the
service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from jianfu.core.views_util import add_service_errors

from . import access, selectors, services
from .forms import RegionSettingForm
from .models import Level
from .region_settings import SETTINGS
from .roles import Capability


@login_required
def settings_index(request):
    """The user's own county's settings (or the list of regions they read settings of)."""
    regions = list(selectors.settings_regions(request.user))
    counties = [r for r in regions if r.level == Level.COUNTY]
    if len(counties) == 1:
        return redirect("orgs:settings_table", code=counties[0].code)
    return render(request, "orgs/settings_index.html", {"regions": regions})


@login_required
def settings_table(request, code):
    region = selectors.settings_region_get(request.user, code)
    context = {
        "region": region,
        "rows": selectors.settings_table(region),
        "today": timezone.localdate(),
        "can_edit": access.may(request.user, Capability.REGION_SETTINGS, region),
    }
    return render(request, "orgs/settings_table.html", context)


@login_required
def setting_edit(request, code, key):
    region = selectors.settings_region_get(request.user, code)
    if key not in SETTINGS:
        raise Http404("没有这个设置项。")
    access.require(request.user, Capability.REGION_SETTINGS, region, message="您没有调整本地区设置的权限。")
    row = next(r for r in selectors.settings_table(region) if r["spec"].key == key)
    form = RegionSettingForm(
        request.POST or None,
        spec=row["spec"],
        current=row["in_force"].value,
        initial={"effective_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.region_setting_set(
                actor=request.user,
                region=region,
                key=key,
                value=form.value(),
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存“{row['spec'].label}”的新设置，自生效日期起在本辖区施行。")
            return redirect("orgs:settings_table", code=region.code)
    return render(request, "orgs/setting_edit.html", {"region": region, "row": row, "form": form})
