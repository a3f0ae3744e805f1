"""The field forms that work without signal, and who uses each (the service worker keeps them on the phone)."""

from django.urls import reverse

from jianfu.orgs.roles import Capability

# (url name, label, capability that opens the page)
FIELD_FORMS = [
    ("monitoring:event_new", "记录负担事件", Capability.MONITORING_RECORD),
    ("grid:report", "上报网格事件", Capability.GRID_REPORT),
]


def field_pages(user) -> list[dict]:
    """The field forms this person may fill, to be kept on their phone for use without signal."""
    if not user.is_authenticated:
        return []
    return [
        {"url": reverse(name), "label": label}
        for name, label, capability in FIELD_FORMS
        if user.has_capability(capability)
    ]
