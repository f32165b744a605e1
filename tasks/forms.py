from decimal import Decimal

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from competencies.models import Cell, Framework
from core.versioning import VersionedFormMixin
from ibportal.forms import ModelMultipleChoiceField, PlainHiddenInput, PlainTextInput

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
            "default_hours",
            "source",
            "is_ib_task",
            "not_ib_reason",
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
            label=default_hours.label, initial=default_hours.initial
        )
        self.fields["domain"].queryset = Domain.objects.all()
        self.fields["domain"].empty_label = None
        self.fields["cells"].queryset = task_cells(board, self.instance)


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
        .order_by("framework__name", "framework_id", "row__order", "column__order", "id")
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


class ItemEditForm(LockForm):
    # Plain widgets: a package page has a form per item and per catalogue task.
    hours = HoursField(widget=PlainTextInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=PlainTextInput)

    def __init__(self, *args, form_id: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs["class"] = "form-control form-control-sm hours-input"
        self.fields["note"].widget.attrs["class"] = "form-control form-control-sm"
        if form_id:
            # The inputs sit in table cells; the HTML form attribute ties them to their form.
            for name in ("hours", "note"):
                self.fields[name].widget.attrs["form"] = form_id


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
    """A task of the director's own, not from the catalogue."""

    title = forms.CharField(label=_("Title"), max_length=200)
    domain = forms.ModelChoiceField(
        label=_("LBBO domain"), queryset=Domain.objects.all(), empty_label=None
    )
    field_order = ["title", "domain", "hours", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A card of its own, not a table row: full-size inputs.
        for name in ("hours", "note"):
            self.fields[name].widget.attrs["class"] = "form-control"


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
