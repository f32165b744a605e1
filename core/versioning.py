"""Optimistic locking for every edit form: no silent overwrite when two people edit one object.

The protocol, the same for every form:

1. The model inherits ``Versioned``: a ``lock_version`` column that every save moves on.
2. The form inherits ``VersionedFormMixin``: the version the page was built on travels in a
   hidden field and comes back with the POST.
3. The service that saves calls ``claim_version(obj, posted_version)`` inside its transaction,
   before it writes: one conditional ``UPDATE ... SET lock_version = n + 1 WHERE pk = .. AND
   lock_version = n``. No row updated means someone saved in between: ``StaleEdit`` is raised
   and the transaction rolls back, so nothing of the user's input is written. A version column
   is needed because ``select_for_update`` does nothing on SQLite.
4. The view catches ``StaleEdit``, builds a form on the object as it is saved now and calls
   ``stale_notice(bound_form, fresh_form, version=current.lock_version)``: the user's input
   stays in the fields, the hidden field now carries the current version (so submitting again
   is a deliberate choice) and ``templates/core/_stale_notice.html`` lists, per field, the saved
   value next to the user's input, with status 409. ``VersionedPost`` does this step for a view
   with one form; ``VersionedPost.response`` also answers the edit page itself.

This module is the lowest floor of the project: it imports Django only, never an app.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION_FIELD: Final = "lock_version"


class Versioned(models.Model):
    """A model whose rows carry a version; every save of an existing row moves it on.

    Saves that did not claim a version first (the management site, other services) still
    move it, with ``lock_version = lock_version + 1`` in the same UPDATE, so a form opened
    before such a save is refused. ``QuerySet.update()`` and ``bulk_update`` do not pass
    through here and leave the version alone.
    """

    lock_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=gettext_lazy("Moves on with every save; edit forms carry it (optimistic lock)."),
    )

    # Set by claim_version: the conditional UPDATE has already moved the version to the value
    # held in memory, so the next save writes that value instead of adding one again.
    _version_claimed = False

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding or self._version_claimed:
            self._version_claimed = False
            super().save(*args, **kwargs)
            return
        self.lock_version = F(VERSION_FIELD) + 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, VERSION_FIELD}
        super().save(*args, **kwargs)
        # The new value is only known to the database: the next read of the attribute loads
        # it (Django reloads a field missing from the instance), so no query is spent here.
        self.__dict__.pop(VERSION_FIELD, None)


class StaleEdit(Exception):
    """Someone else saved the object after the user's form was loaded; nothing was written."""

    def __init__(self) -> None:
        super().__init__(_("Someone else changed this in the meantime."))


class Unchecked:
    """The caller edits without a form (seed data, imports): no version to compare."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Final = Unchecked()

# What a service is told about the version the user's form was built on: a number, None for
# a form made while the object did not exist yet, or UNCHECKED.
ExpectedVersion = int | None | Unchecked


def claim_version(obj: Versioned | None, version: ExpectedVersion) -> None:
    """Check and move on the version of ``obj`` (None: the row does not exist) or raise.

    Must run inside the transaction that writes the change, before it writes: the
    conditional UPDATE also holds the row until the transaction ends.
    """
    if isinstance(version, Unchecked):
        return
    if not connection.in_atomic_block:
        raise RuntimeError("claim_version() belongs inside the transaction that saves.")
    exists = obj is not None and obj.pk is not None
    if not exists or version is None:
        if exists or version is not None:
            # Made by someone else since the form was opened, or removed since then.
            raise StaleEdit()
        return
    updated = (
        type(obj)
        ._base_manager.filter(pk=obj.pk, lock_version=version)
        .update(lock_version=F(VERSION_FIELD) + 1)
    )
    if not updated:
        raise StaleEdit()
    obj.lock_version = version + 1
    obj._version_claimed = True


def bump_version(obj: Versioned) -> None:
    """Move the version on without a check: a change made elsewhere that edit forms of ``obj``
    must not overlook (a row added to a framework whose edit page is open)."""
    type(obj)._base_manager.filter(pk=obj.pk).update(lock_version=F(VERSION_FIELD) + 1)
    obj.__dict__.pop(VERSION_FIELD, None)


def save_versioned_form(form: forms.ModelForm) -> models.Model:
    """Save a ModelForm with ``VersionedFormMixin`` whose instance needs no service."""
    with transaction.atomic():
        instance = form.instance if form.instance.pk is not None else None
        claim_version(instance, form.posted_version)
        return form.save()


# ---------------------------------------------------------------------------
# forms
# ---------------------------------------------------------------------------


class VersionedFormMixin:
    """Adds the hidden ``lock_version`` field: the version of the object the page showed.

    A ModelForm takes it from its saved instance; any other form gets ``version=``. For an
    object that did not exist when the page was loaded the field is empty; a POST without the
    field at all is refused when the object exists (a form that cannot say what it saw).
    """

    _INCOMPLETE = gettext_lazy("The form is incomplete; reload the page and try again.")

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk is not None:
            version = instance.lock_version
        self._version_expected = version is not None
        self.fields[VERSION_FIELD] = forms.CharField(
            required=False, initial=version, widget=forms.HiddenInput
        )

    def clean_lock_version(self) -> int | None:
        """The posted version; a missing or garbled one is a form error shown at the top (an
        error on a hidden field would be shown nowhere)."""
        raw = self.cleaned_data.get(VERSION_FIELD) or ""
        missing = self._version_expected and self.add_prefix(VERSION_FIELD) not in self.data
        if missing or (raw and not raw.isdigit()):
            self.add_error(None, forms.ValidationError(self._INCOMPLETE, code="incomplete"))
            return None
        return int(raw) if raw else None

    def is_outdated(self, version: int | None) -> bool:
        """Whether the POST was made on another version than ``version`` (before validating:
        a page whose parts were added or removed since does not validate at all)."""
        posted = self[VERSION_FIELD].data
        return (posted or "") != ("" if version is None else str(version))

    @property
    def shown_version(self) -> int | None:
        """The version this form was built on: what a page made from it carries."""
        return self.fields[VERSION_FIELD].initial

    @property
    def posted_version(self) -> int | None:
        """The version the user's page was built on (after ``is_valid()``)."""
        return self.cleaned_data.get(VERSION_FIELD)

    def renew_version(self, version: int | None) -> None:
        """Carry ``version`` from now on, keeping everything else the user typed."""
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = "" if version is None else str(version)
        self.data = data


@dataclass(frozen=True)
class Difference:
    """One field whose saved value is not what the user sent."""

    label: str
    saved: str
    yours: str


@dataclass
class StaleNotice:
    """What ``templates/core/_stale_notice.html`` shows."""

    differences: list[Difference] = field(default_factory=list)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and len(value) == 0)


def _choice_labels(choices: Iterable) -> dict[str, str]:
    labels = {}
    for key, label in choices:
        if isinstance(label, list | tuple):  # an optgroup
            labels.update(_choice_labels(label))
        else:
            labels[str(getattr(key, "value", key))] = str(label)
    return labels


def display_value(form_field: forms.Field, value: Any) -> str:
    """A value as the person reads it: the choice's label, a Dutch number, "—" for nothing."""
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        objects = (
            list(value)
            if value is not None and all(isinstance(v, models.Model) for v in value)
            else list(form_field.queryset.filter(pk__in=value or []))
        )
        return ", ".join(form_field.label_from_instance(obj) for obj in objects) or "—"
    if _is_empty(value):
        return "—"
    if isinstance(form_field, forms.ModelChoiceField):
        if not isinstance(value, models.Model):
            value = form_field.queryset.filter(pk=getattr(value, "pk", value)).first()
        return form_field.label_from_instance(value) if value is not None else "—"
    if isinstance(form_field, forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(form_field, forms.ChoiceField):
        return _choice_labels(form_field.choices).get(str(value), str(value))
    if isinstance(value, decimal.Decimal) and value.is_finite():
        value = value.quantize(1) if value == value.to_integral() else value.normalize()
    return str(localize(value))


def form_differences(
    bound: forms.BaseForm,
    fresh: forms.BaseForm,
    *,
    label: Callable[[str, forms.Field], str] | None = None,
) -> list[Difference]:
    """The fields of ``bound`` (the user's POST) whose input differs from ``fresh`` (a form on
    the object as it is saved now), with both values readable."""
    differences = []
    for name, bound_field in bound.fields.items():
        if name == VERSION_FIELD or name not in fresh.fields:
            continue
        saved = fresh.get_initial_for_field(fresh.fields[name], name)
        raw = bound[name].data
        if not bound_field.has_changed(saved, raw):
            continue
        cleaned = getattr(bound, "cleaned_data", {})
        yours = cleaned.get(name, raw)
        differences.append(
            Difference(
                label=label(name, bound_field) if label else str(bound_field.label or name),
                saved=display_value(fresh.fields[name], saved),
                yours=display_value(bound_field, yours),
            )
        )
    return differences


def formset_differences(
    bound: forms.BaseFormSet,
    fresh: forms.BaseFormSet,
    *,
    label: Callable[[forms.BaseForm, str, forms.Field], str],
) -> list[Difference]:
    """``form_differences`` per row of two model formsets, rows paired by their object."""
    fresh_by_pk = {form.instance.pk: form for form in fresh.forms}
    differences = []
    for bound_form in bound.forms:
        fresh_form = fresh_by_pk.get(bound_form.instance.pk)
        if fresh_form is None:  # removed since: nothing saved to compare with
            continue
        differences += form_differences(
            bound_form,
            fresh_form,
            label=lambda name, form_field, form=fresh_form: label(form, name, form_field),
        )
    return differences


def stale_notice(
    bound: VersionedFormMixin,
    fresh: forms.BaseForm | None,
    *,
    version: int | None,
    extra: Iterable[Difference] = (),
    label: Callable[[str, forms.Field], str] | None = None,
) -> StaleNotice:
    """After ``StaleEdit``: compare the input with the saved values and carry the new version.

    ``fresh`` is a form on the object as it is saved now (None when it no longer exists);
    ``extra`` adds differences of parts the form does not cover (formsets).
    """
    differences = form_differences(bound, fresh, label=label) if fresh is not None else []
    bound.renew_version(version)
    return StaleNotice(differences=[*differences, *extra])


# ---------------------------------------------------------------------------
# views
# ---------------------------------------------------------------------------

Saved = TypeVar("Saved")


def add_error_on_top(form: forms.BaseForm, error: ValidationError) -> None:
    form.add_error(None, error)


@dataclass
class VersionedPost(Generic[Saved]):
    """Step 4 of the protocol for one bound form: validate, save, or show why not.

    ``save`` calls the service (with ``form.posted_version``) and returns what it saved.
    ``saved_form`` builds the form a new page would show now, None when the object no longer
    exists; after ``StaleEdit`` the user's form takes over its version. ``refuse`` puts the
    service's ValidationError on the form (at the top unless told otherwise).
    """

    form: VersionedFormMixin
    save: Callable[[], Saved]
    saved_form: Callable[[], VersionedFormMixin | None]
    refuse: Callable[[Any, ValidationError], None] = add_error_on_top
    saved: Saved | None = None
    stale: StaleNotice | None = None

    def is_saved(self) -> bool:
        """Whether the form was valid and saved; otherwise it holds the errors, and ``stale``
        the notice when someone else saved in between."""
        if not self.form.is_valid():
            return False
        try:
            self.saved = self.save()
        except StaleEdit:
            fresh = self.saved_form()
            version = fresh.shown_version if fresh is not None else None
            self.stale = stale_notice(self.form, fresh, version=version)
            return False
        except ValidationError as error:
            self.refuse(self.form, error)
            return False
        return True

    @property
    def status(self) -> int:
        """409 Conflict for the page shown again after a stale save."""
        return 409 if self.stale else 200

    def response(
        self,
        request: HttpRequest,
        *,
        template: str,
        context: dict[str, Any],
        message: str | Callable[[Saved], str],
        url: str | Callable[[Saved], str],
    ) -> HttpResponse:
        """The edit page: on a POST that saved, ``message`` and a redirect to ``url`` (either
        may depend on what was saved); otherwise ``template`` with ``context``, the form and
        the stale notice. ``context`` is read after the save, so ``saved_form`` may renew it."""
        if request.method == "POST" and self.is_saved():
            messages.success(request, message(self.saved) if callable(message) else message)
            return redirect(url(self.saved) if callable(url) else url)
        context = {**context, "form": self.form, "stale": self.stale}
        return render(request, template, context, status=self.status)
