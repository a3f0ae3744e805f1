from django.urls import path

from .views import applications, consults, filing, public

app_name = "admission"
urlpatterns = [
    path("", applications.index, name="index"),
    path("new/", applications.create, name="create"),
    path("retroactive/", applications.retroactive, name="retroactive"),
    path("<int:pk>/", applications.detail, name="detail"),
    path("<int:pk>/edit/", applications.edit, name="edit"),
    path("<int:pk>/submit/", applications.submit, name="submit"),
    path("<int:pk>/withdraw/", applications.withdraw, name="withdraw"),
    path("<int:pk>/review/", applications.initial_review, name="review"),
    path("<int:pk>/coordinate/", applications.coordinate, name="coordinate"),
    path("<int:pk>/meeting/", applications.meeting, name="meeting"),
    path("<int:pk>/opinion/", applications.opinion, name="opinion"),
    path("<int:pk>/conclude/", applications.conclude, name="conclude"),
    path("<int:pk>/decide/", applications.decide, name="decide"),
    path("<int:pk>/archive.xlsx", filing.archive_export, name="archive_export"),
    path("<int:pk>/attachments/", applications.attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_pk>/", applications.attachment, name="attachment"),
    path("consults/", consults.consults, name="consults"),
    path("consults/<int:pk>/answer/", consults.answer, name="consult_answer"),
    path("items/", filing.items, name="items"),
    path("items/<int:pk>/", filing.item_detail, name="item_detail"),
    path("items/<int:pk>/end/", filing.item_end, name="item_end"),
    path("items/<int:pk>/change/", filing.item_change, name="item_change"),
    path("notices/", filing.notices, name="notices"),
    path("notices/<int:pk>/acknowledge/", filing.acknowledge, name="acknowledge"),
    path("notice/<int:pk>/print/", filing.notice_print, name="notice_print"),
    path("notice/<int:pk>.docx", filing.notice_docx, name="notice_docx"),
    path("check/", filing.check, name="check"),
    path("check/decline/", filing.decline, name="decline"),
    path("check/ask/", filing.check_ask, name="check_ask"),
    path("declines/", filing.declines, name="declines"),
    path("declines/<int:pk>/", filing.decline_print, name="decline_print"),
    path("declines/<int:pk>.docx", filing.decline_docx, name="decline_docx"),
    path("limits/", filing.limits, name="limits"),
    path("reminders/<int:pk>/dismiss/", filing.reminder_dismiss, name="reminder_dismiss"),
]

public_urlpatterns = (
    [
        path("", public.items, name="items"),
        path("<int:pk>/", public.item, name="item"),
    ],
    "public_admission",
)
