from django.urls import path

from .views import desk, public

app_name = "consultation"
urlpatterns = [
    path("", desk.index, name="index"),
    path("opinions/", desk.opinions, name="opinions"),
    path("opinions/new/", desk.opinion_new, name="opinion_new"),
    path("opinions/<int:pk>/", desk.opinion_detail, name="opinion_detail"),
    path("councils/", desk.councils, name="councils"),
    path("councils/edit/", desk.council_edit, name="council_edit"),
    path("councils/<int:pk>/", desk.council_detail, name="council_detail"),
    path("councils/<int:pk>/members/<int:member_pk>/retire/", desk.member_retire, name="member_retire"),
    path("topics/", desk.topics, name="topics"),
    path("topics/new/", desk.topic_new, name="topic_new"),
    path("topics/<int:pk>/", desk.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/do/<str:action>/", desk.topic_action, name="topic_action"),
    path("topics/<int:pk>/dossier.docx", desk.topic_dossier, name="topic_dossier"),
    path("topics/<int:pk>/letter.docx", desk.topic_letter, name="topic_letter"),
]

public_urlpatterns = (
    [
        path("", public.opinion_submit, name="opinion_submit"),
        path("status/", public.opinion_status, name="opinion_status"),
        path("board/", public.board, name="board"),
        path("topics/<int:pk>/", public.topic, name="topic"),
    ],
    "public_consultation",
)
