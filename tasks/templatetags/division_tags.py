"""The body of the task division's matrix, written out here rather than by the template engine.

A school's matrix has some 60 tasks and up to a dozen roles: several hundred cells, each an
input with a name, a value, a label and maybe an error. Through the template engine that was
most of the page's time (as the comparison found in issue #12, see
``reporting/templatetags/comparison_tags.py``); here every translated word is looked up once
and each cell is one formatted string. Every text from the database is escaped.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django import forms, template
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..division import Column, Matrix, Row, cell_field

register = template.Library()


class MatrixWriter:
    def __init__(
        self, matrix: Matrix, editing: bool, data, errors: dict, *, done_only: bool = False
    ) -> None:
        self.matrix = matrix
        self.done_only = done_only
        self.editing = editing
        self.data = data
        self.errors = errors or {}
        self.separator = get_format("DECIMAL_SEPARATOR")
        self.not_ib = escape(_("not IB work"))
        self.own = escape(_("own task"))

    def hours(self, value: Decimal | None) -> str:
        """12.5 -> "12,5", 40.0 -> "40" (the input's value and the text alike)."""
        if value is None:
            return ""
        if value == value.to_integral_value():
            return str(int(value))
        return f"{value:.1f}".replace(".", self.separator)

    def cell(self, row: Row, column: Column, title: str) -> str:
        css = "num division-ib" if column.is_ib else "num"
        saved = row.cells.get(column.key)
        if not (self.editing and column.editable):
            return f'<td class="{css}">{self.hours(saved)}</td>'
        name = cell_field(row, column)
        value = self.hours(saved)
        if self.data is not None and name in self.data:
            value = self.data[name]
        errors = self.errors.get(name, [])
        invalid = " is-invalid" if errors else ""
        described = f' aria-describedby="{name}-error" aria-invalid="true"' if errors else ""
        feedback = "".join(
            f'<div class="invalid-feedback d-block" id="{name}-error">{escape(error)}</div>'
            for error in errors
        )
        return (
            f'<td class="{css}"><input type="text" inputmode="decimal" autocomplete="off" '
            f'class="form-control form-control-sm division-cell{invalid}" name="{name}" '
            f'id="{name}" value="{escape(value)}" data-saved="{self.hours(saved)}" size="4" '
            f'aria-label="{title} – {escape(column.label)}"{described}>{feedback}</td>'
        )

    def row(self, row: Row) -> str:
        title = escape(row.title)
        badges = ""
        if not row.is_ib_task:
            badges += f' <span class="badge text-bg-warning">{self.not_ib}</span>'
        if row.is_own:
            badges += f' <span class="badge text-bg-light border">{self.own}</span>'
        purity = (
            f'<div class="small text-danger-emphasis">{escape(row.purity)}</div>'
            if row.purity
            else ""
        )
        css = ' class="division-impure"' if row.purity else ""
        cells = "".join(self.cell(row, column, title) for column in self.matrix.columns)
        total = self.hours(row.total) if row.cells else ""
        return (
            f'<tr id="row-{row.field}"{css}><th scope="row" class="fw-normal division-task">'
            f"{title}{badges}{purity}</th>{cells}"
            f'<td class="num">{total}</td></tr>'
        )

    def body(self) -> str:
        span = len(self.matrix.columns) + 2
        parts = []
        for group in self.matrix.groups:
            rows = [row for row in group["rows"] if row.cells or not self.done_only]
            if not rows:
                continue
            parts.append(
                f'<tbody><tr class="table-light"><th scope="colgroup" colspan="{span}">'
                f'<span class="division-domain">{escape(group["domain"].name)}</span></th></tr>'
            )
            parts.extend(self.row(row) for row in rows)
            parts.append("</tbody>")
        return "".join(parts)


@register.simple_tag(takes_context=True)
def division_body(context) -> SafeString:
    """The matrix's ``<tbody>`` per domain: inputs in the cells the director may change (with
    the posted value and errors of a refused save), the hours as text elsewhere."""
    writer = MatrixWriter(
        context["matrix"],
        bool(context.get("editing")),
        context.get("cell_data"),
        context.get("cell_errors"),
        # The print (the werkverdelingsplan) lists the tasks someone does; the rest below it.
        done_only=bool(context.get("done_only")),
    )
    return mark_safe(writer.body())  # every text above is escaped


def _attributes(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {name}")
        elif value is not False and value is not None:
            parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)


def _field(bound) -> str:
    """One field as Bootstrap markup (the crispy layout the rest of the site has)."""
    widget = bound.field.widget
    if not isinstance(widget, (forms.Select, forms.widgets.Input)) or isinstance(
        widget, (forms.CheckboxInput, forms.FileInput, forms.SelectMultiple)
    ):
        return str(bound)  # not one of the simple widgets written out here
    element_id = bound.auto_id
    errors = list(bound.errors)
    attrs = {**widget.attrs, **bound.build_widget_attrs({})}
    if isinstance(widget, forms.HiddenInput):
        value = widget.format_value(bound.value())
        return (
            f'<input type="hidden" name="{bound.html_name}"'
            f'{_attributes({"value": value, **attrs})} id="{element_id}">'
        )
    # With errors Django adds aria-invalid and points aria-describedby at "<id>_error".
    invalid = " is-invalid" if errors else ""
    if isinstance(widget, forms.Select):
        chosen = set(widget.format_value(bound.value()))
        options = "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) in chosen else ''}>{escape(str(label))}</option>"
            for value, label in widget.choices
        )
        control = (
            f'<select name="{bound.html_name}" class="select form-select{invalid}"'
            f'{_attributes(attrs)} id="{element_id}">{options}</select>'
        )
    else:
        value = widget.format_value(bound.value())
        control = (
            f'<input type="{widget.input_type}" name="{bound.html_name}"'
            f'{_attributes({"value": value})} class="textinput form-control{invalid}"'
            f'{_attributes(attrs)} id="{element_id}">'
        )
    required = bound.field.required
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    label = (
        f'<label for="{element_id}" class="form-label{" requiredField" if required else ""}">'
        f"{conditional_escape(bound.label)}{asterisk}</label>"
    )
    feedback = "".join(
        f'<div class="invalid-feedback d-block" id="{element_id}_error"><strong>'
        f"{escape(error)}</strong></div>"
        for error in errors
    )
    helptext = (
        f'<div id="{element_id}_helptext" class="form-text">'
        f"{conditional_escape(bound.help_text)}</div>"
        if bound.help_text
        else ""
    )
    return f'<div id="div_{element_id}" class="mb-3">{label}{control}{feedback}{helptext}</div>'


@register.simple_tag
def division_form(form) -> SafeString:
    """The page's small forms (add a role, add a task) written out here: through crispy's
    templates they were half the matrix page's rendering time (issue 16)."""
    errors = "".join(
        f'<div class="alert alert-danger">{escape(error)}</div>'
        for error in form.non_field_errors()
    )
    return mark_safe(errors + "".join(_field(bound) for bound in form))  # escaped above
