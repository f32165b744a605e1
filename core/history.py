"""The history of a model as people read it: who, when, which field, old -> new value.

django-simple-history stores every tracked value of each save and delete as one row of a
historical table. ``history_entries`` turns such rows (of one model or several, e.g. an
appointment and its shares) into entries: each compared with the row before it of the same
object, the fields named by their verbose_name, choices by their label, foreign keys by the
name of what they point to (one query per related model), users by their name as the pages
show them, numbers and dates in the active language.

This module is the lowest floor of the project: it imports Django and the library only.
"""

from __future__ import annotations

import datetime
import decimal
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# Never shown: the row's key and the bookkeeping the history itself covers.
HIDDEN_FIELDS = frozenset({"id", "lock_version", "created_at", "updated_at"})
NOTHING = "—"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One save or delete of one object."""

    when: datetime.datetime
    who: str
    kind: str  # "+" created, "~" changed, "-" deleted
    subject: str
    changes: list[Change] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {
            "+": pgettext("history", "created"),
            "~": pgettext("history", "changed"),
            "-": pgettext("history", "deleted"),
        }[self.kind]


def person_name(user: Any) -> str:
    """A user as the pages name them: full name, else the username."""
    return user.get_full_name() or user.get_username()


def tracked_fields(model: type[models.Model], hide: Iterable[str] = ()) -> list[models.Field]:
    """The fields of ``model`` (the tracked model, not the historical one) that are shown."""
    names = {f.name for f in model.history.model.tracked_fields} - HIDDEN_FIELDS - set(hide)
    return [f for f in model._meta.concrete_fields if f.name in names]


def _related_names(records: Sequence[Any], hide: Iterable[str]) -> dict[tuple[type, Any], str]:
    """Names of every object a foreign key of the records points to, one query per model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for record in records:
        for model_field in tracked_fields(record.instance_type, hide):
            if model_field.is_relation:
                value = getattr(record, model_field.attname)
                if value is not None:
                    wanted[model_field.related_model].add(value)
    user_model = get_user_model()
    names = {}
    for related, ids in wanted.items():
        for pk, obj in related._base_manager.in_bulk(ids).items():
            names[related, pk] = person_name(obj) if related is user_model else str(obj)
    return names


def display(model_field: models.Field, value: Any, names: dict[tuple[type, Any], str]) -> str:
    """One stored value as the person reads it."""
    if value is None or value == "":
        return NOTHING
    if model_field.is_relation:
        return names.get((model_field.related_model, value), _("(removed)"))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, decimal.Decimal) and value.is_finite():
        value = value.quantize(1) if value == value.to_integral() else value.normalize()
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(localize(value))


def record_changes(
    record: Any, before: Any | None, fields: list[models.Field], names: dict
) -> list[Change]:
    """What ``record`` shows against ``before``, the previous record of the same object."""
    changes = []
    for model_field in fields:
        label = str(model_field.verbose_name)
        value = getattr(record, model_field.attname)
        new = display(model_field, value, names)
        if record.history_type == "+":
            if new != NOTHING:
                changes.append(Change(label, NOTHING, new))
        elif record.history_type == "-":
            break  # a deletion: the entry says so, the values were shown when they were set
        elif before is None:
            # Saved before the history began (an upgraded database): the old value is unknown.
            changes.append(Change(label, _("unknown"), new))
        elif getattr(before, model_field.attname) != value:
            old = display(model_field, getattr(before, model_field.attname), names)
            changes.append(Change(label, old, new))
    return changes


def history_entries(
    records: Iterable[Any],
    *,
    subject: Callable[[Any, Callable[[str], str]], str] | None = None,
    hide: Iterable[str] = (),
) -> list[Entry]:
    """Entries for historical ``records`` (any mix of tracked models), newest first.

    Select the records with ``select_related("history_user")``. ``subject(record, show)``
    names the object of an entry where a page shows several (``show(field_name)`` gives the
    record's value of a field as displayed); a change that altered no shown field (a save that
    changed nothing) is left out. ``hide`` names fields the page shows elsewhere (a share's
    appointment on the appointment's page): neither shown nor looked up.
    """
    hide = frozenset(hide)
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    names = _related_names(records, hide)
    previous: dict[tuple[type, Any], Any] = {}
    entries = []
    for record in records:
        model = record.instance_type
        before = previous.get((model, record.id))
        previous[model, record.id] = record
        changes = record_changes(record, before, tracked_fields(model, hide), names)
        if record.history_type == "~" and before is not None and not changes:
            continue

        def show(name: str, record=record, model=model) -> str:
            model_field = model._meta.get_field(name)
            return display(model_field, getattr(record, model_field.attname), names)

        user = record.history_user
        entries.append(
            Entry(
                when=record.history_date,
                who=person_name(user) if user is not None else _("the system"),
                kind=record.history_type,
                subject=subject(record, show) if subject else "",
                changes=changes,
            )
        )
    entries.reverse()
    return entries
