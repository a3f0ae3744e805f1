from django.urls import path

from .views import base_table, channels, forms, public, schedules

app_name = "forms"
urlpatterns = [
    path("", base_table.index, name="index"),
    path("indicators/", base_table.indicators, name="indicators"),
    path("indicators/new/", base_table.indicator_new, name="indicator_new"),
    path("indicators/<int:pk>/edit/", base_table.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/merge/", base_table.indicator_merge, name="indicator_merge"),
    path("indicators/duplicates/", base_table.duplicates, name="duplicates"),
    path("rules/", base_table.rules, name="rules"),
    path("values/import/", base_table.values_import, name="values_import"),
    path("values/<str:code>/", base_table.village_values, name="village_values"),
    path("values/<str:code>/correct/", base_table.value_correct, name="value_correct"),
    path("review/<str:code>/", base_table.township_review, name="township_review"),
    path("review/<str:code>/unlock/", base_table.unlock_request, name="unlock_request"),
    path("unlock/<int:pk>/decide/", base_table.unlock_decide, name="unlock_decide"),
    path("forms/", forms.form_list, name="form_list"),
    path("forms/new/", forms.form_new, name="form_new"),
    path("forms/import/", forms.forms_import, name="forms_import"),
    path("forms/<int:pk>/", forms.form_detail, name="form_detail"),
    path("forms/<int:pk>/map/", forms.form_map, name="form_map"),
    path("forms/<int:pk>/submit/", forms.form_submit, name="form_submit"),
    path("forms/<int:pk>/decide/", forms.form_decide, name="form_decide"),
    path("forms/<int:pk>/issue/", forms.form_issue, name="form_issue"),
    path("forms/<int:pk>/export.xlsx", forms.form_export, name="form_export"),
    path("list/", forms.annual_list, name="annual_list"),
    path("list/rules/", forms.list_rules, name="list_rules"),
    path("schedule/", schedules.schedule, name="schedule"),
    path("schedule/open/", schedules.schedule_open, name="schedule_open"),
    path("schedule/<int:pk>/", schedules.schedule_form, name="schedule_form"),
    path("schedule/<int:pk>/due-day/", schedules.schedule_due_day, name="schedule_due_day"),
    path("reporting/", schedules.reporting, name="reporting"),
    path("tasks/", forms.tasks, name="tasks"),
    path("tasks/<int:pk>/", forms.task_detail, name="task_detail"),
    path("tasks/<int:pk>/review/", forms.task_review, name="task_review"),
    path("counts/", forms.counts, name="counts"),
    path("stats/", channels.stats, name="stats"),
    path("channels/", channels.channels, name="channels"),
    path("channels/new/", channels.channel_new, name="channel_new"),
    path("channels/<int:pk>/", channels.channel_detail, name="channel_detail"),
]
public_urlpatterns = (
    [
        path("list/", public.form_list, name="form_list"),
        path("list/document.docx", public.form_list_docx, name="form_list_docx"),
    ],
    "public_forms",
)
