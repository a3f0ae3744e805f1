from django.conf import settings

from .navigation import menu_for
from .uploads import limit, megabytes


def platform(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    match = getattr(request, "resolver_match", None)
    return {
        "nav_menu": menu_for(user, match.namespace, match.url_name or "") if signed_in and match else [],
        "platform_name": "减负",
        "platform_full_name": "村（社区）减负工作平台",
        "demo_mode": settings.DEMO,
        "can_manage_orgs": signed_in and user.has_capability("orgs.manage"),
        "can_audit": signed_in and user.has_capability("audit.view"),
        "upload_limits": {purpose: megabytes(limit(purpose)) for purpose in settings.UPLOAD_MAX_BYTES},
    }
