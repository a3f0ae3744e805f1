from django.urls import path

from .views import bulletins, events, findings, public, returns

app_name = "monitoring"
urlpatterns = [
    path("", events.index, name="index"),
    path("dashboard/", events.dashboard, name="dashboard"),
    path("dashboard/rebuild/", events.rollup_rebuild, name="rollup_rebuild"),
    path("record/", events.event_new, name="event_new"),
    path("report/", events.clue_new, name="clue_new"),
    path("clues/mine/", events.my_clues, name="my_clues"),
    path("events/", events.events, name="events"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/photo/", events.event_photo, name="event_photo"),
    path("events/<int:pk>/review/", events.clue_review, name="clue_review"),
    path("events/<int:pk>/recheck/", events.event_recheck, name="event_recheck"),
    path("findings/", findings.findings, name="findings"),
    path("findings/figures/", findings.findings_figures, name="findings_figures"),
    path("findings/decide/", findings.findings_decide, name="findings_decide"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/department/", findings.finding_department, name="finding_department"),
    path("findings/<int:pk>/rectification/", findings.finding_rectification, name="finding_rectification"),
    path("returns/", returns.returns, name="returns"),
    path("points/", events.points, name="points"),
    path("points/<int:pk>/", events.point_detail, name="point_detail"),
    path("assignments/<int:pk>/end/", events.assignment_end, name="assignment_end"),
    path("bulletins/", bulletins.bulletin_list, name="bulletins"),
    path("bulletins/new/", bulletins.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", bulletins.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>.docx", bulletins.bulletin_docx, name="bulletin_docx"),
    path("bulletins/<int:pk>/docx/", bulletins.bulletin_docx_work, name="bulletin_docx_work"),
    path("bulletins/<int:pk>/publish/", bulletins.bulletin_publish, name="bulletin_publish"),
    path("entries/<int:pk>/rectify/", bulletins.entry_rectify, name="entry_rectify"),
    path("entries/<int:pk>/confirm/", bulletins.entry_confirm, name="entry_confirm"),
    path("entries/<int:pk>/reopen/", bulletins.entry_reopen, name="entry_reopen"),
]
public_urlpatterns = (
    [
        path("bulletins/", public.bulletins, name="bulletins"),
        path("bulletins/<int:pk>/", public.bulletin, name="bulletin"),
    ],
    "public_monitoring",
)
