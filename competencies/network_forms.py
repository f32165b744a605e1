"""Forms of the board's IB network. Every edit form carries the object's version."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin
from schools.models import Board, display_name

from .network import sanitise_document
from .network_models import (
    Network,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class NetworkForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "description", "counts_as_training", "hours_per_meeting"]
        localized_fields = ["hours_per_meeting"]
        # Django's messages would show the model's limits as "0.5", not in Dutch.
        error_messages = {
            "hours_per_meeting": {
                "invalid": _("Give the hours as a number, e.g. 12,5."),
                "min_value": _("Give at least half an hour."),
                "max_value": _("At most 24 hours per meeting."),
                "max_digits": _("At most 24 hours per meeting."),
                "max_whole_digits": _("At most 24 hours per meeting."),
                "max_decimal_places": _("Give hours with at most one decimal."),
            }
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ThemeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = NetworkTheme
        fields = ["title", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, board: Board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.board = board

    def validate_unique(self) -> None:
        # The board is set on the instance, not a field, so Django leaves the (board, title)
        # constraint out: check it here, with the board.
        super().validate_unique()
        exclude = self._get_validation_exclusions() - {"board"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class ThemeChoiceMixin:
    def setup_theme(self, board: Board) -> None:
        themes = NetworkTheme.objects.filter(board=board)
        if self.instance.theme_id:
            themes = themes.filter(is_active=True) | themes.filter(pk=self.instance.theme_id)
        else:
            themes = themes.filter(is_active=True)
        self.fields["theme"].queryset = themes.order_by("title")


class MeetingForm(ThemeChoiceMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = NetworkMeeting
        fields = ["date", "start_time", "end_time", "place", "theme", "agenda", "minutes"]
        widgets = {
            "date": DATE_WIDGET,
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, board: Board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.board = board
        self.setup_theme(board)


class DocumentForm(ThemeChoiceMixin, VersionedFormMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("A web address, e.g. of a shared folder or a publication."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx"}),
        help_text=_("A PDF, image, Word, Excel or PowerPoint file; or give a link instead."),
    )

    class Meta:
        model = NetworkDocument
        fields = ["title", "theme", "url", "file"]

    def __init__(self, *args, board: Board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.board = board
        self.setup_theme(board)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or upload == self.instance.file:
            return self.instance.file
        return sanitise_document(upload)

    def clean(self) -> dict:
        cleaned = super().clean()
        url, upload = cleaned.get("url"), self.files.get(self.add_prefix("file"))
        if url and upload:
            self.add_error(None, _("Give either a link or a file, not both."))
        elif not url and not upload and not self.instance.file:
            self.add_error(None, _("Give a link or upload a file."))
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        # The form checks the link-or-file rule itself, on what was posted (a refused upload
        # included, and a link that replaces a stored file): the model's copy of the rule would
        # repeat the message, or give the wrong one.
        errors = self._errors.get(NON_FIELD_ERRORS) if self._errors else None
        if errors:
            kept = [e for e in errors.as_data() if e.code != "link_or_file"]
            if kept:
                self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield")
            else:
                del self._errors[NON_FIELD_ERRORS]


STATUS_CHOICES = [("", _("not recorded")), *NetworkAttendance.Status.choices]


class AttendanceForm(VersionedFormMixin, forms.Form):
    """One choice per IB of the board: present, excused, absent or not recorded."""

    def __init__(self, *args, meeting: NetworkMeeting, ibs, **kwargs) -> None:
        super().__init__(*args, version=meeting.lock_version, **kwargs)
        current = {row.ib_id: row.status for row in meeting.attendances.all()}
        self.ibs = list(ibs)
        for ib in self.ibs:
            self.fields[f"ib_{ib.pk}"] = forms.ChoiceField(
                label=display_name(ib),
                choices=STATUS_CHOICES,
                required=False,
                initial=current.get(ib.pk, ""),
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def statuses(self) -> dict[int, str]:
        return {ib.pk: self.cleaned_data.get(f"ib_{ib.pk}") or "" for ib in self.ibs}

    def rows(self):
        return [(ib, self[f"ib_{ib.pk}"]) for ib in self.ibs]
