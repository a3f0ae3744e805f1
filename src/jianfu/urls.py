from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from jianfu.admission.urls import public_urlpatterns as public_admission_urls
from jianfu.api.urls import api
from jianfu.campaign.urls import public_urlpatterns as public_campaign_urls
from jianfu.catalog.urls import public_urlpatterns as public_lists_urls
from jianfu.certificates.urls import public_urlpatterns as public_certificates_urls
from jianfu.consultation.urls import public_urlpatterns as public_consultation_urls
from jianfu.core import views as core_views
from jianfu.core import views_calendar
from jianfu.field import views as field_views
from jianfu.forms.urls import public_urlpatterns as public_forms_urls
from jianfu.grid.urls import public_urlpatterns as public_grid_urls
from jianfu.jobs import views as jobs_views
from jianfu.monitoring.urls import public_urlpatterns as public_monitoring_urls
from jianfu.orgs import views_account
from jianfu.supervision.urls import public_urlpatterns as public_supervision_urls

admin.site.site_header = "减负平台后台维护"


def _admin_login(request, extra_context=None):
    """Django's admin login would call authenticate() directly, skipping the lockout and the audit log."""
    return redirect_to_login(request.GET.get("next", "/admin/"), login_url="login")


admin.site.login = _admin_login
admin.site.site_title = "减负平台"

urlpatterns = [
    path("", core_views.landing, name="landing"),
    path("home/", core_views.home, name="home"),
    path("public/", core_views.public_home, name="public_home"),
    path("healthz", jobs_views.healthz, name="healthz"),
    path("calendar/", views_calendar.calendar, name="calendar"),
    path("calendar/days/", views_calendar.calendar_day, name="calendar_day"),
    path("calendar/announce/", views_calendar.calendar_announce, name="calendar_announce"),
    path("accounts/login/", views_account.login_view, name="login"),
    path("accounts/logout/", views_account.logout_view, name="logout"),
    path("accounts/me/", views_account.account, name="account"),
    path("accounts/me/tokens/", views_account.token_create, name="token_create"),
    path("accounts/me/tokens/<int:pk>/revoke/", views_account.token_revoke, name="token_revoke"),
    path("orgs/", include("jianfu.orgs.urls")),
    path("audit/", include("jianfu.audit.urls")),
    path("lists/", include("jianfu.catalog.urls")),
    path("public/lists/", include(public_lists_urls)),
    path("admission/", include("jianfu.admission.urls")),
    path("public/admission/", include(public_admission_urls)),
    path("certificates/", include("jianfu.certificates.urls")),
    path("public/certificates/", include(public_certificates_urls)),
    path("forms/", include("jianfu.forms.urls")),
    path("public/forms/", include(public_forms_urls)),
    path("supervision/", include("jianfu.supervision.urls")),
    path("public/supervision/", include(public_supervision_urls)),
    path("monitoring/", include("jianfu.monitoring.urls")),
    path("federation/", include("jianfu.federation.urls")),
    path("public/monitoring/", include(public_monitoring_urls)),
    path("campaign/", include("jianfu.campaign.urls")),
    path("public/campaign/", include(public_campaign_urls)),
    path("consultation/", include("jianfu.consultation.urls")),
    path("public/consultation/", include(public_consultation_urls)),
    path("grid/", include("jianfu.grid.urls")),
    path("public/grid/", include(public_grid_urls)),
    path("open311/v2/", include("jianfu.grid.open311_urls")),
    path("jobs/", include("jianfu.jobs.urls")),
    path("notifications/", include("jianfu.notifications.urls")),
    path("field/", include("jianfu.field.urls")),
    path("manifest.webmanifest", field_views.manifest, name="manifest"),
    path("sw.js", field_views.service_worker, name="service_worker"),
    # Browsers ask for /favicon.ico whatever the page links; answer with the site's icon instead of a 404.
    path("favicon.ico", RedirectView.as_view(url=static("field/icon-192.png")), name="favicon"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
