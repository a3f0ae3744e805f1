from django.contrib import admin

from jianfu.orgs.admin import ReadOnlyAdmin

from .models import InspectionPlan, InspectionVisit, Mechanism, Placard

# Read-only back office, scoped like the pages (ReadOnlyAdmin). Records without their own scope (steps,
# opinions, entries…) are read on their parent's pages, where the scope and the history are shown together.


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ["department", "year", "status", "submitted_at", "decided_at", "created_by"]
    list_filter = ["status"]


@admin.register(InspectionVisit)
class InspectionVisitAdmin(ReadOnlyAdmin):
    list_display = ["village", "department", "on", "kind", "subject", "demanded_materials"]
    list_filter = ["kind"]
    search_fields = ["subject"]


@admin.register(Placard)
class PlacardAdmin(ReadOnlyAdmin):
    list_display = ["village", "kind", "title", "department_name", "status", "removed_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    exclude = ["photo"]


@admin.register(Mechanism)
class MechanismAdmin(ReadOnlyAdmin):
    list_display = ["village", "name", "department_name", "legal_basis", "status", "removed_on"]
    list_filter = ["status"]
    search_fields = ["name"]
