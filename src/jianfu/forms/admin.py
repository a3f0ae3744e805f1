from django.contrib import admin

from jianfu.orgs.admin import ReadOnlyAdmin

from .models import (
    BaseValue,
    DepartmentForm,
    FormTask,
    Indicator,
    PeriodLock,
    ValidationRule,
    ValueHistory,
    WorkChannel,
)

# Read-only back office, scoped like the pages (ReadOnlyAdmin). Records without their own scope (steps,
# opinions, entries…) are read on their parent's pages, where the scope and the history are shown together.


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["region", "code", "name", "unit", "value_type", "period"]
    list_filter = ["value_type", "period"]
    search_fields = ["code", "name"]


@admin.register(BaseValue)
class BaseValueAdmin(ReadOnlyAdmin):
    list_display = ["village", "indicator", "period", "value", "number", "source"]
    list_filter = ["source"]


@admin.register(ValueHistory)
class ValueHistoryAdmin(ReadOnlyAdmin):
    list_display = ["base_value", "value", "previous", "source", "reason", "by"]
    list_filter = ["source"]


@admin.register(PeriodLock)
class PeriodLockAdmin(ReadOnlyAdmin):
    list_display = ["township", "period", "locked_by", "locked_at", "note"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(ReadOnlyAdmin):
    list_display = ["left", "operator", "right", "factor", "severity", "message"]
    list_filter = ["operator", "severity"]


@admin.register(DepartmentForm)
class DepartmentFormAdmin(ReadOnlyAdmin):
    list_display = ["department", "region", "year", "number", "name", "legal_basis"]
    list_filter = ["frequency", "status"]
    search_fields = ["number", "name"]


@admin.register(FormTask)
class FormTaskAdmin(ReadOnlyAdmin):
    list_display = ["issue", "village", "status", "submitted_at", "typed", "served"]
    list_filter = ["status"]


@admin.register(WorkChannel)
class WorkChannelAdmin(ReadOnlyAdmin):
    list_display = ["kind", "name", "department", "region", "purpose", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
