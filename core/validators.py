"""Validators whose messages write numbers the way the reader's language does.

Django's ``MinValueValidator`` and ``MaxValueValidator`` put their limit into the message as
Python writes it: "0.01", where Dutch writes "0,01". These put the limit in through
``number_format`` when the message is shown, in the language active then (a whole number
stays without decimals: "1", not "1.0").

They deconstruct as Django's own validators: only the message's number formatting differs,
which is no part of the schema, so swapping them in needs no migration (and the migrations
keep naming Django's classes).
"""

from __future__ import annotations

from decimal import Decimal

from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.functional import lazy


def _plain(value):
    """A whole Decimal as an int (1.0 -> 1); other values as they are."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value


def _format_number(value) -> str:
    return number_format(_plain(value))


localized_number = lazy(_format_number, str)


class LocalizedLimitMixin:
    """Raise the validator's error with its limit formatted for the reader's language."""

    def __call__(self, value) -> None:
        cleaned = self.clean(value)
        limit_value = self.limit_value() if callable(self.limit_value) else self.limit_value
        if self.compare(cleaned, limit_value):
            params = {
                "limit_value": localized_number(limit_value),
                "show_value": cleaned,
                "value": value,
            }
            raise ValidationError(self.message, code=self.code, params=params)


@deconstructible(path="django.core.validators.MinValueValidator")
class MinValueValidator(LocalizedLimitMixin, validators.MinValueValidator):
    pass


@deconstructible(path="django.core.validators.MaxValueValidator")
class MaxValueValidator(LocalizedLimitMixin, validators.MaxValueValidator):
    pass
