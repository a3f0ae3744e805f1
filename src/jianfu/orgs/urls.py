from django.urls import path

from . import imports_views, views, views_settings

app_name = "orgs"
urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/new/", views.region_create, name="region_create"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("regions/<str:code>/edit/", views.region_edit, name="region_edit"),
    path("regions/<str:code>/toggle/", views.region_toggle, name="region_toggle"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("departments/<int:pk>/toggle/", views.department_toggle, name="department_toggle"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/grant/", views.user_grant, name="user_grant"),
    path("users/<int:pk>/revoke/<int:assignment_pk>/", views.user_revoke, name="user_revoke"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/toggle/", views.user_toggle, name="user_toggle"),
    path("roles/", views.role_settings, name="role_settings"),
    path("roles/<str:code>/", views.role_table, name="role_table"),
    path("roles/<str:code>/<str:role>/", views.role_edit, name="role_edit"),
    path("roles/<str:code>/<str:role>/reset/", views.role_reset, name="role_reset"),
    path("settings/", views_settings.settings_index, name="settings_index"),
    path("settings/<str:code>/", views_settings.settings_table, name="settings_table"),
    path("settings/<str:code>/<str:key>/", views_settings.setting_edit, name="setting_edit"),
    path("import/", imports_views.import_view, name="import"),
    path("export/<str:kind>.xlsx", imports_views.export_view, name="export"),
    path("export/<str:kind>/", imports_views.export_work, name="export_work"),
]
