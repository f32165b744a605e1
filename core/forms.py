"""Form fields and widgets shared by the apps (the ground floor: Django only)."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing ids the database cannot hold as a form error.

    Django's own check runs ``pk__in=[...]`` on the submitted values; an integer beyond the
    column's range makes SQLite raise ``OverflowError`` and PostgreSQL a ``DataError``: a 500
    for a tampered form. Such a value cannot match a row, so it gets the field's own
    "not a valid value" error instead.
    """

    def _check_values(self, value: Iterable) -> QuerySet:
        meta = self.queryset.model._meta
        key = self.to_field_name
        field = meta.pk if key in (None, "pk") else meta.get_field(key)
        field = getattr(field, "target_field", field)
        connection = connections[router.db_for_read(self.queryset.model)]
        try:
            low, high = connection.ops.integer_field_range(field.get_internal_type())
        except KeyError:  # not an integer column
            low = high = None
        for item in value:
            try:
                number = int(str(item))
            except (TypeError, ValueError):
                continue  # Django's own check reports it
            if (low is not None and number < low) or (high is not None and number > high):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


def html_attributes(attrs: dict) -> SafeString:
    """A widget's attributes as Django's ``attrs.html`` writes them (True: the name alone,
    False: left out); each part goes through format_html."""
    return mark_safe(
        "".join(
            format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value)
            for key, value in attrs.items()
            if value is not False
        )
    )


class PlainInputMixin:
    """An ``<input>`` written out in Python rather than through the form template engine.

    The markup is what Django's ``input.html`` gives; it only skips the template rendering,
    which costs about as much as the rest of a row on pages with a form per table row (a
    package page has a hundred of them). Use it for inputs in such rows only.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        value_attr = (
            format_html(' value="{}"', widget["value"]) if widget["value"] is not None else ""
        )
        attributes = html_attributes(widget["attrs"])
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            value_attr,
            attributes,
        )


class PlainTextInput(PlainInputMixin, forms.TextInput):
    pass


class PlainHiddenInput(PlainInputMixin, forms.HiddenInput):
    pass


class PlainTextarea(forms.Textarea):
    """A ``<textarea>`` written out in Python, for the same rows as ``PlainInputMixin``."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        attributes = html_attributes(widget["attrs"])
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            widget["name"],
            attributes,
            widget["value"] or "",
        )


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: at its field when the form has one,
    otherwise (or without fields) at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
