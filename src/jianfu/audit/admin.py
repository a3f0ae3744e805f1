from django.contrib import admin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only for everyone: records are appended by services, never edited or removed here."""

    list_display = [
        "seq",
        "created_at",
        "actor_username",
        "region_code",
        "action",
        "object_repr",
        "success",
        "ip",
    ]
    list_filter = ["success", "channel"]
    search_fields = ["actor_username", "action", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_authenticated and request.user.has_capability("audit.view")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
