from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.forms import ModelMultipleChoiceField
from core.names import surname_order
from core.versioning import VersionedFormMixin

from .imports import MAX_BYTES, ImportFileError, read_upload
from .models import (
    ONE_FTE,
    Appointment,
    Board,
    ImportBatch,
    Membership,
    Preference,
    Role,
    School,
    SchoolFigures,
    display_name,
)
from .services import ShareInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class PeopleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class BoardPolicyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Board
        fields = [
            "name",
            "hours_per_fte",
            "reserved_hours_per_fte",
            "min_ib_fte",
            "salary_scales",
            "norm_kind",
            "norm_pupils_per_fte",
            "norm_hours_per_group",
            "norm_week_hours_per_fte",
            "norm_lbbo_hours",
            "norm_lbbo_pupils",
            "norm_multi_school_fte",
            "norm_multi_school_max_pupils",
            "realisation_mid_year",
            "realisation_year_end",
            "shares_with_partnership",
            "retention_years",
        ]
        # Since issue 14 sharing also gives the partnership a copy of the agreed packages: the
        # board is told on the form (the model's help text stays, so no migration).
        help_texts = {
            "shares_with_partnership": _(
                "The partnership's staff then see this board's comparison of schools (IB fte, "
                "norms, hours per domain, package status) and a read-only copy of each task "
                "package agreed while the board shares (tasks and hours, without names or "
                "comments), as the SWV asks boards to send their IB task packages. Stopping "
                "hides every copy; a package agreed while not sharing stays private."
            )
        }
        localized_fields = [
            "hours_per_fte",
            "reserved_hours_per_fte",
            "min_ib_fte",
            "norm_hours_per_group",
            "norm_week_hours_per_fte",
            "norm_lbbo_hours",
            "norm_multi_school_fte",
        ]


class SchoolForm(VersionedFormMixin, forms.ModelForm):
    directors = PeopleChoiceField(
        label=_("Directors"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Directors of the board's schools. A new director's account is made by the board "
            "administrator."
        ),
    )

    class Meta:
        model = School
        fields = ["name", "brin", "location_code", "place", "partnership"]

    def __init__(self, *args, board: Board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.board = board
        self.fields["partnership"].queryset = board.partnerships.all()
        directors_of_board = Membership.objects.filter(
            role=Role.DIRECTOR, school__board=board
        ).values("user_id")
        self.fields["directors"].queryset = (
            get_user_model()
            .objects.filter(id__in=directors_of_board, is_active=True)
            .order_by(*surname_order())
        )
        if self.instance.pk:
            self.initial["directors"] = [user.pk for user in self.instance.directors]

    def clean_brin(self) -> str:
        return self.cleaned_data["brin"].strip().upper()


class SchoolFiguresForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SchoolFigures
        fields = ["pupils", "groups", "teachers"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The model allows unknown groups (imported pupil counts); a person gives both.
        self.fields["groups"].required = True


class AppointmentForm(VersionedFormMixin, forms.ModelForm):
    ib = PersonChoiceField(label=_("Intern begeleider"), queryset=get_user_model().objects.none())
    salary_scale = forms.ChoiceField(label=_("Salary scale"))

    class Meta:
        model = Appointment
        fields = ["ib", "kind", "salary_scale", "start_date", "end_date", "lead_school"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, board: Board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.board = board
        self.fields["ib"].queryset = (
            get_user_model()
            .objects.filter(memberships__role=Role.IB, memberships__board=board)
            .order_by(*surname_order())
        )
        codes = board.salary_scale_codes
        if self.instance.salary_scale and self.instance.salary_scale not in codes:
            codes = [self.instance.salary_scale, *codes]
        self.fields["salary_scale"].choices = [("", "---------")] + [(c, c) for c in codes]
        self.fields["lead_school"].queryset = board.schools.all()
        self.fields["lead_school"].required = False


class ShareForm(forms.Form):
    """One row of the shares table; rendered by hand, so the widgets carry Bootstrap classes."""

    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    fte = forms.DecimalField(
        label=_("fte"),
        max_digits=5,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        max_value=ONE_FTE,
        localize=True,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal", "size": 6}),
        # Django's messages would show the limits as "0.0001" and "1.0", not in Dutch.
        error_messages={
            "min_value": _("A share is more than 0 fte."),
            "max_value": _("A share is at most 1 fte (full time)."),
            "max_decimal_places": _("Give the fte with at most four decimals, e.g. 0,4375."),
        },
    )

    def __init__(self, *args, board: Board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = board.schools.all()


class BaseShareFormSet(forms.BaseFormSet):
    def shares(self) -> list[ShareInput]:
        """The shares the user kept: filled-in rows that are not marked for deletion."""
        result = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("school"):
                continue
            result.append(ShareInput(school=data["school"], fte=data["fte"]))
        return result


# absolute_max: a tampered TOTAL_FORMS builds no more than 20 forms (Django's default is 1,020).
ShareFormSet = forms.formset_factory(
    ShareForm,
    formset=BaseShareFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
    absolute_max=20,
)


def share_formset(*, board: Board, appointment: Appointment | None, data=None) -> BaseShareFormSet:
    initial = (
        [{"school": share.school, "fte": share.fte.normalize()} for share in appointment.share_list]
        if appointment is not None and appointment.pk
        else []
    )
    return ShareFormSet(data=data, initial=initial, prefix="shares", form_kwargs={"board": board})


class AppointmentEndForm(forms.Form):
    end_date = forms.DateField(label=_("Last working day"), widget=DATE_WIDGET)


class ImportUploadForm(forms.Form):
    """A DUO or groups file: refused as a whole (with the reason) unless it can be read."""

    kind = forms.ChoiceField(
        label=_("Kind of file"),
        # Staff files from HR have their own page (HrUploadForm).
        choices=[c for c in ImportBatch.Kind.choices if c[0] != ImportBatch.Kind.STAFF],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV file, separated by semicolons or commas, UTF-8 or Latin-1, at most 50 MB. "
            "DUO's national files can be uploaded as they are: only your board's schools are "
            "read."
        ),
    )

    def __init__(self, *args, board=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.board = board

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            error = ImportFileError("too_large", max=MAX_BYTES // (1024 * 1024))
            raise forms.ValidationError(error.message, code=error.code)
        if not upload.name.lower().endswith((".csv", ".txt")):
            error = ImportFileError("wrong_type")
            raise forms.ValidationError(error.message, code=error.code)
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is not None and kind:
            upload.seek(0)
            try:
                # Streamed from the upload (memory or a temporary file), never read whole.
                cleaned["reading"] = read_upload(
                    upload.file, kind, filename=upload.name, board=self.board
                )
            except ImportFileError as error:
                self.add_error("file", forms.ValidationError(error.message, code=error.code))
        return cleaned


class HrUploadForm(forms.Form):
    """A staff export of the HR system (schools/hr_import.py), CSV or XLSX."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel file (.xlsx) or a CSV file (semicolons or commas), at most 5 MB."),
    )
    full = forms.BooleanField(
        label=_("This file lists all staff of the board"),
        required=False,
        # Off unless asked for: ticked by mistake with a partial file, it would end everyone
        # missing from it. The preview lists by name whom it ends.
        initial=False,
        help_text=_(
            "Then people who were imported before and are not in this file have left: their "
            "appointments and roles are ended (never deleted). Leave it unticked for a file "
            "with only some of the staff."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            error = ImportFileError("too_large", max=MAX_BYTES // (1024 * 1024))
            raise forms.ValidationError(error.message, code=error.code)
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            error = ImportFileError("hr_wrong_type")
            raise forms.ValidationError(error.message, code=error.code)
        return upload

    def clean(self) -> dict:
        from .hr_import import read_hr_file

        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            content = upload.read()
            try:
                cleaned["records"] = read_hr_file(
                    content, full=cleaned.get("full", False), filename=upload.name
                )
            except ImportFileError as error:
                self.add_error("file", forms.ValidationError(error.message, code=error.code))
            else:
                cleaned["content"] = content
        return cleaned


class PreferenceForm(VersionedFormMixin, forms.ModelForm):
    """The user's own settings (no other user's: the view always edits ``request.user``'s)."""

    class Meta:
        model = Preference
        fields = ["weekly_digest"]
