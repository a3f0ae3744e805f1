from django.contrib import admin

from jianfu.orgs.admin import ReadOnlyAdmin

from .models import VerdictCorrection, WorkList

# Read-only back office, scoped like the pages (ReadOnlyAdmin). Records without their own scope (steps,
# opinions, entries…) are read on their parent's pages, where the scope and the history are shown together.


@admin.register(WorkList)
class WorkListAdmin(ReadOnlyAdmin):
    list_display = ["kind", "region", "title", "document_number", "version_no", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]


@admin.register(VerdictCorrection)
class VerdictCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["county", "region", "mode", "source", "source_id", "original_verdict"]
    list_filter = ["mode", "source"]
