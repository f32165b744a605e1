"""Forms of the self-assessment: one form for all cells of a round, and the conversation.

The cell form takes the cells and levels already loaded by the view, so rendering and
validating it costs no queries however many cells the framework has.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin

from .models import Cell, Conversation, Level

# The inputs sit in the table's cells; they belong to the one form below the table.
FORM_ATTR = {"form": "cells-form"}


class CellLevelsForm(VersionedFormMixin, forms.Form):
    """A level and a text per cell: the IB's evidence, or the director's note."""

    text_label = _("Evidence")

    def __init__(
        self,
        data=None,
        *,
        cells: list[Cell],
        levels: list[Level],
        initial_by_cell: dict[int, tuple[Level | None, str]] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(data, **kwargs)
        self.cells = cells
        self.levels_by_id = {level.pk: level for level in levels}
        choices = [("", _("(not chosen)")), *((level.pk, str(level)) for level in levels)]
        for cell in cells:
            level, text = (initial_by_cell or {}).get(cell.pk, (None, ""))
            self.fields[f"level_{cell.pk}"] = forms.TypedChoiceField(
                label=_("Level"),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=level.pk if level else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm", **FORM_ATTR}),
            )
            self.fields[f"text_{cell.pk}"] = forms.CharField(
                label=self.text_label,
                required=False,
                max_length=4000,
                initial=text,
                widget=forms.Textarea(
                    attrs={"rows": 2, "class": "form-control form-control-sm", **FORM_ATTR}
                ),
            )

    def difference_label(self, name: str, field: forms.Field) -> str:
        """ "Role / context: Level" for the field ``level_<cell id>`` (stale notices)."""
        cell_id = int(name.rpartition("_")[2])
        cell = next(cell for cell in self.cells if cell.pk == cell_id)
        return f"{cell}: {field.label}"

    def cell_data(self) -> dict[int, tuple[Level | None, str]]:
        return {
            cell.pk: (
                self.levels_by_id.get(self.cleaned_data[f"level_{cell.pk}"]),
                self.cleaned_data[f"text_{cell.pk}"],
            )
            for cell in self.cells
        }


class RatingsForm(CellLevelsForm):
    text_label = _("Evidence")


class DirectorViewsForm(CellLevelsForm):
    text_label = _("Your note")


class ConversationForm(forms.ModelForm):
    class Meta:
        model = Conversation
        fields = ["date", "agreements"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agreements": forms.Textarea(attrs={"rows": 3}),
        }
