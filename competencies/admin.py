"""Django admin for the competencies app.

Frameworks and training records: board administrators see their own board's. Rounds, ratings,
directors' views, conversations and development goals are personal to the IB: board staff must
not see them, so in the admin only superusers do.

Issue 17 (the conversation cycle, the training track and the IB network): the board's settings
(the cycle, tracks and modules, the network, its themes and meetings) are kept by the board's
administrators here as in the portal, through the models' own validation. What the portal's
services guard (an IB's plans, enrolments and repayment agreements, attendance, uploaded
documents, the conversations themselves) is read-only: changed only in the portal, where its
rules, its versions and its history apply.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from schools.admin import (
    BoardScopedAdmin,
    ParentGovernedInline,
    SuperuserReadOnlyAdmin,
    admin_board_ids,
)

from .models import (
    AppraisalConversation,
    AssessmentRound,
    Cell,
    Conversation,
    ConversationPolicy,
    DirectorView,
    Framework,
    FrameworkColumn,
    FrameworkRow,
    Goal,
    GoalAction,
    HeatMapConsent,
    Level,
    ModulePlan,
    Network,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
    Rating,
    RepaymentAgreement,
    TrackEnrolment,
    Training,
    TrainingModule,
    TrainingTrack,
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


# ---------------------------------------------------------------------------------------------
# Issue 17: the conversation cycle, the training track, the IB network
# ---------------------------------------------------------------------------------------------


class BoardScopedReadOnlyAdmin(BoardScopedAdmin):
    """Rows of the board's people that only the portal's services write: the board's
    administrators (and superusers) look them up, nobody adds, changes or removes them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page, written only in the portal."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return True  # the parent's admin already limits who opens the page


@admin.register(ConversationPolicy)
class ConversationPolicyAdmin(BoardScopedAdmin):
    """The board's cycle: as on the portal's page (the model's limits apply)."""

    list_display = ["board", "functioning_years", "appraisal_years"]


@admin.register(AppraisalConversation)
class AppraisalConversationAdmin(BoardScopedReadOnlyAdmin):
    """Which conversations there are and how far they got, for support. The texts (both
    preparations, the report, the agreements and the IB's response) are read in the portal
    only, by the people its rules allow; a signed report is locked there."""

    list_display = ["ib", "director", "board", "kind", "date", "is_recorded", "is_signed"]
    list_select_related = ["ib", "director", "board"]
    list_filter = ["board", "kind"]
    date_hierarchy = "date"
    fields = [
        "ib",
        "director",
        "board",
        "kind",
        "date",
        "director_shared_at",
        "ib_shared_at",
        "recorded_at",
        "signed_at",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(boolean=True, description=_("report recorded"))
    def is_recorded(self, obj: AppraisalConversation) -> bool:
        return obj.is_recorded

    @admin.display(boolean=True, description=_("signed for reading"))
    def is_signed(self, obj: AppraisalConversation) -> bool:
        return obj.is_signed


@admin.register(HeatMapConsent)
class HeatMapConsentAdmin(SuperuserReadOnlyAdmin):
    """Given and withdrawn by the IB only; the board sees no one's consent (the heat map is
    anonymous)."""

    list_display = ["__str__", "given_at", "withdrawn_at"]
    readonly_fields = ["ib", "board", "given_at", "withdrawn_at"]


class TrainingModuleInline(ParentGovernedInline, admin.TabularInline):
    model = TrainingModule
    extra = 0
    # The competencies a module develops are chosen on the portal's page, which offers the
    # board's current frameworks only.
    fields = [
        "title",
        "provider",
        "hours",
        "in_working_time",
        "cost",
        "school_year",
        "is_required",
        "order",
    ]
    show_change_link = True

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Removing a module removes the IBs' plans of it: deactivate the track instead.
        return request.user.is_superuser


@admin.register(TrainingTrack)
class TrainingTrackAdmin(BoardScopedAdmin):
    list_display = ["name", "board", "kind", "is_mandatory", "first_year", "last_year", "is_active"]
    list_filter = ["board", "kind", "is_mandatory", "is_active"]
    search_fields = ["name"]
    inlines = [TrainingModuleInline]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Enrolments and plans refer to a track: make it inactive instead.
        return request.user.is_superuser


@admin.register(TrainingModule)
class TrainingModuleAdmin(BoardScopedAdmin):
    board_path = "track__board"
    list_display = ["title", "track", "hours", "cost", "school_year", "is_required"]
    list_filter = ["track", "is_required"]
    search_fields = ["title", "provider"]
    fields = [
        "track",
        "title",
        "provider",
        "hours",
        "in_working_time",
        "cost",
        "school_year",
        "is_required",
        "order",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.related_model is TrainingTrack:
            kwargs["queryset"] = TrainingTrack.objects.filter(board__in=admin_board_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


class RepaymentAgreementInline(ReadOnlyInline):
    model = RepaymentAgreement
    fields = ["repayment_percentages", "early_stop_percentage", "agreed_on"]
    readonly_fields = fields


@admin.register(TrackEnrolment)
class TrackEnrolmentAdmin(BoardScopedReadOnlyAdmin):
    """Started by the IB (with the agreement to a repayment scheme), stopped by board staff
    in the portal: the repayment depends on both."""

    list_display = ["ib", "track", "board", "started_on", "stopped_on"]
    list_filter = ["board", "track"]
    fields = ["ib", "board", "track", "started_on", "stopped_on", "stop_reason"]
    readonly_fields = fields
    inlines = [RepaymentAgreementInline]


@admin.register(ModulePlan)
class ModulePlanAdmin(BoardScopedReadOnlyAdmin):
    """The IB's own plan; the IB's note on it stays out."""

    list_display = ["module", "ib", "board", "planned_year", "planned_date", "training"]
    list_select_related = ["module", "ib", "board", "training"]
    list_filter = ["board", "module"]
    fields = ["ib", "board", "module", "planned_year", "planned_date", "training", "cost_taken"]
    readonly_fields = fields


@admin.register(Network)
class NetworkAdmin(BoardScopedAdmin):
    list_display = ["name", "board", "counts_as_training", "hours_per_meeting"]


@admin.register(NetworkTheme)
class NetworkThemeAdmin(BoardScopedAdmin):
    list_display = ["title", "board", "is_active"]
    list_filter = ["board", "is_active"]
    search_fields = ["title"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Meetings and documents would lose their theme: make it inactive instead.
        return request.user.is_superuser


class ThemeChoicesMixin:
    """A theme of the administrator's own boards (the model checks it is the row's board)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.related_model is NetworkTheme:
            kwargs["queryset"] = NetworkTheme.objects.filter(board__in=admin_board_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NetworkAttendanceInline(ReadOnlyInline):
    """Recorded on the portal's attendance list, whose rules (only the board's IBs, present
    and absent only after the meeting) and version apply there."""

    model = NetworkAttendance
    fields = ["ib", "status"]
    readonly_fields = fields


@admin.register(NetworkMeeting)
class NetworkMeetingAdmin(ThemeChoicesMixin, BoardScopedAdmin):
    list_display = ["date", "start_time", "board", "theme", "place", "attendance_count"]
    list_select_related = ["board", "theme"]
    list_filter = ["board", "theme"]
    date_hierarchy = "date"
    search_fields = ["place", "agenda"]
    inlines = [NetworkAttendanceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        from django.db.models import Count

        return super().get_queryset(request).annotate(attendance_rows=Count("attendances"))

    @admin.display(description=_("attendance recorded"), ordering="attendance_rows")
    def attendance_count(self, obj: NetworkMeeting) -> int:
        return obj.attendance_rows


@admin.register(NetworkDocument)
class NetworkDocumentAdmin(BoardScopedReadOnlyAdmin):
    """Uploads are checked (type, size, programs refused) and renamed by the portal, and a
    removed document's file goes with it there: documents change only in the portal."""

    list_display = ["title", "board", "theme", "added_at"]
    list_select_related = ["board", "theme"]
    list_filter = ["board", "theme"]
    search_fields = ["title"]
    fields = ["board", "title", "theme", "url", "file", "added_at"]
    readonly_fields = fields
