from django.urls import path

from . import public_views, views, views_records, views_types

app_name = "certificates"
urlpatterns = [
    path("", views.index, name="index"),
    path("check/", views.check, name="check"),
    path("issue/<str:code>/", views.issue, name="issue"),
    path("refuse/", views.refuse, name="refuse"),
    path("commit/", views.commit, name="commit"),
    path("records/", views_records.records, name="records"),
    path("records/export.xlsx", views_records.records_export, name="records_export"),
    path("issued/<int:pk>/", views_records.issuance_detail, name="issuance_detail"),
    path("issued/<int:pk>/id/", views_records.issuance_id, name="issuance_id"),
    path("issued/<int:pk>/print/", views_records.issuance_print, name="issuance_print"),
    path("issued/<int:pk>/document.docx", views_records.issuance_docx, name="issuance_docx"),
    path("issued/<int:pk>/revoke/", views_records.issuance_revoke, name="issuance_revoke"),
    path("commitments/<int:pk>/", views_records.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/id/", views_records.commitment_id, name="commitment_id"),
    path("commitments/<int:pk>/print/", views_records.commitment_print, name="commitment_print"),
    path("commitments/<int:pk>/document.docx", views_records.commitment_docx, name="commitment_docx"),
    path("commitments/<int:pk>/revoke/", views_records.commitment_revoke, name="commitment_revoke"),
    path("refused/<int:pk>/", views_records.refusal_detail, name="refusal_detail"),
    path("refused/<int:pk>/print/", views_records.refusal_print, name="refusal_print"),
    path("stats/", views_records.stats, name="stats"),
    path("stats/export.xlsx", views_records.stats_export, name="stats_export"),
    path("types/", views_types.types, name="types"),
    path("types/<int:pk>/", views_types.type_detail, name="type_detail"),
    path("types/<int:pk>/edit/", views_types.type_edit, name="type_edit"),
]

public_urlpatterns = (
    [
        path("", public_views.lookup, name="lookup"),
        path("verify/", public_views.verify, name="verify"),
        path("v/<str:code>/", public_views.verify_code, name="verify_code"),
    ],
    "public_certificates",
)
