from django.urls import path

from .views import events, public, setup

app_name = "grid"
urlpatterns = [
    path("", events.index, name="index"),
    path("report/", events.report, name="report"),
    path("events/<int:pk>/", events.event, name="event"),
    path("events/<int:pk>/photo/", events.event_photo, name="event_photo"),
    path("events/<int:pk>/<slug:action>/", events.event_act, name="event_act"),
    path("stats/", events.figures, name="stats"),
    path("grids/", setup.grids, name="grids"),
    path("grids/new/", setup.grid_edit, name="grid_new"),
    path("grids/<int:pk>/edit/", setup.grid_edit, name="grid_edit"),
    path("classes/", setup.classes, name="classes"),
    path("classes/new/", setup.class_edit, name="class_new"),
    path("classes/<int:pk>/edit/", setup.class_edit, name="class_edit"),
    path("burden/", setup.burden_tap, name="burden"),
]
public_urlpatterns = (
    [
        path("", public.report, name="report"),
        path("status/", public.status, name="status"),
        path("locate/", public.locate, name="locate"),
        path("rate/", public.rate, name="rate"),
    ],
    "public_grid",
)
