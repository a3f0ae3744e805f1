from django.urls import path

from . import views

app_name = "field"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("pages.json", views.pages, name="pages"),
]
