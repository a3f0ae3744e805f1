from django.contrib import admin

from jianfu.orgs.admin import ReadOnlyAdmin

from .models import EventClass, Grid, GridEvent

# Event steps and photos stay on the pages, where the scope and the step history are shown together.


@admin.register(EventClass)
class EventClassAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region", "department", "deadline_value", "deadline_unit", "is_active"]
    search_fields = ["code", "name"]

    def scoped(self, queryset, user):
        return queryset  # the classification is a public document (Open311 publishes it)


@admin.register(Grid)
class GridAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "leader", "is_active"]
    search_fields = ["name"]


@admin.register(GridEvent)
class GridEventAdmin(ReadOnlyAdmin):
    list_display = ["number", "event_class", "community", "status", "department", "reported_at", "deadline"]
    list_filter = ["status", "source"]
    search_fields = ["number", "place"]
    exclude = ["photo"]
