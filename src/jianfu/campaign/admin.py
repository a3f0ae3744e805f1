from django.contrib import admin

from jianfu.orgs.admin import ReadOnlyAdmin

from .models import (
    AgencyEvaluation,
    Campaign,
    ClassificationRound,
    CommunityProfile,
    CommunityWorker,
    EvaluationScheme,
    JointMeeting,
)

# Read-only back office, scoped like the pages (ReadOnlyAdmin). Records without their own scope (steps,
# opinions, entries…) are read on their parent's pages, where the scope and the history are shown together.


@admin.register(AgencyEvaluation)
class AgencyEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["township", "department", "agency_name", "head_name", "year", "territorial_score"]
    list_filter = ["agency_grade", "head_grade"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "document_number", "starts_on", "ends_on", "cadence"]
    list_filter = ["cadence"]
    search_fields = ["title"]


@admin.register(JointMeeting)
class JointMeetingAdmin(ReadOnlyAdmin):
    list_display = ["region", "campaign", "title", "held_on", "place", "created_by"]
    search_fields = ["title"]


@admin.register(ClassificationRound)
class ClassificationRoundAdmin(ReadOnlyAdmin):
    list_display = ["county", "year", "class1_min", "class2_min"]


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(ReadOnlyAdmin):
    list_display = ["township", "year", "title", "status", "created_by"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(CommunityProfile)
class CommunityProfileAdmin(ReadOnlyAdmin):
    list_display = ["community", "residents"]


@admin.register(CommunityWorker)
class CommunityWorkerAdmin(ReadOnlyAdmin):
    list_display = ["community", "name", "origin", "post", "joined_on", "status"]
    list_filter = ["origin", "post"]
    search_fields = ["name"]
