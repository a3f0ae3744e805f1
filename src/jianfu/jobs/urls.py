from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:name>/run/", views.run_now, name="run_now"),
    path("work/", views.work_list, name="work_list"),
    path("work/<int:pk>/", views.work_detail, name="work_detail"),
    path("work/<int:pk>/progress/", views.work_progress, name="work_progress"),
    path("work/<int:pk>/file/", views.work_file, name="work_file"),
]
