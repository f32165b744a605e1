"""Password validation in the portal's language.

Django 5.2 changed the message of its ``MinimumLengthValidator`` ("at least %d characters",
before "%(min_length)d") and its Dutch catalogue has no translation of the new text yet, so
the one message of the password rules that came out in English on the Dutch pages (setting a
password from an invitation, changing it) was this one. This validator says the same through
the portal's own catalogue (locale/nl), where the Dutch text is kept.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(count)d character.",
            "This password is too short. It must contain at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}
