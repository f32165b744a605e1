"""Form helpers shared by the apps (core/forms.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from core.forms import PlainHiddenInput, PlainTextInput

VALUES = [None, "", 'a"<b>&', Decimal("12.5"), 3, "0,5"]
ATTRS = [
    {},
    {"class": "form-control", "required": True, "disabled": False, "form": "item&1"},
    {"inputmode": "decimal", "aria-describedby": "x_error"},
]


@pytest.mark.parametrize(
    ("django_widget", "plain_widget"),
    [(forms.TextInput, PlainTextInput), (forms.HiddenInput, PlainHiddenInput)],
)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_plain_inputs_write_what_django_templates_write(django_widget, plain_widget, value, attrs):
    expected = django_widget(attrs=dict(attrs)).render("item-1-hours", value, {"id": "id_h"})
    assert plain_widget(attrs=dict(attrs)).render("item-1-hours", value, {"id": "id_h"}) == (
        expected
    )


def test_plain_input_escapes_the_value():
    html = PlainTextInput().render("note", '"><script>alert(1)</script>')
    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html
