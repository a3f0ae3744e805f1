from django.urls import path

from .views import places, plans, public

app_name = "supervision"
urlpatterns = [
    path("", plans.index, name="index"),
    path("plans/", plans.plans, name="plans"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/items/", plans.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/decide/", plans.plan_decide, name="plan_decide"),
    path("plans/<int:pk>/supplements/", plans.plan_supplement_add, name="plan_supplement_add"),
    path("supplements/<int:pk>/decide/", plans.supplement_decide, name="supplement_decide"),
    path("items/<int:pk>/remove/", plans.plan_item_remove, name="plan_item_remove"),
    path("visits/", plans.visits, name="visits"),
    path("visits/new/", plans.visit_record, name="visit_record"),
    path("visits/<int:pk>/", plans.visit_detail, name="visit_detail"),
    path("villages/<str:code>/", places.village, name="village"),
    path("villages/<str:code>/placards/new/", places.placard_add, name="placard_add"),
    path("villages/<str:code>/mechanisms/new/", places.mechanism_add, name="mechanism_add"),
    path("placards/", places.placards, name="placards"),
    path("placards/list/", places.placard_list, name="placard_list"),
    path("placards/<int:pk>/remove/", places.placard_remove, name="placard_remove"),
    path("placards/<int:pk>/photo/", places.placard_photo, name="placard_photo"),
    path("mechanisms/<int:pk>/remove/", places.mechanism_remove, name="mechanism_remove"),
    path("standard/", places.standard, name="standard"),
]
public_urlpatterns = ([path("plans/", public.plans, name="plans")], "public_supervision")
