"""Forms of the development portfolio. Choices depend on the IB: their boards, their cells."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ModelMultipleChoiceField
from schools.models import Board

from .development import current_cells
from .models import Cell, Goal, GoalAction, Training
from .uploads import sanitise_certificate

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CellChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, cell: Cell) -> str:
        return f"{cell.framework.name}: {cell}"


class BoardChoiceMixin:
    """A board field only when the IB works for more than one board; else it is implied."""

    def setup_board(self, board_ids) -> None:
        boards = Board.objects.filter(id__in=board_ids).order_by("name")
        self.fields["board"].queryset = boards
        self.fields["board"].empty_label = None
        if len(board_ids) == 1 and not self.instance.board_id:
            self.instance.board_id = next(iter(board_ids))
        if len(board_ids) <= 1 or self.instance.pk:
            del self.fields["board"]


class GoalForm(BoardChoiceMixin, forms.ModelForm):
    cells = CellChoiceField(
        queryset=Cell.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Competencies"),
        help_text=_("The cells of your board's current competency frameworks this goal is about."),
    )

    class Meta:
        model = Goal
        fields = ["board", "title", "description", "cells", "due_date", "status", "evidence"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "due_date": DATE_WIDGET,
        }

    def __init__(self, *args, ib, board_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.ib = ib
        self.fields["board"].required = True
        self.setup_board(board_ids)
        scope_ids = [self.instance.board_id] if self.instance.board_id else board_ids
        self.fields["cells"].queryset = current_cells(scope_ids).order_by(
            "framework__name", "row__order", "column__order", "order", "id"
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        board = cleaned.get("board")
        if board is not None:
            wrong = [
                cell for cell in cleaned.get("cells", []) if cell.framework.board_id != board.pk
            ]
            if wrong:
                self.add_error("cells", _("Choose competencies of the board you chose."))
        return cleaned


class GoalActionForm(forms.ModelForm):
    class Meta:
        model = GoalAction
        fields = ["kind", "description", "due_date", "status", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3}), "due_date": DATE_WIDGET}

    def __init__(self, *args, goal: Goal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.goal = goal


class TrainingForm(BoardChoiceMixin, forms.ModelForm):
    certificate = forms.FileField(
        label=_("Certificate"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        help_text=_("A PDF, PNG or JPEG file. A new file replaces the current one."),
    )

    class Meta:
        model = Training
        fields = ["board", "course", "provider", "hours", "start_date", "end_date", "certificate"]
        localized_fields = ["hours"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        labels = {"hours": _("Hours")}
        help_texts = {
            "end_date": _(
                "The course counts as done, with its hours, from this day. Add the certificate "
                "once it has ended."
            )
        }

    def __init__(self, *args, ib, board_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.ib = ib
        self.setup_board(board_ids)

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if not upload or upload == self.instance.certificate:
            # Nothing new uploaded: keep the stored file.
            return self.instance.certificate
        return sanitise_certificate(upload)


class JudgementForm(forms.Form):
    judgement = forms.ChoiceField(
        label=_("Judgement"),
        choices=[
            (Training.Judgement.ACCEPTED, Training.Judgement.ACCEPTED.label),
            (Training.Judgement.FURTHER, Training.Judgement.FURTHER.label),
        ],
        widget=forms.RadioSelect,
    )
    judgement_note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required with 'further training needed': say which training."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("judgement") == Training.Judgement.FURTHER
            and not (cleaned.get("judgement_note") or "").strip()
        ):
            self.add_error("judgement_note", _("Say which further training is needed."))
        return cleaned
