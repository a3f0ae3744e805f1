from django.conf import settings


def platform(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "platform_name": "减负",
        "platform_full_name": "村（社区）减负工作平台",
        "demo_mode": settings.DEMO,
        "can_manage_orgs": signed_in and user.has_capability("orgs.manage"),
        "can_audit": signed_in and user.has_capability("audit.view"),
    }
