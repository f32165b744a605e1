from django.contrib import admin

from schools.admin import BoardScopedAdmin, admin_board_ids

from .models import CatalogueTask, Domain


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    """The three LBBO domains are reference data: superusers only."""

    list_display = ["name", "role", "code", "order"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser or bool(admin_board_ids(request))

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or bool(admin_board_ids(request))


@admin.register(CatalogueTask)
class CatalogueTaskAdmin(BoardScopedAdmin):
    list_display = ["title", "board", "domain", "default_hours", "unit", "is_ib_task", "is_active"]
    list_filter = ["board", "domain", "is_ib_task", "is_active"]
    search_fields = ["title", "description", "source"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deactivate instead: packages refer to catalogue tasks.
        return request.user.is_superuser
