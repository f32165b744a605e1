"""Sorting people the Dutch way: by the surname without its prefix (tussenvoegsel).

"Jan de Vries" sorts under V, "Anna van der Berg" under B (as a Dutch telephone book or staff
list does). The portal keeps the prefix in ``last_name`` ("de Vries": the HR import and the
admin do so), so the prefix is cut off when sorting, in the database (``surname_order``, for
``order_by`` on any query that reaches a user) or in Python (``surname_key``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Case, F, When
from django.db.models.expressions import OrderBy
from django.db.models.functions import Length, Lower, Substr

# Longest first: "van der" before "van". Each with its space (or apostrophe).
PREFIXES = (
    "van den ",
    "van der ",
    "van het ",
    "van 't ",
    "van de ",
    "uit den ",
    "aan den ",
    "op den ",
    "uit de ",
    "aan de ",
    "voor de ",
    "bij de ",
    "in het ",
    "in 't ",
    "in de ",
    "op 't ",
    "op de ",
    "v.d. ",
    "von ",
    "van ",
    "den ",
    "der ",
    "het ",
    "ter ",
    "ten ",
    "'t ",
    "de ",
    "te ",
    "la ",
    "le ",
    "du ",
    "d'",
)
PREFIX_PATTERN = re.compile("^(?:" + "|".join(re.escape(p) for p in PREFIXES) + ")+", re.I)


def surname(last_name: str) -> str:
    """The last name without its prefixes: "van der Berg" -> "Berg"."""
    return PREFIX_PATTERN.sub("", last_name.strip()) or last_name.strip()


@dataclass(frozen=True)
class Person:
    """A person's names read as plain values (``values_list`` rows): named (``display_name``)
    and sorted (``surname_key``) like the user they belong to, without a model instance."""

    first_name: str
    last_name: str
    username: str

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_username(self) -> str:
        return self.username


def surname_key(user) -> tuple[str, str, str]:
    """A sort key for a user (or anything with first_name, last_name, username)."""
    return (
        surname(user.last_name or "").casefold(),
        (user.first_name or "").casefold(),
        user.get_username().casefold() if hasattr(user, "get_username") else "",
    )


def surname_expression(prefix: str = ""):
    """The database's surname without prefix of the user at ``prefix`` ("ib__", "user__")."""
    field = f"{prefix}last_name"
    lowered = Lower(F(field))
    return Case(
        *(
            When(
                **{f"{field}__istartswith": start},
                then=Substr(lowered, len(start) + 1, Length(F(field))),
            )
            for start in PREFIXES
        ),
        default=lowered,
    )


def surname_order(prefix: str = "") -> list[OrderBy]:
    """``order_by`` terms: surname without prefix, first name, username (the prefix is cut
    once; a double one, "van de van der", is rare enough to sort under its second part)."""
    return [
        surname_expression(prefix).asc(),
        Lower(F(f"{prefix}first_name")).asc(),
        F(f"{prefix}username").asc(),
    ]
