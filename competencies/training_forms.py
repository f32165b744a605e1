"""Forms of the training offer and of an IB's track. Choices depend on the board and the IB."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin

from .development import current_cells
from .development_forms import DATE_WIDGET, CellChoiceField
from .models import Cell, Training
from .training_models import ModulePlan, TrainingModule, TrainingTrack


def year_choices(years) -> list[tuple[str, str]]:
    return [("", "—"), *((str(year), f"{year}-{year + 1}") for year in years)]


class TrackForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = TrainingTrack
        fields = [
            "name",
            "kind",
            "description",
            "is_mandatory",
            "first_year",
            "last_year",
            "repayment_percentages",
            "early_stop_percentage",
            "source",
            "is_active",
        ]
        localized_fields = ["early_stop_percentage"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.board = board


class ModuleForm(VersionedFormMixin, forms.ModelForm):
    cells = CellChoiceField(
        queryset=Cell.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Competencies it develops"),
        help_text=_("Indicators of the board's current competency frameworks."),
    )

    class Meta:
        model = TrainingModule
        fields = [
            "title",
            "provider",
            "hours",
            "in_working_time",
            "cost",
            "school_year",
            "is_required",
            "cells",
            "order",
        ]
        localized_fields = ["hours", "cost"]

    def __init__(self, *args, track: TrainingTrack, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.track = track
        self.fields["school_year"] = forms.TypedChoiceField(
            label=_("School year"),
            choices=year_choices(track.years),
            coerce=int,
            empty_value=None,
            required=False,
            help_text=self.fields["school_year"].help_text,
        )
        self.fields["cells"].queryset = current_cells([track.board_id]).order_by(
            "framework__name", "row__order", "column__order", "order", "id"
        )


class PlanForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ModulePlan
        fields = ["planned_year", "planned_date", "training", "note"]
        widgets = {"planned_date": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, module: TrainingModule, ib, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.ib = ib
        self.instance.module = module
        self.instance.board_id = module.track.board_id
        self.fields["planned_year"] = forms.TypedChoiceField(
            label=_("Planned school year"),
            choices=year_choices(module.track.years),
            coerce=int,
            empty_value=None,
            required=False,
        )
        # The IB's own records of this board that no other module claims.
        trainings = Training.objects.filter(ib=ib, board_id=module.track.board_id).filter(
            module_plan__isnull=True
        )
        if self.instance.training_id:
            trainings = trainings | Training.objects.filter(pk=self.instance.training_id)
        self.fields["training"].queryset = trainings.order_by("-start_date", "id")
        self.fields["training"].label = _("Done as training record")
        self.fields["training"].help_text = _(
            "Link the training record (with its certificate) that shows you took this module."
        )


class EnrolForm(forms.Form):
    started_on = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    agree = forms.BooleanField(
        label=_("I agree to the board's repayment scheme for this track."), required=False
    )


class StopForm(VersionedFormMixin, forms.Form):
    stopped_on = forms.DateField(label=_("Stopped on"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
