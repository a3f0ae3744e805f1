from django.urls import path

from . import views, views_places

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/items/", views.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/decide/", views.plan_decide, name="plan_decide"),
    path("items/<int:pk>/remove/", views.plan_item_remove, name="plan_item_remove"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_record, name="visit_record"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("villages/<str:code>/", views_places.village, name="village"),
    path("villages/<str:code>/placards/new/", views_places.placard_add, name="placard_add"),
    path("villages/<str:code>/mechanisms/new/", views_places.mechanism_add, name="mechanism_add"),
    path("placards/", views_places.placards, name="placards"),
    path("placards/list/", views_places.placard_list, name="placard_list"),
    path("placards/<int:pk>/remove/", views_places.placard_remove, name="placard_remove"),
    path("placards/<int:pk>/photo/", views_places.placard_photo, name="placard_photo"),
    path("mechanisms/<int:pk>/remove/", views_places.mechanism_remove, name="mechanism_remove"),
    path("standard/", views_places.standard, name="standard"),
]
public_urlpatterns: list = []
