from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("<int:seq>/", views.audit_detail, name="detail"),
    path("export.xlsx", views.audit_export, name="export"),
    path("verify/", views.audit_verify_view, name="verify"),
    path("checkpoint/", views.audit_checkpoint, name="checkpoint"),
]
