from django.urls import path

from . import views

app_name = "federation"
urlpatterns = [
    path("", views.national, name="national"),
    path("<str:code>/", views.province, name="province"),
]
