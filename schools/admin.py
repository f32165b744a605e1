"""Django admin for every model: superusers see everything, board administrators their board."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    Appointment,
    AppointmentShare,
    Board,
    DevelopmentPoint,
    HrRecord,
    ImportBatch,
    Invitation,
    Membership,
    Partnership,
    Preference,
    School,
    SchoolFigures,
    SchoolYear,
    SecurityEvent,
    SingleSignOn,
    get_scope,
)
from .own_hours import OwnHours
from .services import ShareInput, validate_shares

User = get_user_model()


def admin_board_ids(request: HttpRequest) -> frozenset[int]:
    return get_scope(request.user).admin_board_ids


class BoardScopedAdmin(admin.ModelAdmin):
    """Limits rows and choices to the boards the user administers (superusers: everything).

    ``board_path`` is the lookup from the model to its board, e.g. ``"school__board"``.
    """

    board_path = "board"

    def scope_filter(self, request: HttpRequest) -> Q:
        return Q(**{f"{self.board_path}__in": admin_board_ids(request)})

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(self.scope_filter(request)).distinct()

    def _is_board_admin(self, request: HttpRequest) -> bool:
        return bool(admin_board_ids(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._is_board_admin(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser or self._is_board_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._is_board_admin(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser or self._is_board_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser or self._is_board_admin(request)

    def get_list_filter(self, request: HttpRequest):
        """A filter on a related model (a board, a partnership) offers only the values of the
        rows the user sees: Django's default lists every board in the database."""
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [
            (name, admin.RelatedOnlyFieldListFilter)
            if isinstance(name, str)
            and "__" not in name
            and self.model._meta.get_field(name).is_relation
            else name
            for name in filters
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            limited = scoped_choices(db_field.related_model, request)
            if limited is not None:
                kwargs["queryset"] = limited
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def scoped_choices(model, request: HttpRequest) -> QuerySet | None:
    boards = admin_board_ids(request)
    if model is Board:
        return Board.objects.filter(id__in=boards)
    if model is School:
        return School.objects.filter(board_id__in=boards)
    if model is Partnership:
        return Partnership.objects.filter(boards__in=boards).distinct()
    if model is Appointment:
        return Appointment.objects.filter(board_id__in=boards)
    if model is User:
        return board_users(boards)
    return None


def board_users(boards: frozenset[int]) -> QuerySet:
    member_ids = Membership.objects.filter(
        Q(board_id__in=boards) | Q(school__board_id__in=boards)
    ).values("user_id")
    return User.objects.filter(id__in=member_ids)


@admin.register(Partnership)
class PartnershipAdmin(BoardScopedAdmin):
    board_path = "boards"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Board)
class BoardAdmin(BoardScopedAdmin):
    board_path = "id"
    list_display = ["name", "number", "hours_per_fte", "reserved_hours_per_fte", "min_ib_fte"]
    search_fields = ["name", "number"]
    filter_horizontal = ["partnerships"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(id__in=admin_board_ids(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return () if request.user.is_superuser else ("number", "partnerships")


class ParentGovernedInline:
    """An inline whose rights follow its parent admin: whoever may open the parent's page
    (already limited to their board) may edit these rows too."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return True

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return True

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return True

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return True


class SchoolFiguresInline(ParentGovernedInline, admin.TabularInline):
    model = SchoolFigures
    extra = 0


@admin.register(School)
class SchoolAdmin(BoardScopedAdmin):
    list_display = ["name", "brin", "location_code", "place", "board", "partnership"]
    list_filter = ["board", "partnership"]
    search_fields = ["name", "brin", "place"]
    inlines = [SchoolFiguresInline]


@admin.register(SchoolYear)
class SchoolYearAdmin(BoardScopedAdmin):
    list_display = ["name", "start_year"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return admin.ModelAdmin.get_queryset(self, request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(SchoolFigures)
class SchoolFiguresAdmin(BoardScopedAdmin):
    board_path = "school__board"
    list_display = ["school", "school_year", "pupils", "groups", "teachers"]
    list_filter = ["school_year"]


@admin.register(ImportBatch)
class ImportBatchAdmin(BoardScopedAdmin):
    """Imports are made and processed in the portal only; the admin shows them for support."""

    list_display = ["filename", "kind", "board", "user", "created_at", "committed_at"]
    list_filter = ["kind", "board"]
    search_fields = ["filename", "sha256"]
    fields = [
        "board",
        "user",
        "kind",
        "filename",
        "sha256",
        "created_at",
        "committed_at",
        "actions",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class MembershipChoicesMixin:
    """A board administrator gives roles only at their own boards, never partnership roles."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "partnership":
                kwargs["queryset"] = Partnership.objects.none()
            else:
                limited = scoped_choices(db_field.related_model, request)
                if limited is not None:
                    kwargs["queryset"] = limited
        # Straight to Django's own: BoardScopedAdmin would widen the partnership choices again.
        return admin.options.BaseModelAdmin.formfield_for_foreignkey(
            self, db_field, request, **kwargs
        )


class MembershipInline(ParentGovernedInline, MembershipChoicesMixin, admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 1
    fields = ["role", "board", "school", "partnership"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        boards = admin_board_ids(request)
        return qs.filter(Q(board_id__in=boards) | Q(school__board_id__in=boards))

    def get_min_num(self, request: HttpRequest, obj=None, **kwargs) -> int:
        # A board administrator's new user needs a role in their board, or they could not
        # find the account again.
        return 0 if request.user.is_superuser else 1


@admin.register(Membership)
class MembershipAdmin(MembershipChoicesMixin, BoardScopedAdmin):
    list_display = ["user", "role", "board", "school", "partnership"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def scope_filter(self, request: HttpRequest) -> Q:
        boards = admin_board_ids(request)
        return Q(board_id__in=boards) | Q(school__board_id__in=boards)


class AppointmentShareFormSet(BaseInlineFormSet):
    """The share rules of ``appointment_save`` (1 fte, the board's schools, a tie's leading
    school), so the admin cannot store what the portal refuses."""

    def clean(self) -> None:
        super().clean()
        appointment = self.instance
        if any(self.errors) or not (
            appointment.ib_id and appointment.board_id and appointment.start_date
        ):
            return  # the appointment's own fields are wrong; Django shows those errors first
        shares = [
            ShareInput(school=form.cleaned_data["school"], fte=form.cleaned_data["fte"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # The admin saves in the transaction this check runs in: the IB's row lock (as in
        # appointment_save) keeps two simultaneous saves from both passing the 1 fte check.
        User.objects.select_for_update().filter(pk=appointment.ib_id).first()
        try:
            validate_shares(appointment, shares)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class AppointmentShareInline(ParentGovernedInline, admin.TabularInline):
    model = AppointmentShare
    formset = AppointmentShareFormSet
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.name == "school":
            kwargs["queryset"] = School.objects.filter(board_id__in=admin_board_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OwnHoursInline(ParentGovernedInline, admin.TabularInline):
    model = OwnHours
    extra = 0
    fields = ["kind", "label", "hours", "start_year", "end_year"]


@admin.register(Appointment)
class AppointmentAdmin(BoardScopedAdmin):
    list_display = ["ib", "board", "kind", "salary_scale", "start_date", "end_date"]
    list_filter = ["board", "kind"]
    search_fields = ["ib__username", "ib__first_name", "ib__last_name"]
    inlines = [AppointmentShareInline, OwnHoursInline]
    readonly_fields = ["created_at", "updated_at"]


class SuperuserReadOnlyAdmin(admin.ModelAdmin):
    """Rows the portal writes itself: superusers may look, nobody adds, changes or removes."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(SuperuserReadOnlyAdmin):
    """Each user's own settings: only the user changes them, on "Instellingen"."""

    list_display = ["user", "weekly_digest", "digest_sent_at"]
    list_filter = ["weekly_digest"]
    readonly_fields = ["user", "weekly_digest", "digest_sent_at"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(SuperuserReadOnlyAdmin):
    """Sign-ins, exports and imports (board administrators read their board's on its own
    page)."""

    list_display = ["at", "kind", "user_id", "network"]
    list_filter = ["kind"]
    readonly_fields = ["user", "kind", "at", "network", "detail"]


@admin.register(HrRecord)
class HrRecordAdmin(SuperuserReadOnlyAdmin):
    """Personnel numbers from the HR import (board administrators see them on the staff page)."""

    list_display = ["personnel_number", "board", "user", "ended_on", "imported_at"]
    list_filter = ["board"]
    readonly_fields = ["board", "personnel_number", "user", "function", "ended_on", "imported_at"]


@admin.register(Invitation)
class InvitationAdmin(SuperuserReadOnlyAdmin):
    """Invitations (board administrators send them from the staff page)."""

    list_display = ["user", "board", "sent_at", "times_sent", "accepted_at"]
    list_filter = ["board"]
    readonly_fields = ["user", "board", "invited_by", "sent_at", "times_sent", "accepted_at"]


class ScopedUserAdmin(UserAdmin):
    """Users: a board administrator manages the people of their board, without any admin rights."""

    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(id__in=board_users(admin_board_ids(request)).values("id"))

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return (
            (None, {"fields": ("username", "password")}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
            (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if request.user.is_superuser:
            return ()
        return ("last_login", "date_joined")

    def _is_board_admin(self, request: HttpRequest) -> bool:
        return bool(admin_board_ids(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._is_board_admin(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser or self._is_board_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._is_board_admin(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return request.user.is_superuser or self._is_board_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.register(User, ScopedUserAdmin)


@admin.register(DevelopmentPoint)
class DevelopmentPointAdmin(BoardScopedAdmin):
    board_path = "school__board"
    list_display = ["title", "school", "source", "start_year", "end_year", "status"]
    list_filter = ["source", "status"]
    search_fields = ["title", "school__name"]


class SingleSignOnForm(forms.ModelForm):
    """The client secret is written, never shown back: empty on a change keeps the current one."""

    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Not shown again once saved. Leave empty to keep the current secret."),
    )

    class Meta:
        model = SingleSignOn
        fields = [
            "board",
            "kind",
            "label",
            "issuer",
            "client_id",
            "client_secret",
            "enabled",
            "required",
        ]

    def clean_client_secret(self) -> str:
        """The new secret, or "" to keep the stored one (encrypted; never decrypted here)."""
        secret = self.cleaned_data.get("client_secret", "")
        if secret or (self.instance.pk and self.instance.client_secret_encrypted):
            return secret
        raise ValidationError(_("Enter the client secret the provider gave."))

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("client_secret"):
            # Not a model field: the model encrypts it as it is set.
            self.instance.client_secret = cleaned["client_secret"]
        return cleaned


@admin.register(SingleSignOn)
class SingleSignOnAdmin(BoardScopedAdmin):
    """A board's sign-in with the school account, set up by its administrator (or IT partner).

    The provider's redirect URI to register is shown on the page (the portal's callback)."""

    form = SingleSignOnForm
    list_display = ["__str__", "board", "kind", "issuer", "enabled", "required"]
    list_filter = ["kind", "enabled", "required"]
    readonly_fields = ["redirect_uri"]

    @admin.display(description=_("redirect URI to register at the provider"))
    def redirect_uri(self, obj=None) -> str:
        from django.conf import settings
        from django.urls import reverse

        return settings.SITE_URL.rstrip("/") + reverse("sso_callback")
