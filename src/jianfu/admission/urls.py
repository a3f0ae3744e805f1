from django.urls import path  # noqa: F401

app_name = "admission"
urlpatterns = []

public_urlpatterns = ([], "public_admission")
