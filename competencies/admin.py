"""Django admin for the competencies app.

Frameworks and training records: board administrators see their own board's. Rounds, ratings,
directors' views, conversations and development goals are personal to the IB: board staff must
not see them, so in the admin only superusers do.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from schools.admin import BoardScopedAdmin, ParentGovernedInline, admin_board_ids

from .models import (
    AssessmentRound,
    Cell,
    Conversation,
    DirectorView,
    Framework,
    FrameworkColumn,
    FrameworkRow,
    Goal,
    GoalAction,
    Level,
    Rating,
    Training,
)


class FrameworkPartAdmin(BoardScopedAdmin):
    """A part of a framework: scoped through the framework's board, choices limited too."""

    board_path = "framework__board"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.related_model
        if not request.user.is_superuser and model in (Framework, FrameworkRow, FrameworkColumn):
            boards = admin_board_ids(request)
            path = "board__in" if model is Framework else "framework__board__in"
            kwargs["queryset"] = model.objects.filter(**{path: boards})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LevelInline(ParentGovernedInline, admin.TabularInline):
    model = Level
    extra = 0


class FrameworkRowInline(ParentGovernedInline, admin.TabularInline):
    model = FrameworkRow
    extra = 0


class FrameworkColumnInline(ParentGovernedInline, admin.TabularInline):
    model = FrameworkColumn
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(FrameworkPartAdmin):
    board_path = "board"
    list_display = ["name", "board", "kind", "version", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "standard_key"]
    inlines = [LevelInline, FrameworkRowInline, FrameworkColumnInline]


@admin.register(FrameworkRow)
class FrameworkRowAdmin(FrameworkPartAdmin):
    list_display = ["title", "framework", "order"]
    search_fields = ["title"]


@admin.register(FrameworkColumn)
class FrameworkColumnAdmin(FrameworkPartAdmin):
    list_display = ["title", "framework", "order"]


@admin.register(Cell)
class CellAdmin(FrameworkPartAdmin):
    list_display = ["__str__", "framework"]
    search_fields = ["descriptor"]


@admin.register(Level)
class LevelAdmin(FrameworkPartAdmin):
    list_display = ["__str__", "framework"]


@admin.register(Training)
class TrainingAdmin(BoardScopedAdmin):
    list_display = ["course", "ib", "board", "hours", "start_date", "judgement"]
    list_filter = ["judgement"]
    search_fields = ["course", "provider"]


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Personal records of an IB: not for board administrators."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(SuperuserOnlyAdmin):
    list_display = ["__str__", "ib", "board", "status", "shared_with"]
    list_filter = ["status"]
    inlines = [RatingInline]


@admin.register(Rating)
class RatingAdmin(SuperuserOnlyAdmin):
    list_display = ["__str__", "round"]


@admin.register(DirectorView)
class DirectorViewAdmin(SuperuserOnlyAdmin):
    list_display = ["__str__", "round", "author"]


@admin.register(Conversation)
class ConversationAdmin(SuperuserOnlyAdmin):
    list_display = ["__str__", "round", "recorded_by"]


class GoalActionInline(admin.TabularInline):
    model = GoalAction
    extra = 0


@admin.register(Goal)
class GoalAdmin(SuperuserOnlyAdmin):
    list_display = ["title", "ib", "status", "due_date"]
    list_filter = ["status"]
    inlines = [GoalActionInline]


@admin.register(GoalAction)
class GoalActionAdmin(SuperuserOnlyAdmin):
    list_display = ["description", "goal", "kind", "status"]
