from django.urls import path

from . import public_views, views, views_filing

app_name = "admission"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("retroactive/", views.retroactive, name="retroactive"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/review/", views.initial_review, name="review"),
    path("<int:pk>/coordinate/", views.coordinate, name="coordinate"),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/opinion/", views.opinion, name="opinion"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/archive.xlsx", views_filing.archive_export, name="archive_export"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("items/", views_filing.items, name="items"),
    path("items/<int:pk>/", views_filing.item_detail, name="item_detail"),
    path("items/<int:pk>/end/", views_filing.item_end, name="item_end"),
    path("items/<int:pk>/change/", views_filing.item_change, name="item_change"),
    path("notices/", views_filing.notices, name="notices"),
    path("notices/<int:pk>/acknowledge/", views_filing.acknowledge, name="acknowledge"),
    path("notice/<int:pk>/print/", views_filing.notice_print, name="notice_print"),
    path("notice/<int:pk>.docx", views_filing.notice_docx, name="notice_docx"),
    path("check/", views_filing.check, name="check"),
    path("check/decline/", views_filing.decline, name="decline"),
    path("check/ask/", views_filing.check_ask, name="check_ask"),
    path("declines/", views_filing.declines, name="declines"),
    path("declines/<int:pk>/", views_filing.decline_print, name="decline_print"),
    path("declines/<int:pk>.docx", views_filing.decline_docx, name="decline_docx"),
    path("limits/", views_filing.limits, name="limits"),
    path("reminders/<int:pk>/dismiss/", views_filing.reminder_dismiss, name="reminder_dismiss"),
]

public_urlpatterns = (
    [
        path("", public_views.items, name="items"),
        path("<int:pk>/", public_views.item, name="item"),
    ],
    "public_admission",
)
