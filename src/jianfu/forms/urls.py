from django.urls import path

from . import views, views_channels, views_forms

app_name = "forms"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/merge/", views.indicator_merge, name="indicator_merge"),
    path("indicators/duplicates/", views.duplicates, name="duplicates"),
    path("rules/", views.rules, name="rules"),
    path("values/import/", views.values_import, name="values_import"),
    path("values/<str:code>/", views.village_values, name="village_values"),
    path("values/<str:code>/correct/", views.value_correct, name="value_correct"),
    path("review/<str:code>/", views.township_review, name="township_review"),
    path("forms/", views_forms.form_list, name="form_list"),
    path("forms/new/", views_forms.form_new, name="form_new"),
    path("forms/import/", views_forms.forms_import, name="forms_import"),
    path("forms/<int:pk>/", views_forms.form_detail, name="form_detail"),
    path("forms/<int:pk>/map/", views_forms.form_map, name="form_map"),
    path("forms/<int:pk>/submit/", views_forms.form_submit, name="form_submit"),
    path("forms/<int:pk>/decide/", views_forms.form_decide, name="form_decide"),
    path("forms/<int:pk>/issue/", views_forms.form_issue, name="form_issue"),
    path("forms/<int:pk>/export.xlsx", views_forms.form_export, name="form_export"),
    path("list/", views_forms.annual_list, name="annual_list"),
    path("list/rules/", views_forms.list_rules, name="list_rules"),
    path("tasks/", views_forms.tasks, name="tasks"),
    path("tasks/<int:pk>/", views_forms.task_detail, name="task_detail"),
    path("counts/", views_forms.counts, name="counts"),
    path("stats/", views_channels.stats, name="stats"),
    path("channels/", views_channels.channels, name="channels"),
    path("channels/new/", views_channels.channel_new, name="channel_new"),
    path("channels/<int:pk>/", views_channels.channel_detail, name="channel_detail"),
]
public_urlpatterns: list = []
