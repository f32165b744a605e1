import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from competencies.models import Cell, Framework
from core.forms import (
    ModelMultipleChoiceField,
    PlainHiddenInput,
    PlainTextarea,
    PlainTextInput,
)
from core.versioning import VersionedFormMixin

from .models import CatalogueTask, Domain, PackageItem


class CellChoiceField(ModelMultipleChoiceField):
    """Framework cells, each labelled "framework: row / column" (so grouped per framework)."""

    def label_from_instance(self, cell) -> str:
        return f"{cell.framework.name}: {cell}"


class CatalogueTaskForm(VersionedFormMixin, forms.ModelForm):
    cells = CellChoiceField(
        label=_("Competencies it draws on"),
        queryset=Cell.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The cells of the board's competency frameworks this task asks of the IB."),
    )

    class Meta:
        model = CatalogueTask
        fields = [
            "title",
            "description",
            "domain",
            "unit",
            "default_hours",
            "source",
            "is_ib_task",
            "not_ib_reason",
            "usual_role",
            "concerns_partnership",
            "cells",
        ]
        localized_fields = ["default_hours"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "not_ib_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.board = board
        # The same field (and Dutch messages) as the hours of a package's task.
        default_hours = self.fields["default_hours"]
        self.fields["default_hours"] = HoursField(
            label=default_hours.label,
            initial=default_hours.initial,
            help_text=default_hours.help_text,
        )
        self.fields["domain"].queryset = Domain.objects.all()
        self.fields["domain"].empty_label = None
        # The three LBBO domains and the general school duties outside them.
        self.fields["domain"].label = _("Domain")
        self.fields["cells"].queryset = task_cells(board, self.instance)
        # Not sent (an older form, a script): hours per school year, as before units existed.
        self.fields["unit"].required = False

    def clean_unit(self) -> str:
        return self.cleaned_data.get("unit") or CatalogueTask.Unit.YEAR


def task_cells(board, task: CatalogueTask):
    """Cells of the board's current, active frameworks, plus those the task already names
    (a framework may have a newer version since; saving must not drop the old links)."""
    current = Framework.objects.filter(board=board, is_active=True).current()
    condition = Q(framework__in=current)
    if task.pk:
        condition |= Q(tasks=task)
    return (
        Cell.objects.filter(condition)
        .distinct()
        .select_related("framework", "row", "column")
        .order_by("framework__name", "framework_id", "row__order", "column__order", "order", "id")
    )


class CatalogueFilterForm(forms.Form):
    """Search and filter for the catalogue list (GET)."""

    q = forms.CharField(required=False, max_length=100)
    domein = forms.ModelChoiceField(
        queryset=Domain.objects.all(), required=False, to_field_name="code"
    )
    inactief = forms.BooleanField(required=False)


# ---------------------------------------------------------------------------
# Task packages
# ---------------------------------------------------------------------------


# "12", "12,5", "12.5", ",5", "-5" (refused by the minimum, with its own message).
HOURS_TEXT = re.compile(r"-?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)", re.ASCII)


class HoursField(forms.DecimalField):
    """Hours per year as a user types them: Dutch decimals ("12,5"), one decimal, more than 0.

    The budget check is the service's (``validate_hours``); this only refuses what is no
    number of hours at all.
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Hours"))
        super().__init__(
            localize=True,
            max_digits=None,
            decimal_places=1,
            min_value=Decimal("0.1"),
            max_value=Decimal("1659"),
            error_messages={
                "required": _("Give the number of hours."),
                "invalid": _("Give the hours as a number, e.g. 12,5."),
                "min_value": _("Hours must be more than 0."),
                "max_value": _(
                    "At most %(limit_value)s hours: that is a whole year of full-time work."
                ),
                "max_decimal_places": _("Give hours with at most one decimal."),
            },
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        """Only digits with one decimal comma (or point): Python's Decimal also reads "1e3",
        "Infinity" or "1_000", which no one means as hours."""
        if isinstance(value, str) and value.strip() and not HOURS_TEXT.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class LockForm(forms.Form):
    """Every change carries the ``lock_version`` its page was built on (optimistic locking)."""

    lock_version = forms.IntegerField(
        min_value=0,
        widget=PlainHiddenInput,
        error_messages={
            "required": _("The form is incomplete; reload the page and try again."),
            "invalid": _("The form is incomplete; reload the page and try again."),
        },
    )


class ItemEditForm(forms.Form):
    """The hours and note of one task to add: a catalogue row's or the director's own."""

    # Plain widgets: the catalogue lists a row per task.
    hours = HoursField(widget=PlainTextInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=PlainTextInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs["class"] = "form-control form-control-sm hours-input"
        self.fields["note"].widget.attrs["class"] = "form-control form-control-sm"


class CatalogueItemForm(ItemEditForm):
    """Add a task of the board's catalogue; ``tasks`` are the ones that may be picked."""

    task = forms.ModelChoiceField(
        queryset=CatalogueTask.objects.none(),
        widget=PlainHiddenInput,
        error_messages={"invalid_choice": _("Choose an active task of the board's catalogue.")},
    )

    def __init__(self, *args, tasks: QuerySet[CatalogueTask], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks


class OwnItemForm(ItemEditForm):
    """A task of the director's own, not from the catalogue (its fields prefixed ``own-``)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    domain = forms.ModelChoiceField(
        label=_("Domain"), queryset=Domain.objects.all(), empty_label=None
    )
    field_order = ["title", "domain", "hours", "note"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "own")
        super().__init__(*args, **kwargs)
        # A card of its own, not a table row: full-size inputs, tied to the sheet's form.
        for name in self.fields:
            self.fields[name].widget.attrs["form"] = "sheet"
        for name in ("hours", "note"):
            self.fields[name].widget.attrs["class"] = "form-control"


def catalogue_hours_field(task_pk: int) -> str:
    """The name of a catalogue row's hours input in the sheet (one form holds every row)."""
    return f"task_hours_{task_pk}"


@dataclass
class SheetRow:
    """One task of the sheet as the page shows it: the values in its inputs and its errors."""

    item: PackageItem
    hours: str
    note: str
    saved_hours: str
    saved_note: str
    errors: list[str] = field(default_factory=list)

    @property
    def hours_name(self) -> str:
        return SheetForm.hours_field(self.item.pk)

    @property
    def note_name(self) -> str:
        return SheetForm.note_field(self.item.pk)

    @property
    def changed(self) -> bool:
        return (self.hours, self.note) != (self.saved_hours, self.saved_note)


def shown_hours(hours: Decimal) -> str:
    """12.5 -> "12,5", 40.0 -> "40": hours as an input shows them, in the user's language."""
    if hours == hours.to_integral_value():
        hours = hours.quantize(Decimal("1"))
    return str(formats.localize_input(hours))


# One field of each kind checks every row of the sheet (outside the form class: fields there
# would become fields of the form).
ROW_HOURS = HoursField()
ROW_NOTE = forms.CharField(
    max_length=500,
    required=False,
    error_messages={"max_length": _("A note has at most %(limit_value)d characters.")},
)


class SheetForm(LockForm):
    """The director's package sheet: the hours and note of every task, saved at once.

    The rows are plain inputs named ``hours_<item>`` and ``note_<item>`` (no form or widget
    per row: a sheet has dozens); one field of each kind validates every row's value. A row
    missing from the post (a task added after the page was loaded) counts as unchanged.
    """

    comment = forms.CharField(
        label=_("Comment for the IB"),
        required=False,
        max_length=2000,
        widget=PlainTextarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, items: list[PackageItem], **kwargs) -> None:
        kwargs.setdefault("auto_id", "submit-%s")
        super().__init__(*args, **kwargs)
        self.items = items
        self.row_errors: dict[int, list[str]] = {}
        self.values: dict[int, tuple[Decimal, str]] = {}

    @staticmethod
    def hours_field(item_pk: int) -> str:
        return f"hours_{item_pk}"

    @staticmethod
    def note_field(item_pk: int) -> str:
        return f"note_{item_pk}"

    def clean(self) -> dict:
        cleaned = super().clean()
        for item in self.items:
            hours = self.data.get(self.hours_field(item.pk))
            note = self.data.get(self.note_field(item.pk))
            if hours is None and note is None:
                continue
            errors = []
            try:
                clean_hours = ROW_HOURS.clean(hours)
            except ValidationError as error:
                errors.extend(error.messages)
            try:
                clean_note = ROW_NOTE.clean(note if note is not None else item.note)
            except ValidationError as error:
                errors.extend(error.messages)
            if errors:
                self.row_errors[item.pk] = errors
            else:
                self.values[item.pk] = (clean_hours, clean_note.strip())
        if self.row_errors:
            raise ValidationError(
                ngettext_lazy(
                    "Nothing has been saved: correct the task marked below.",
                    "Nothing has been saved: correct the %(count)d tasks marked below.",
                    "count",
                )
                % {"count": len(self.row_errors)}
            )
        return cleaned

    def changes(self) -> dict[int, tuple[Decimal, str]]:
        """{item id: (hours, note)} of the rows whose values differ from the saved ones."""
        saved = {item.pk: (item.hours, item.note) for item in self.items}
        return {pk: values for pk, values in self.values.items() if values != saved[pk]}

    def add_row_error(self, item_pk: int, message: str) -> None:
        self.row_errors.setdefault(item_pk, []).append(message)

    def rows(self, items: list[PackageItem] | None = None) -> list[SheetRow]:
        """Every item's row: the posted values when bound (kept on a refusal), else the saved
        ones; ``items`` as stored now (after a conflict they differ from the user's page)."""
        rows = []
        for item in self.items if items is None else items:
            saved_hours, saved_note = shown_hours(item.hours), item.note
            hours = self.data.get(self.hours_field(item.pk)) if self.is_bound else None
            note = self.data.get(self.note_field(item.pk)) if self.is_bound else None
            rows.append(
                SheetRow(
                    item=item,
                    hours=saved_hours if hours is None else hours,
                    note=saved_note if note is None else note,
                    saved_hours=saved_hours,
                    saved_note=saved_note,
                    errors=self.row_errors.get(item.pk, []),
                )
            )
        return rows


class CommentForm(LockForm):
    """Submitting or reopening: an optional comment that goes into the history."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(CommentForm):
    """The IB's review: a comment per task, an overall comment, accept or return."""

    ACCEPT = "accept"
    RETURN = "return"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return"))],
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose whether you accept or return the package.")},
    )
    # Only asked when the package is over budget; the service refuses an unconfirmed accept.
    confirm_over_budget = forms.BooleanField(
        label=_("I agree to this package although it is over the budget"), required=False
    )

    def __init__(self, *args, items: list[PackageItem], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = _("Overall comment")
        self.item_ids = [item.pk for item in items]
        for item in items:
            self.fields[self.item_field(item.pk)] = forms.CharField(
                label=_("Your comment on “%(task)s”") % {"task": item.title},
                required=False,
                max_length=2000,
                initial=item.ib_comment,
                widget=forms.Textarea(
                    attrs={
                        "rows": 2,
                        "form": "review-form",
                        "class": "form-control form-control-sm",
                    }
                ),
            )

    @staticmethod
    def item_field(item_pk: int) -> str:
        return f"item_{item_pk}"

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT

    def item_comments(self) -> dict[int, str]:
        return {pk: self.cleaned_data[self.item_field(pk)] for pk in self.item_ids}


# ---------------------------------------------------------------------------
# Realisation
# ---------------------------------------------------------------------------


class RealisedHoursField(HoursField):
    """Realised hours: the package's hours field (Dutch decimals, one decimal, at most a
    year), but 0 is a real answer (not done) and empty means "not recorded"."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.min_value = Decimal("0")
        self.validators = [
            v for v in self.validators if not isinstance(v, validators.MinValueValidator)
        ] + [validators.MinValueValidator(Decimal("0"))]
        self.error_messages["min_value"] = _("Realised hours cannot be less than 0.")
        self.widget.attrs["min"] = "0"


ROW_REALISED = RealisedHoursField()


@dataclass
class RealisationRow:
    """One task of the realisation sheet: planned hours, the inputs' values and errors."""

    item: PackageItem
    hours: str
    note: str
    saved_hours: str
    saved_note: str
    errors: list[str] = field(default_factory=list)
    saved_value: Decimal | None = None  # shown read-only with one decimal, like the plan

    @property
    def hours_name(self) -> str:
        return RealisationForm.hours_field(self.item.pk)

    @property
    def note_name(self) -> str:
        return RealisationForm.note_field(self.item.pk)

    @property
    def changed(self) -> bool:
        return (self.hours, self.note) != (self.saved_hours, self.saved_note)


class RealisationForm(VersionedFormMixin, forms.Form):
    """The IB's realisation sheet of one moment: realised hours and a note per task of the
    agreed version, plain inputs ``realised_<item>`` and ``rnote_<item>`` as on the package
    sheet. ``saved`` holds what is recorded now, by item id: (hours or None, note)."""

    def __init__(
        self,
        *args,
        items: list[PackageItem],
        saved: dict[int, tuple[Decimal | None, str]],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.saved = saved
        self.row_errors: dict[int, list[str]] = {}
        self.values: dict[int, tuple[Decimal | None, str]] = {}

    @staticmethod
    def hours_field(item_pk: int) -> str:
        return f"realised_{item_pk}"

    @staticmethod
    def note_field(item_pk: int) -> str:
        return f"rnote_{item_pk}"

    def clean(self) -> dict:
        cleaned = super().clean()
        for item in self.items:
            hours = self.data.get(self.hours_field(item.pk))
            note = self.data.get(self.note_field(item.pk))
            if hours is None and note is None:
                continue  # not on the user's page: unchanged
            errors = []
            try:
                clean_hours = ROW_REALISED.clean(hours)
            except ValidationError as error:
                errors.extend(error.messages)
            try:
                clean_note = ROW_NOTE.clean(note or "").strip()
            except ValidationError as error:
                errors.extend(error.messages)
            if not errors and clean_hours is None and clean_note:
                errors.append(_("Give the realised hours with the comment."))
            if errors:
                self.row_errors[item.pk] = errors
            else:
                self.values[item.pk] = (clean_hours, clean_note)
        if self.row_errors:
            raise ValidationError(
                ngettext_lazy(
                    "Nothing has been saved: correct the task marked below.",
                    "Nothing has been saved: correct the %(count)d tasks marked below.",
                    "count",
                )
                % {"count": len(self.row_errors)}
            )
        return cleaned

    def add_row_error(self, item_pk: int, message: str) -> None:
        self.row_errors.setdefault(item_pk, []).append(message)

    def rows(self) -> list[RealisationRow]:
        rows = []
        for item in self.items:
            hours, note = self.saved.get(item.pk, (None, ""))
            saved_hours = "" if hours is None else shown_hours(hours)
            posted_hours = self.data.get(self.hours_field(item.pk)) if self.is_bound else None
            posted_note = self.data.get(self.note_field(item.pk)) if self.is_bound else None
            rows.append(
                RealisationRow(
                    item=item,
                    hours=saved_hours if posted_hours is None else posted_hours,
                    note=note if posted_note is None else posted_note,
                    saved_hours=saved_hours,
                    saved_note=note,
                    errors=self.row_errors.get(item.pk, []),
                    saved_value=hours,
                )
            )
        return rows
