"""Forms for competency frameworks (the other parts keep their forms in their own modules)."""

from __future__ import annotations

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin

from .models import Cell, Framework, FrameworkColumn, FrameworkRow, Level
from .services import FrameworkChanges


class FrameworkForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class LevelForm(forms.ModelForm):
    class Meta:
        model = Level
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class RowForm(forms.ModelForm):
    class Meta:
        model = FrameworkRow
        fields = ["title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ColumnForm(forms.ModelForm):
    class Meta:
        model = FrameworkColumn
        fields = ["title", "order"]


class CellForm(forms.ModelForm):
    class Meta:
        model = Cell
        fields = ["descriptor"]
        widgets = {"descriptor": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.order:  # one of several indicators of a position: say which
            self.fields["descriptor"].label = _("Indicator %(number)s") % {
                "number": self.instance.order
            }
            self.fields["descriptor"].widget.attrs["rows"] = 2
            self.fields["descriptor"].help_text = ""  # said once per framework, not per field


class ExistingOnlyFormSet(BaseModelFormSet):
    """One form per existing object, whatever the posted management form claims.

    A tampered ``TOTAL_FORMS`` would otherwise build (and render) up to a thousand extra
    forms, and ``INITIAL_FORMS`` would pick which objects are edited.
    """

    def initial_form_count(self) -> int:
        return len(self.get_queryset())

    def total_form_count(self) -> int:
        return self.initial_form_count()


def edit_formset(model, form):
    return modelformset_factory(
        model, form=form, formset=ExistingOnlyFormSet, extra=0, edit_only=True
    )


# The edit page changes existing parts only: adding and removing rows or columns has its own
# buttons, and the number of levels is fixed once copied.
LevelFormSet = edit_formset(Level, LevelForm)
RowFormSet = edit_formset(FrameworkRow, RowForm)
ColumnFormSet = edit_formset(FrameworkColumn, ColumnForm)
CellFormSet = edit_formset(Cell, CellForm)


class FrameworkEditForms:
    """The edit page's form and four formsets, bound and validated together."""

    def __init__(self, framework: Framework, data=None) -> None:
        self.framework = framework
        self.form = FrameworkForm(data, instance=framework)
        self.levels = LevelFormSet(data, queryset=framework.levels.all(), prefix="levels")
        self.rows = RowFormSet(data, queryset=framework.rows.all(), prefix="rows")
        self.columns = ColumnFormSet(data, queryset=framework.columns.all(), prefix="columns")
        self.cells = CellFormSet(
            data,
            queryset=framework.cells.select_related("row", "column"),
            prefix="cells",
        )

    @property
    def formsets(self) -> tuple:
        return (self.levels, self.rows, self.columns, self.cells)

    def is_valid(self) -> bool:
        results = [self.form.is_valid()] + [formset.is_valid() for formset in self.formsets]
        return all(results)

    def changes(self) -> FrameworkChanges:
        def by_pk(formset) -> dict[int, dict]:
            fields = list(formset.form._meta.fields)
            return {
                form.instance.pk: {name: form.cleaned_data[name] for name in fields}
                for form in formset.forms
            }

        return FrameworkChanges(
            name=self.form.cleaned_data["name"],
            description=self.form.cleaned_data["description"],
            levels=by_pk(self.levels),
            rows=by_pk(self.rows),
            columns=by_pk(self.columns),
            cells=by_pk(self.cells),
        )


class RowAddForm(forms.Form):
    """A new row, with the descriptor of each of its new cells (one per column, or one)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, framework: Framework, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        columns = list(framework.columns.all())
        if framework.kind == Framework.Kind.MATRIX:
            for column in columns:
                self.fields[f"cell_{column.pk}"] = forms.CharField(
                    label=_("Descriptor: %(column)s") % {"column": column.title},
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        else:
            self.fields["cell_0"] = forms.CharField(
                label=_("Indicator"),
                help_text=_("One behaviour the IB can be seen doing."),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def descriptors(self) -> dict[int, str]:
        return {
            int(name.removeprefix("cell_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("cell_")
        }


class ColumnAddForm(forms.Form):
    """A new column of a matrix, with the descriptor of each row's new cell."""

    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, framework: Framework, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for row in framework.rows.all():
            self.fields[f"cell_{row.pk}"] = forms.CharField(
                label=_("Descriptor: %(row)s") % {"row": row.title},
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    descriptors = RowAddForm.descriptors
