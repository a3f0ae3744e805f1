from django.urls import path

from . import public_views, views, views_setup

app_name = "grid"
urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/photo/", views.event_photo, name="event_photo"),
    path("events/<int:pk>/<slug:action>/", views.event_act, name="event_act"),
    path("stats/", views.figures, name="stats"),
    path("grids/", views_setup.grids, name="grids"),
    path("grids/new/", views_setup.grid_edit, name="grid_new"),
    path("grids/<int:pk>/edit/", views_setup.grid_edit, name="grid_edit"),
    path("classes/", views_setup.classes, name="classes"),
    path("classes/new/", views_setup.class_edit, name="class_new"),
    path("classes/<int:pk>/edit/", views_setup.class_edit, name="class_edit"),
    path("burden/", views_setup.burden_tap, name="burden"),
]
public_urlpatterns = ([path("rate/", public_views.rate, name="rate")], "public_grid")
