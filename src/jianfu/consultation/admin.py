from django.contrib import admin

from jianfu.orgs.admin import ReadOnlyAdmin

from .models import Council, Opinion, Topic

# Read-only: every change goes through the pages or the API, so it is scoped, step-checked and audited.
# Residents' contacts stay out of the list columns.


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ["receipt", "region", "source", "status", "created_at"]
    list_filter = ["source", "status"]
    search_fields = ["receipt", "content"]
    exclude = ["contact", "client_key"]


@admin.register(Council)
class CouncilAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "convener"]


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "status", "outcome", "settled_on", "plan_due", "announced_on"]
    list_filter = ["status", "outcome", "form"]
    search_fields = ["title"]
