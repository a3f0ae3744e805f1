from django.contrib import admin

from jianfu.orgs.admin import ReadOnlyAdmin

from .models import Bulletin, BurdenEvent, MonitoringPoint

# Read-only back office, scoped like the pages (ReadOnlyAdmin). Records without their own scope (steps,
# opinions, entries…) are read on their parent's pages, where the scope and the history are shown together.


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(ReadOnlyAdmin):
    list_display = ["village", "note", "is_active", "designated_by", "created_at"]


@admin.register(BurdenEvent)
class BurdenEventAdmin(ReadOnlyAdmin):
    list_display = ["village", "region_code", "point", "kind", "department", "subject"]
    list_filter = ["kind", "origin"]
    search_fields = ["subject"]
    exclude = ["photo"]


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["number", "region", "period_start", "period_end", "title", "status"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
