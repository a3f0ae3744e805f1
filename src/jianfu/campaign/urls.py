from django.urls import path

from .views import evaluation, people, tasks

app_name = "campaign"
urlpatterns = [
    path("", tasks.index, name="index"),
    path("new/", tasks.campaign_create, name="campaign_create"),
    path("<int:pk>/", tasks.detail, name="detail"),
    path("<int:pk>/phase/", tasks.phase_set, name="phase_set"),
    path("<int:pk>/tasks/new/", tasks.task_add, name="task_add"),
    path("<int:pk>/ledger.xlsx", tasks.ledger_export, name="ledger_export"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/report/", tasks.report_file, name="report_file"),
    path("tasks/<int:pk>/close/", tasks.task_close, name="task_close"),
    path("attachments/<int:pk>/", tasks.attachment, name="attachment"),
    path("meetings/", tasks.meetings, name="meetings"),
    path("meetings/<int:pk>/", tasks.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/decisions/", tasks.decision_add, name="decision_add"),
    path("decisions/<int:pk>/task/", tasks.decision_task, name="decision_task"),
    # 村（社区）综合考评
    path("evaluations/", evaluation.schemes, name="schemes"),
    path("evaluations/<int:pk>/", evaluation.scheme_detail, name="scheme_detail"),
    path("evaluations/<int:pk>/indicators/", evaluation.scheme_indicators, name="scheme_indicators"),
    path("evaluations/<int:pk>/status/", evaluation.scheme_status, name="scheme_status"),
    path("evaluations/<int:pk>/scores/", evaluation.scheme_scores, name="scheme_scores"),
    path("evaluations/<int:pk>/codes/", evaluation.scheme_codes, name="scheme_codes"),
    # 派驻机构双向考评
    path("agencies/", people.agencies, name="agencies"),
    path("agencies/<int:pk>/", people.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/township/", people.agency_score, {"part": "township"}, name="agency_township"),
    path(
        "agencies/<int:pk>/department/",
        people.agency_score,
        {"part": "department"},
        name="agency_department",
    ),
    path("agencies/<int:pk>/rate/", people.agency_score, {"part": "rate"}, name="agency_rate"),
    # 乡镇（街道）分类
    path("classification/", people.rounds, name="rounds"),
    path("classification/<int:pk>/", people.round_detail, name="round_detail"),
    # 社区工作者
    path("communities/", people.communities, name="communities"),
    path("communities/<str:code>/", people.community, name="community"),
    path("communities/<str:code>/residents/", people.profile_set, name="profile_set"),
    path("workers/<int:pk>/", people.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/contract/", people.worker_record, {"what": "contract"}, name="worker_contract"),
    path("workers/<int:pk>/training/", people.worker_record, {"what": "training"}, name="worker_training"),
    path(
        "workers/<int:pk>/appraisal/",
        people.worker_record,
        {"what": "appraisal"},
        name="worker_appraisal",
    ),
]
public_urlpatterns = (
    [path("survey/", evaluation.survey, name="survey")],
    "public_campaign",
)
