from django.contrib import admin

from jianfu.orgs.admin import ReadOnlyAdmin

from .models import AdmittedItem, Application

# Read-only back office, scoped like the pages (ReadOnlyAdmin). Records without their own scope (steps,
# opinions, entries…) are read on their parent's pages, where the scope and the history are shown together.


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "origin", "county", "applicant", "created_by"]
    list_filter = ["kind", "origin"]
    search_fields = ["number", "title"]


@admin.register(AdmittedItem)
class AdmittedItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "application", "county", "department", "title", "work_type"]
    list_filter = ["work_type", "status"]
    search_fields = ["code", "title"]
