from django.urls import path

from . import views, views_bulletins

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/rebuild/", views.rollup_rebuild, name="rollup_rebuild"),
    path("record/", views.event_new, name="event_new"),
    path("report/", views.clue_new, name="clue_new"),
    path("clues/mine/", views.my_clues, name="my_clues"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/photo/", views.event_photo, name="event_photo"),
    path("events/<int:pk>/review/", views.clue_review, name="clue_review"),
    path("events/<int:pk>/recheck/", views.event_recheck, name="event_recheck"),
    path("points/", views.points, name="points"),
    path("points/<int:pk>/", views.point_detail, name="point_detail"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("bulletins/", views_bulletins.bulletin_list, name="bulletins"),
    path("bulletins/new/", views_bulletins.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", views_bulletins.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>.docx", views_bulletins.bulletin_docx, name="bulletin_docx"),
    path("bulletins/<int:pk>/docx/", views_bulletins.bulletin_docx_work, name="bulletin_docx_work"),
    path("bulletins/<int:pk>/publish/", views_bulletins.bulletin_publish, name="bulletin_publish"),
    path("entries/<int:pk>/rectify/", views_bulletins.entry_rectify, name="entry_rectify"),
    path("entries/<int:pk>/confirm/", views_bulletins.entry_confirm, name="entry_confirm"),
    path("entries/<int:pk>/reopen/", views_bulletins.entry_reopen, name="entry_reopen"),
]
public_urlpatterns: list = []
