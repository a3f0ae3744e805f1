from django.urls import path

from .views import cards, corrections, lists, public

app_name = "catalog"
urlpatterns = [
    path("", lists.index, name="index"),
    path("new/", lists.draft_start, name="draft_start"),
    path("classify/", lists.classify_page, name="classify"),
    path("cards/", cards.index, name="cards"),
    path("cards/new/", cards.edit, name="card_new"),
    path("cards/<int:pk>/", cards.detail, name="card"),
    path("cards/<int:pk>/edit/", cards.edit, name="card_edit"),
    path("cards/<int:pk>/submit/", cards.submit, name="card_submit"),
    path("cards/<int:pk>/decide/", cards.decide, name="card_decide"),
    path("corrections/", corrections.index, name="corrections"),
    path("corrections/new/", corrections.new, name="correction_new"),
    path("corrections/<int:pk>/", corrections.detail, name="correction"),
    path("<int:pk>/", lists.detail, name="detail"),
    path("<int:pk>/diff/", lists.diff, name="diff"),
    path("<int:pk>/edit/", lists.draft_edit, name="draft_edit"),
    path("<int:pk>/items/new/", lists.item_edit, name="item_new"),
    path("<int:pk>/items/<int:item_pk>/edit/", lists.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/remove/", lists.item_remove, name="item_remove"),
    path("<int:pk>/import/", lists.items_import, name="import"),
    path("<int:pk>/export.xlsx", lists.export, name="export"),
    path("<int:pk>/print/", lists.print_view, name="print"),
    path("<int:pk>/publish/", lists.publish, name="publish"),
    path("<int:pk>/retire/", lists.retire, name="retire"),
    path("<int:pk>/discard/", lists.discard, name="discard"),
]

public_urlpatterns = (
    [
        path("", public.lists_in_force, name="lists"),
        path("<int:pk>/", public.list_detail, name="detail"),
        path("cards/<int:pk>/", cards.public_card, name="card"),
        path("<int:pk>/diff/", public.list_diff, name="diff"),
        path("<int:pk>/print/", public.list_print, name="print"),
        path("<int:pk>/export.xlsx", public.list_export, name="export"),
    ],
    "public_lists",
)
