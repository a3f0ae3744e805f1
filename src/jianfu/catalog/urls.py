from django.urls import path

from . import public_views, views, views_corrections

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.draft_start, name="draft_start"),
    path("classify/", views.classify_page, name="classify"),
    path("corrections/", views_corrections.index, name="corrections"),
    path("corrections/new/", views_corrections.new, name="correction_new"),
    path("corrections/<int:pk>/", views_corrections.detail, name="correction"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path("<int:pk>/items/new/", views.item_edit, name="item_new"),
    path("<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/import/", views.items_import, name="import"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/retire/", views.retire, name="retire"),
    path("<int:pk>/discard/", views.discard, name="discard"),
]

public_urlpatterns = (
    [
        path("", public_views.lists_in_force, name="lists"),
        path("<int:pk>/", public_views.list_detail, name="detail"),
        path("<int:pk>/diff/", public_views.list_diff, name="diff"),
        path("<int:pk>/print/", public_views.list_print, name="print"),
        path("<int:pk>/export.xlsx", public_views.list_export, name="export"),
    ],
    "public_lists",
)
