from django.urls import path

from .views import certificate_types, desk, public, records

app_name = "certificates"
urlpatterns = [
    path("", desk.index, name="index"),
    path("check/", desk.check, name="check"),
    path("issue/<str:code>/", desk.issue, name="issue"),
    path("refuse/", desk.refuse, name="refuse"),
    path("commit/", desk.commit, name="commit"),
    path("records/", records.records, name="records"),
    path("records/export.xlsx", records.records_export, name="records_export"),
    path("issued/<int:pk>/", records.issuance_detail, name="issuance_detail"),
    path("issued/<int:pk>/id/", records.issuance_id, name="issuance_id"),
    path("issued/<int:pk>/print/", records.issuance_print, name="issuance_print"),
    path("issued/<int:pk>/document.docx", records.issuance_docx, name="issuance_docx"),
    path("issued/<int:pk>/revoke/", records.issuance_revoke, name="issuance_revoke"),
    path("commitments/<int:pk>/", records.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/id/", records.commitment_id, name="commitment_id"),
    path("commitments/<int:pk>/print/", records.commitment_print, name="commitment_print"),
    path("commitments/<int:pk>/document.docx", records.commitment_docx, name="commitment_docx"),
    path("commitments/<int:pk>/revoke/", records.commitment_revoke, name="commitment_revoke"),
    path("refused/<int:pk>/", records.refusal_detail, name="refusal_detail"),
    path("refused/<int:pk>/print/", records.refusal_print, name="refusal_print"),
    path("stats/", records.stats, name="stats"),
    path("stats/export.xlsx", records.stats_export, name="stats_export"),
    path("types/", certificate_types.types, name="types"),
    path("types/<int:pk>/", certificate_types.type_detail, name="type_detail"),
    path("types/<int:pk>/edit/", certificate_types.type_edit, name="type_edit"),
]

public_urlpatterns = (
    [
        path("", public.lookup, name="lookup"),
        path("verify/", public.verify, name="verify"),
        path("v/<str:code>/", public.verify_code, name="verify_code"),
    ],
    "public_certificates",
)
