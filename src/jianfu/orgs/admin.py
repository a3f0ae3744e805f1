from django.contrib import admin

from .models import Department, Region, RoleAssignment, RoleSetting, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Back-office view. Changes go through the pages so that they are scoped and audited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def get_queryset(self, request):
        # Staff see their own scope like everywhere else; only a superuser (the platform operator) sees all.
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else self.scoped(queryset, request.user)

    def scoped(self, queryset, user):
        return queryset.visible_to(user)


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "kind", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "kind", "is_member_unit", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "home_region", "is_active", "locked_until"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "region", "department"]
    list_filter = ["role"]

    def scoped(self, queryset, user):
        return queryset.filter(user__in=User.objects.visible_to(user))


@admin.register(RoleSetting)
class RoleSettingAdmin(ReadOnlyAdmin):
    list_display = ["region", "role", "version", "updated_by", "updated_at"]
    list_filter = ["role"]

    def scoped(self, queryset, user):
        return queryset.filter(region__in=Region.objects.visible_to(user))
