from django.urls import path

from . import public_views, views

app_name = "consultation"
urlpatterns = [
    path("", views.index, name="index"),
    path("opinions/", views.opinions, name="opinions"),
    path("opinions/new/", views.opinion_new, name="opinion_new"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion_detail"),
    path("councils/", views.councils, name="councils"),
    path("councils/edit/", views.council_edit, name="council_edit"),
    path("councils/<int:pk>/", views.council_detail, name="council_detail"),
    path("councils/<int:pk>/members/<int:member_pk>/retire/", views.member_retire, name="member_retire"),
    path("topics/", views.topics, name="topics"),
    path("topics/new/", views.topic_new, name="topic_new"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/do/<str:action>/", views.topic_action, name="topic_action"),
    path("topics/<int:pk>/dossier.docx", views.topic_dossier, name="topic_dossier"),
    path("topics/<int:pk>/letter.docx", views.topic_letter, name="topic_letter"),
]

public_urlpatterns = (
    [
        path("", public_views.opinion_submit, name="opinion_submit"),
        path("status/", public_views.opinion_status, name="opinion_status"),
        path("board/", public_views.board, name="board"),
        path("topics/<int:pk>/", public_views.topic, name="topic"),
    ],
    "public_consultation",
)
