"""Pages for applications: the queue, the application form, and one page per application where each person
sees the step that is theirs to take. Thin: parse, call the service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jianfu.core.uploads import file_response
from jianfu.core.views_util import add_service_errors, paginate
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .. import levels, selectors, services
from ..forms import (
    ApplicationForm,
    CoordinateForm,
    DecisionForm,
    InitialReviewForm,
    MeetingForm,
    OpinionForm,
    ReasonForm,
    VersionForm,
)
from ..models import APPLICATION_FLOW, Kind, Origin, Status
from ..services import review


@login_required
def index(request):
    user = request.user
    status, kind, q = (
        request.GET.get("status", ""),
        request.GET.get("kind", ""),
        request.GET.get("q", "").strip(),
    )
    overdue = request.GET.get("overdue") == "1"
    mine = request.GET.get("mine") == "1"
    rows = selectors.applications(user, status=status, kind=kind, q=q, overdue=overdue, mine=mine)
    context = {
        "page": paginate(request, rows),
        "status": status,
        "kind": kind,
        "q": q,
        "overdue": overdue,
        "mine": mine,
        "counts": selectors.queue_counts(user),
        "statuses": Status.choices,
        "kinds": Kind.choices,
        "can_apply": user.has_capability(Capability.ADMISSION_APPLY),
        "can_review": bool(selectors.review_counties(user)),
        "reminders": selectors.reminders_for(user)[:20],
    }
    return render(request, "admission/index.html", context)


def _own_department(user) -> Department:
    department = user.department
    if department is None or not access.acts_for(user, Capability.ADMISSION_APPLY, department):
        raise PermissionDenied("只有职能部门或议事协调机构可以提出准入申请。")
    return department


def _save_form(request, form, save):
    """Validate, call the service, and put its errors on the form; the saved object or None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@login_required
def create(request):
    department = _own_department(request.user)
    county = services.county_of(department)
    form = ApplicationForm(request.POST or None, county=county)

    def save(f):
        fields, scope = f.service_fields()
        return services.application_create(
            actor=request.user, applicant=department, scope_regions=scope, **fields
        )

    application = _save_form(request, form, save)
    if application:
        return _saved(request, application, "申请已保存为草稿。检查无误后请提交。")
    return render(
        request,
        "admission/form.html",
        {"form": form, "title": "新建准入申请", "department": department, "can_submit": True},
    )


def _saved(request, application, saved_message: str):
    """After a save: "保存并提交" submits at once (no separate draft step); a refused submission leaves the saved
    draft and says what is missing."""
    if request.POST.get("and_submit") != "1":
        messages.success(request, saved_message)
        return redirect("admission:detail", pk=application.pk)
    try:
        application = services.application_submit(
            actor=request.user, application=application, expected_version=application.version
        )
    except ValidationError as exc:
        messages.error(request, "已保存为草稿，但还不能提交：" + "；".join(exc.messages))
    else:
        messages.success(request, _submitted_message(application))
    return redirect("admission:detail", pk=application.pk)


@login_required
def retroactive(request):
    """Art. 9: the office registers work pushed down without an application, on behalf of the department."""
    counties = selectors.review_counties(request.user)
    if not counties:
        raise PermissionDenied("只有审核委员会办公室可以登记补办确认。")
    departments = Department.objects.filter(region__in=counties, is_active=True).order_by("name")
    chosen = request.POST.get("applicant") or request.GET.get("applicant")
    department = get_object_or_404(departments, pk=chosen) if chosen else None
    form = ApplicationForm(request.POST if request.method == "POST" else None, county=counties[0])

    def save(f):
        fields, scope = f.service_fields()
        return services.application_create(
            actor=request.user, applicant=department, origin=Origin.RETROACTIVE, scope_regions=scope, **fields
        )

    if request.method == "POST" and department is None:
        form.is_valid()
        form.add_error(None, "请选择未经申请即下派该工作的部门（申请主体）。")
    application = _save_form(request, form, save) if department else None
    if application:
        messages.success(request, "已登记补办确认，请补全实施方案后提交审核。")
        return redirect("admission:detail", pk=application.pk)
    return render(
        request,
        "admission/form.html",
        {"form": form, "title": "登记补办确认（第九条）", "departments": departments, "chosen": department},
    )


@login_required
def edit(request, pk):
    application = selectors.application_detail(request.user, pk)
    services.require_applicant(request.user, application)
    if not APPLICATION_FLOW.may(application, "edit"):
        messages.error(request, "只有草稿或退回修改的申请可以修改。")
        return redirect("admission:detail", pk=pk)
    form = ApplicationForm(
        request.POST or None,
        instance=application,
        county=application.county,
        initial={"version": application.version},
    )

    def save(f):
        fields, scope = f.service_fields()
        # The form wrote into the instance; the service reloads and applies the same values under a lock.
        return services.application_update(
            actor=request.user,
            application=application,
            scope_regions=scope,
            expected_version=f.cleaned_data.get("version"),
            **fields,
        )

    saved = _save_form(request, form, save)
    if saved:
        return _saved(request, saved, "申请已保存。")
    return render(
        request,
        "admission/form.html",
        {"form": form, "title": "修改申请", "application": application, "can_submit": True},
    )


def _may(user, application) -> dict:
    """Which steps this person may take on this application now: the services' rules, asked, not copied."""
    county = application.county

    def step(code: str) -> bool:
        return APPLICATION_FLOW.may(application, code)

    own = access.works_in(user, application.applicant)
    applicant = services.is_applicant(user, application)
    office = access.acts_at(user, Capability.ADMISSION_REVIEW, county) and not own
    chair = access.acts_at(user, Capability.ADMISSION_DECIDE, county) and not own
    joint = bool(_joint_counties_of(user, application))
    return {
        "edit": applicant and step("edit"),
        "submit": applicant and step("submit") and application.kind != Kind.EXIT,
        "withdraw": applicant and step("withdraw"),
        "review": office and step("review"),
        "coordinate": office and step("coordinate"),
        "meeting": (office or chair) and step("meet"),
        "opinion": not own
        and step("meet")
        and application.meetings.exists()
        and (office or joint or access.may(user, Capability.ADMISSION_OPINE)),
        "conclude": office and step("conclude"),
        "decide": chair and step("approve"),
        "own": own,
        "office": office,  # sees the classifier's scores and nearest items, and corrects its verdict
    }


def _joint_counties_of(user, application) -> list:
    """The counties a prefecture's item reaches whose own committee office this person is (each gives its
    county's opinion at the joint meeting)."""
    return [
        c for c in levels.joint_counties(application) if access.acts_at(user, Capability.ADMISSION_REVIEW, c)
    ]


def _opinion_units(user, application) -> list[tuple[str, str]]:
    """The units this person may give (or minute) an opinion for: the office minutes the body's member units
    and the regions below it (the townships of a county, the counties of a prefecture, the villages of a
    township); anyone else their own unit."""
    body = application.county
    if access.acts_at(user, Capability.ADMISSION_REVIEW, body):
        departments = Department.objects.filter(region=body, is_member_unit=True, is_active=True)
        if body.level == Level.PREFECTURE:
            regions = Region.objects.filter(pk__in=[c.pk for c in levels.joint_counties(application)])
        else:
            regions = Region.objects.filter(
                subtree_q([body.prefix]), level=levels.lowest_scope_level(body), is_active=True
            )
    else:
        departments = Department.objects.filter(pk__in=user.department_ids())
        regions = Region.objects.filter(
            pk__in=[a.region_id for a in access.assignments(user) if a.region_id and a.region.level == 4]
            + [c.pk for c in _joint_counties_of(user, application)]
        )
    departments = departments.exclude(pk=application.applicant_id).order_by("name")
    return [(f"d{d.pk}", d.name) for d in departments] + [
        (f"r{r.pk}", r.name) for r in regions.order_by("code")
    ]


@login_required
def detail(request, pk):
    application = selectors.application_detail(request.user, pk)
    may = _may(request.user, application)
    version = {"version": application.version}
    # A list, not a queryset: the page shows the whole timeline and the note of the last step.
    transitions = list(application.transitions.all())
    context = {
        "application": application,
        "may": may,
        "opinions": application.opinions.select_related("author", "meeting"),
        "meetings": application.meetings.all(),
        "transitions": transitions,
        "last_transition": transitions[-1] if transitions else None,
        "attachments": application.attachments.all(),
        "consults": application.consults.select_related("township", "answered_by"),
        "overlaps": application.overlaps.all(),
        "notice": getattr(application, "notice", None),
        "step_limit": services.step_limit_applied(application),
        "review_form": InitialReviewForm(initial=version),
        "coordinate_form": CoordinateForm(initial=version),
        "meeting_form": MeetingForm(),
        "decision_form": DecisionForm(initial=version),
        "opinion_form": OpinionForm(units=_opinion_units(request.user, application))
        if may["opinion"]
        else None,
        "withdraw_form": ReasonForm(),
        "version_form": VersionForm(initial=version),
    }
    return render(request, "admission/detail.html", context)


def _transition(request, pk, form_class, call, success):
    """POST a step: parse the form, call the service, report; errors go back to the application page.
    ``success`` is the message, or a function of the service's result giving it."""
    application = selectors.application_detail(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label if f in form.fields else ''}：{e[0]}".lstrip("：")
                for f, e in form.errors.items()
            ),
        )
        return redirect("admission:detail", pk=pk)
    try:
        result = call(application, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("admission:detail", pk=pk)


def _submitted_message(application) -> str:
    if (application.precheck or {}).get("needs_review"):
        return "申请已提交。清单预检需人工研判，已转审核委员会办公室研判，同时等待初审。"
    return "申请已提交，已通过清单预检，等待审核委员会办公室初审。"


@login_required
@require_POST
def attach(request, pk):
    """Upload a supporting document (the written plan, the townships' written opinions…) to a draft."""
    application = selectors.application_detail(request.user, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError({"file": "请选择要上传的附件。"})
        services.attachment_add(actor=request.user, application=application, upload=upload)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已上传附件：{upload.name}。")
    return redirect("admission:detail", pk=pk)


@login_required
def attachment(request, pk, attachment_pk):
    """Attachments are read by whoever may read the application, and by nobody else."""
    application = selectors.application_detail(request.user, pk)
    item = get_object_or_404(application.attachments, pk=attachment_pk)
    return file_response(item.file.open("rb"), filename=item.name)


@login_required
@require_POST
def submit(request, pk):
    return _transition(
        request,
        pk,
        VersionForm,
        lambda a, d: services.application_submit(
            actor=request.user, application=a, expected_version=d["version"]
        ),
        _submitted_message,
    )


@login_required
@require_POST
def withdraw(request, pk):
    return _transition(
        request,
        pk,
        ReasonForm,
        lambda a, d: services.application_withdraw(actor=request.user, application=a, reason=d["reason"]),
        "申请已撤回，资料保留备查。",
    )


@login_required
@require_POST
def initial_review(request, pk):
    return _transition(
        request,
        pk,
        InitialReviewForm,
        lambda a, d: review.application_initial_review(
            actor=request.user,
            application=a,
            expected_version=d["version"],
            outcome=d["outcome"],
            opinion=d["opinion"],
        ),
        "初审意见已记录。",
    )


@login_required
@require_POST
def coordinate(request, pk):
    return _transition(
        request,
        pk,
        CoordinateForm,
        lambda a, d: review.application_coordinate(
            actor=request.user, application=a, expected_version=d["version"], note=d["note"]
        ),
        "沟通协调情况已记录，已提请召开成员单位会议。",
    )


@login_required
@require_POST
def meeting(request, pk):
    return _transition(
        request,
        pk,
        MeetingForm,
        lambda a, d: review.meeting_record(actor=request.user, application=a, **d),
        "成员单位会议已记录，请录入各单位意见。",
    )


@login_required
@require_POST
def opinion(request, pk):
    application = selectors.application_detail(request.user, pk)
    if not (
        request.user.has_capability(Capability.ADMISSION_OPINE)
        or access.acts_at(request.user, Capability.ADMISSION_REVIEW, application.county)
        or _joint_counties_of(request.user, application)
    ):
        raise PermissionDenied("只有成员单位、乡镇（街道）或审核委员会办公室可以出具会议意见。")
    form = OpinionForm(request.POST, units=_opinion_units(request.user, application))
    if not form.is_valid():
        messages.error(request, "请选择出具意见的单位和意见。")
        return redirect("admission:detail", pk=pk)
    unit = form.cleaned_data["unit"]
    target = (
        {"department": Department.objects.get(pk=unit[1:])}
        if unit[0] == "d"
        else {"region": Region.objects.get(pk=unit[1:])}
    )
    meeting_obj = application.meetings.last()
    try:
        if meeting_obj is None:
            raise ValidationError("请先记录成员单位会议。")
        review.meeting_opinion_add(
            actor=request.user,
            meeting=meeting_obj,
            stance=form.cleaned_data["stance"],
            text=form.cleaned_data["text"],
            confirmed_by=form.cleaned_data["confirmed_by"],
            **target,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "意见已记录。")
    return redirect("admission:detail", pk=pk)


@login_required
@require_POST
def conclude(request, pk):
    return _transition(
        request,
        pk,
        VersionForm,
        lambda a, d: review.meeting_conclude(
            actor=request.user, application=a, expected_version=d["version"]
        ),
        "已提请审核委员会核准。",
    )


@login_required
@require_POST
def decide(request, pk):
    def call(application, data):
        return review.application_decide(
            actor=request.user,
            application=application,
            expected_version=data["version"],
            outcome=data["outcome"],
            reason=data["reason"],
            decision_body=data["decision_body"],
            overlaps=DecisionForm.overlaps_of(data),
        )

    return _transition(request, pk, DecisionForm, call, "核准结论已记录。")
