from django.urls import path

from . import views, views_eval, views_people

app_name = "campaign"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/phase/", views.phase_set, name="phase_set"),
    path("<int:pk>/tasks/new/", views.task_add, name="task_add"),
    path("<int:pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/report/", views.report_file, name="report_file"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("decisions/<int:pk>/task/", views.decision_task, name="decision_task"),
    # 村（社区）综合考评
    path("evaluations/", views_eval.schemes, name="schemes"),
    path("evaluations/<int:pk>/", views_eval.scheme_detail, name="scheme_detail"),
    path("evaluations/<int:pk>/indicators/", views_eval.scheme_indicators, name="scheme_indicators"),
    path("evaluations/<int:pk>/status/", views_eval.scheme_status, name="scheme_status"),
    path("evaluations/<int:pk>/scores/", views_eval.scheme_scores, name="scheme_scores"),
    path("evaluations/<int:pk>/codes/", views_eval.scheme_codes, name="scheme_codes"),
    # 派驻机构双向考评
    path("agencies/", views_people.agencies, name="agencies"),
    path("agencies/<int:pk>/", views_people.agency_detail, name="agency_detail"),
    path(
        "agencies/<int:pk>/township/", views_people.agency_score, {"part": "township"}, name="agency_township"
    ),
    path(
        "agencies/<int:pk>/department/",
        views_people.agency_score,
        {"part": "department"},
        name="agency_department",
    ),
    path("agencies/<int:pk>/rate/", views_people.agency_score, {"part": "rate"}, name="agency_rate"),
    # 乡镇（街道）分类
    path("classification/", views_people.rounds, name="rounds"),
    path("classification/<int:pk>/", views_people.round_detail, name="round_detail"),
    # 社区工作者
    path("communities/", views_people.communities, name="communities"),
    path("communities/<str:code>/", views_people.community, name="community"),
    path("communities/<str:code>/residents/", views_people.profile_set, name="profile_set"),
    path("workers/<int:pk>/", views_people.worker_detail, name="worker_detail"),
    path(
        "workers/<int:pk>/contract/", views_people.worker_record, {"what": "contract"}, name="worker_contract"
    ),
    path(
        "workers/<int:pk>/training/", views_people.worker_record, {"what": "training"}, name="worker_training"
    ),
    path(
        "workers/<int:pk>/appraisal/",
        views_people.worker_record,
        {"what": "appraisal"},
        name="worker_appraisal",
    ),
]
public_urlpatterns = (
    [path("survey/", views_eval.survey, name="survey")],
    "public_campaign",
)
