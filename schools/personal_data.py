"""Personal data (AVG): what the portal holds about a person, the download of it, and the
anonymisation of people who left.

Every model that holds data about a person is registered here as a ``Holder``: the lookups
that lead from its rows to the person (``ib``, ``share__appointment__ib``, ...). The download
(``person_export``) reads every holder; ``tests/test_personal_data.py`` walks the app registry
and fails when a model with a foreign key to the user is not registered, so a new model cannot
be left out of the download by accident.

Anonymisation (``anonymise_person``) is one function for the retention command
(``manage.py anonymise_leavers``) and the board administrator's "end and anonymise": it keeps
every row that the board's figures are made of (appointments, shares, packages, hours,
evaluations, self-assessments for the anonymous heat map) and removes what names the person:
the user row gets a pseudonym ("Oud-medewerker 123"), no e-mail, an unusable password, no
roles; security events lose their network; their queued mail and sign-in throttling records
go. Rows that point to the user (authors of comments, history rows, ...) then name the
pseudonym, as the history tables copy no names (they hold the user's id only). Apps above
this one add their own steps with ``@anonymiser`` (registered in their ``ready()``), so this
module imports nothing from them.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from core.names import surname_order

from .hr_import import scrub_person_from_imports
from .models import (
    Appointment,
    Board,
    HrRecord,
    Invitation,
    Membership,
    Preference,
    SecurityEvent,
)

logger = logging.getLogger(__name__)

PSEUDONYM_FIRST_NAME = "Oud-medewerker"
ANONYMOUS_USERNAME = "oud-medewerker-{pk}"
# Fields of the user row never given out, not even to the person: the password hash.
USER_FIELDS_NOT_EXPORTED = {"password"}


@dataclass(frozen=True)
class Holder:
    """A model holding personal data, and the lookups from its rows to the person."""

    model: type[models.Model]
    lookups: tuple[str, ...]
    hidden: frozenset[str] = frozenset()  # fields never given out, not even to the person

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows_of(self, user) -> models.QuerySet:
        condition = Q()
        for lookup in self.lookups:
            condition |= Q(**{lookup: user.pk})
        return self.model._default_manager.filter(condition).distinct().order_by("pk")


HOLDERS: dict[str, Holder] = {}
# Extra anonymisation steps of the apps above: (user, day) -> number of rows changed.
Anonymiser = Callable[[object, datetime.date], int]
ANONYMISERS: dict[str, Anonymiser] = {}


def holds(model: type[models.Model] | str, *lookups: str, hidden: Iterable[str] = ()) -> None:
    """Register ``model`` (or "app.Model") as holding data of the person its ``lookups``
    reach (each ends at the user: ``ib``, ``round__ib``); ``hidden``: secrets the download
    leaves out (a password hash, a two-factor key)."""
    if isinstance(model, str):
        model = apps.get_model(model)
    HOLDERS[model._meta.label] = Holder(model, tuple(lookups), frozenset(hidden))


def anonymiser(name: str) -> Callable[[Anonymiser], Anonymiser]:
    def register(function: Anonymiser) -> Anonymiser:
        ANONYMISERS[name] = function
        return function

    return register


def user_foreign_keys(model: type[models.Model]) -> list[str]:
    """The names of the model's foreign keys (and one-to-one fields) to the user model."""
    user_model = get_user_model()
    return [
        field.name
        for field in model._meta.get_fields()
        if field.many_to_one or field.one_to_one
        if field.concrete and field.related_model is user_model
    ]


def register_history_tables() -> None:
    """Every history table (django-simple-history) by its foreign keys to the user: the
    person who made the change (``history_user``) and the person the row is about."""
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_user"):
            holds(model, *user_foreign_keys(model))


def replace_names(user, model: type[models.Model], fields: tuple[str, ...]) -> int:
    """Replace the person's full name, username and last name by the pseudonym in texts of
    ``model`` that name people (who was present, an admin log's object); the texts stay.
    Run before the user row itself is anonymised. Returns the number of rows changed."""
    names = [
        name
        for name in (user.get_full_name(), user.get_username(), user.last_name)
        if len(name) >= 3
    ]
    if not names:
        return 0
    condition = Q()
    for field in fields:
        for name in names:
            condition |= Q(**{f"{field}__icontains": name})
    changed = 0
    for row in model._default_manager.filter(condition):
        values = {}
        for field in fields:
            text = getattr(row, field)
            for name in names:
                # Whole words only: a last name inside another word stays.
                text = re.sub(rf"\b{re.escape(name)}\b", pseudonym(user), text, flags=re.I)
            values[field] = text
        # update(): no lock bump and no timestamps, the content stays as it was.
        model._default_manager.filter(pk=row.pk).update(**values)
        changed += 1
    return changed


@anonymiser("admin_log_names_replaced")
def replace_names_in_admin_log(user, day: datetime.date) -> int:
    from django.contrib.admin.models import LogEntry

    return replace_names(user, LogEntry, ("object_repr", "change_message"))


@anonymiser("two_factor_devices_removed")
def remove_two_factor_devices(user, day: datetime.date) -> int:
    """An anonymised person signs in no more: their two-factor devices (and codes) go."""
    return sum(
        apps.get_model(label).objects.filter(user=user).delete()[0]
        for label in ("otp_totp.TOTPDevice", "otp_static.StaticDevice")
    )


def register_own_models() -> None:
    """This app's models and those of the libraries below it (called from ``ready``)."""
    user_model = get_user_model()
    holds(user_model, "pk", hidden=USER_FIELDS_NOT_EXPORTED)
    # Django's groups and permissions per user (the portal's roles are memberships instead).
    holds(user_model.groups.through, "user")
    holds(user_model.user_permissions.through, "user")
    holds(Membership, "user")
    holds(Appointment, "ib")
    holds("schools.AppointmentShare", "appointment__ib")
    # Own hours say something about the person (a starter, older staff, study leave).
    holds("schools.OwnHours", "appointment__ib")
    holds(Preference, "user")
    # An import by the person: what they uploaded, not the file's rows (other people's names
    # and addresses in an HR export).
    holds("schools.ImportBatch", "user", hidden={"rows", "actions", "summary"})
    holds("schools.HrRecord", "user")
    holds("schools.Invitation", "user", "invited_by")
    holds("schools.DevelopmentPoint", "proposed_by")
    holds(SecurityEvent, "user")
    holds("admin.LogEntry", "user")
    # Two-factor sign-in (django-otp): the devices, without their keys. The recovery codes
    # (StaticToken) hang on the device, not on the person, and are never given out.
    holds("otp_totp.TOTPDevice", "user", hidden={"key"})
    holds("otp_static.StaticDevice", "user")
    register_history_tables()


# ---------------------------------------------------------------------------
# The download: everything about one person
# ---------------------------------------------------------------------------


@dataclass
class Section:
    """The rows of one model about the person, as plain values (JSON) and for reading."""

    label: str  # "schools.Appointment"
    title: str  # the model's verbose name, plural
    fields: list[tuple[str, str]]  # (name, verbose name)
    rows: list[dict]
    readable: list[list[str]] | None = None  # the rows' values in words, for the HTML page

    @property
    def labelled(self) -> list[list[tuple[str, str]]]:
        """Each row as (column label, value in words) pairs, for the stacked table."""
        labels = [label for _name, label in self.fields]
        return [list(zip(labels, row, strict=True)) for row in self.table]

    @property
    def table(self) -> list[list[str]]:
        if self.readable is not None:
            return self.readable
        return [
            ["—" if row[n] in (None, "") else str(row[n]) for n, _v in self.fields]
            for row in self.rows
        ]


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _section(holder: Holder, user) -> Section | None:
    rows = list(holder.rows_of(user))
    if not rows:
        return None
    meta = holder.model._meta
    fields = [
        (field.name, str(field.verbose_name))
        for field in meta.concrete_fields
        if field.name not in holder.hidden
    ]
    data = serializers.serialize("python", rows, fields=[name for name, _v in fields])
    plain = [
        {
            "id": _plain(item["pk"]),
            **{name: _plain(value) for name, value in item["fields"].items()},
        }
        for item in data
    ]
    shown = [meta.get_field(n) for n, _v in fields if n != meta.pk.name]
    names: dict = {}  # (model, pk) -> name: a history of many rows names each object once
    tracked = getattr(holder.model, "instance_type", None)  # a history table's own model
    title = (
        gettext("History of %(things)s") % {"things": tracked._meta.verbose_name_plural}
        if tracked
        else str(meta.verbose_name_plural)
    )
    return Section(
        holder.label,
        title,
        [("id", "id"), *[(n, v) for n, v in fields if n != meta.pk.name]],
        plain,
        [[str(row.pk), *(readable(row, field, user, names) for field in shown)] for row in rows],
    )


def readable(row: models.Model, field: models.Field, user, names: dict) -> str:
    """A value in words: choices by their label, other people by their id only (the download
    is about the person, not about colleagues), related objects by their name."""
    value = getattr(row, field.attname)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    if field.is_relation:
        if field.related_model is get_user_model():
            if value == user.pk:
                return gettext("you")
            return gettext("another user (id %(id)s)") % {"id": value}
        key = (field.related_model, value)
        if key not in names:
            try:
                names[key] = str(getattr(row, field.name))
            except ObjectDoesNotExist:  # history rows keep ids of objects deleted since
                names[key] = f"#{value}"
        return names[key]
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def person_export(user) -> list[Section]:
    """Every row of every registered model about ``user``, model by model."""
    sections = [_section(holder, user) for holder in HOLDERS.values()]
    sections += extra_sections(user)
    return [section for section in sections if section is not None]


def extra_sections(user) -> list[Section | None]:
    """Records held about the person without a foreign key: queued mail and sign-in
    throttling (by username)."""
    return [
        _plain_section(mails_of(user), ["enqueued_at", "status", "args_kwargs"]),
        *(
            _plain_section(rows, ["username", "ip_address", "user_agent", "attempt_time"])
            for _label, rows in throttling_rows(user)
        ),
    ]


def _plain_section(queryset, names: list[str]) -> Section | None:
    model = queryset.model
    label = model._meta.label
    rows = list(queryset)
    if not rows:
        return None
    present = [name for name in names if any(f.name == name for f in model._meta.concrete_fields)]
    fields = [("id", "id"), *[(n, str(model._meta.get_field(n).verbose_name)) for n in present]]
    return Section(
        label,
        str(model._meta.verbose_name_plural),
        fields,
        [{"id": _plain(row.pk), **{n: _plain(getattr(row, n)) for n in present}} for row in rows],
    )


def mails_of(user) -> models.QuerySet:
    """The mail queue's entries for the user (the queue holds the user id, not the address)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(args_kwargs__kwargs__user_id=user.pk)


def throttling_rows(user) -> Iterable[tuple[str, models.QuerySet]]:
    """django-axes' records of sign-in attempts under the user's username."""
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        yield model._meta.label, model.objects.filter(username=user.get_username())


def export_json(user) -> dict:
    return {
        "exported_at": timezone.now().isoformat(),
        "user_id": user.pk,
        "data": {section.label: section.rows for section in person_export(user)},
    }


# ---------------------------------------------------------------------------
# Leavers and anonymisation
# ---------------------------------------------------------------------------


def is_anonymised(user) -> bool:
    return user.get_username() == ANONYMOUS_USERNAME.format(pk=user.pk)


def pseudonym(user) -> str:
    return f"{PSEUDONYM_FIRST_NAME} {user.pk}"


def left_on(user_ids: Iterable[int]) -> dict[int, datetime.date]:
    """The day each person left: the last end date of their appointments, or the day their
    last role was removed (from the history of the roles), whichever is later."""
    ends = dict(
        Appointment.objects.filter(ib_id__in=user_ids)
        .values("ib_id")
        .annotate(last=Max("end_date"))
        .values_list("ib_id", "last")
    )
    removed = dict(
        Membership.history.filter(user_id__in=user_ids, history_type="-")
        .values("user_id")
        .annotate(last=Max("history_date"))
        .values_list("user_id", "last")
    )
    days = {}
    for pk in user_ids:
        candidates = [ends.get(pk), removed[pk].date() if removed.get(pk) else None]
        known = [day for day in candidates if day is not None]
        if known:
            days[pk] = max(known)
    return days


def leaver_boards(user_ids: Iterable[int]) -> dict[int, set[int]]:
    """The boards each person worked for: their appointments and (removed) roles."""
    boards: dict[int, set[int]] = {}
    for pk, board_id in Appointment.objects.filter(ib_id__in=user_ids).values_list(
        "ib_id", "board_id"
    ):
        boards.setdefault(pk, set()).add(board_id)
    school_boards = dict(apps.get_model("schools", "School").objects.values_list("id", "board_id"))
    for pk, board_id, school_id in Membership.history.filter(user_id__in=user_ids).values_list(
        "user_id", "board_id", "school_id"
    ):
        board = board_id or school_boards.get(school_id)
        if board:
            boards.setdefault(pk, set()).add(board)
    return boards


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def leavers_due(today: datetime.date) -> list[int]:
    """The ids of the people to anonymise on ``today``: no role and no appointment left that
    has not ended, not anonymised yet, no superuser or staff account, and left longer ago
    than the longest retention period of the boards they worked for."""
    user_model = get_user_model()
    candidates = list(
        user_model.objects.filter(is_superuser=False, is_staff=False)
        .exclude(memberships__isnull=False)
        .exclude(ib_appointments__in=Appointment.objects.not_ended_on(today))
        .values_list("pk", flat=True)
        .distinct()
    )
    days = left_on(candidates)
    boards = leaver_boards(days)
    retention = dict(Board.objects.values_list("id", "retention_years"))
    due = []
    usernames = dict(user_model.objects.filter(pk__in=days).values_list("pk", "username"))
    for pk, day in sorted(days.items()):
        if usernames[pk] == ANONYMOUS_USERNAME.format(pk=pk):
            continue
        years = max((retention.get(board, 2) for board in boards.get(pk, ())), default=2)
        if add_years(day, years) <= today:
            due.append(pk)
    return due


@transaction.atomic
def anonymise_person(user, *, today: datetime.date | None = None) -> dict[str, int]:
    """Remove what names ``user`` and keep the figures; returns counts per step. Idempotent:
    a second call changes nothing. The caller ends the person's roles and appointments
    first (``person_end``); what is left open is ended here on ``today``."""
    today = today or timezone.localdate()
    counts: dict[str, int] = {}
    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    old_username = user.get_username()
    counts["appointments_ended"] = end_appointments(user, today, board_id=None)
    counts["roles_removed"] = Membership.objects.filter(user=user).count()
    for membership in Membership.objects.filter(user=user):
        membership.delete()  # one by one: the history of the roles records each removal
    counts["preferences_removed"] = Preference.objects.filter(user=user).delete()[0]
    counts["security_events_stripped"] = (
        SecurityEvent.objects.filter(user=user).exclude(network="").update(network="")
    )
    counts["queued_mail_removed"] = mails_of(user).delete()[0]
    # The stored HR files name the person (before their HR records go: those give the numbers).
    counts["hr_import_batches_scrubbed"] = scrub_person_from_imports(user, pseudonym(user))
    # The personnel number links the pseudonym to the HR system; the invitations to the address.
    counts["hr_records_removed"] = HrRecord.objects.filter(user=user).delete()[0]
    # After the removal, whose history row copies the number too.
    counts["hr_record_history_stripped"] = (
        HrRecord.history.filter(user_id=user.pk)
        .exclude(personnel_number="")
        .update(personnel_number="", function="")
    )
    counts["invitations_removed"] = Invitation.objects.filter(user=user).delete()[0]
    counts["throttling_records_removed"] = sum(
        rows.delete()[0] for _label, rows in throttling_rows(user)
    )
    for name, step in ANONYMISERS.items():
        counts[name] = step(user, today)
    changed = not is_anonymised(user)
    user.username = ANONYMOUS_USERNAME.format(pk=user.pk)
    user.first_name, user.last_name, user.email = PSEUDONYM_FIRST_NAME, str(user.pk), ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    counts["users_anonymised"] = int(changed)
    if old_username != user.username:
        logger.info("Anonymised user %s", user.pk)
    return counts


def end_appointments(user, day: datetime.date, *, board_id: int | None) -> int:
    """End the person's appointments that have not ended by ``day`` (at one board, or all):
    their last day is ``day``, or the day after the start for one that had not begun."""
    open_ones = Appointment.objects.filter(ib=user).not_ended_on(day + datetime.timedelta(days=1))
    if board_id is not None:
        open_ones = open_ones.filter(board_id=board_id)
    count = 0
    for appointment in open_ones:
        appointment.end_date = max(day, appointment.start_date + datetime.timedelta(days=1))
        appointment.save(update_fields=["end_date", "updated_at"])
        count += 1
    return count


def board_persons(board: Board) -> models.QuerySet:
    """The people of a board: a role at the board or one of its schools, or an appointment
    there; anonymised people are no longer listed."""
    # Subqueries, not joins: no DISTINCT, which on PostgreSQL would clash with the ordering
    # by an expression (the surname without prefix).
    roles = Membership.objects.filter(Q(board=board) | Q(school__board=board)).values("user_id")
    appointments = Appointment.objects.filter(board=board).values("ib_id")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=roles) | Q(pk__in=appointments))
        .exclude(username__startswith="oud-medewerker-")
        .order_by(*surname_order())
    )


def roles_elsewhere(user, board: Board) -> bool:
    """Whether the person keeps a role or an appointment that has not ended outside ``board``."""
    elsewhere_roles = Membership.objects.filter(user=user).exclude(
        Q(board=board) | Q(school__board=board)
    )
    elsewhere_appointments = (
        Appointment.objects.filter(ib=user)
        .exclude(board=board)
        .not_ended_on(timezone.localdate() + datetime.timedelta(days=1))
    )
    return elsewhere_roles.exists() or elsewhere_appointments.exists()


@transaction.atomic
def person_end(*, board: Board, user, today: datetime.date | None = None) -> dict[str, int]:
    """A board administrator ends a person at their board: every appointment there ends
    today, every role at the board and its schools goes. When the person has nothing left
    at another board, they are anonymised at once by the same rules as the retention
    command (``anonymise_person``); else the other board keeps them."""
    today = today or timezone.localdate()
    counts = {"appointments_ended": end_appointments(user, today, board_id=board.pk)}
    roles = Membership.objects.filter(user=user).filter(Q(board=board) | Q(school__board=board))
    counts["roles_removed"] = 0
    for membership in roles:
        membership.delete()
        counts["roles_removed"] += 1
    if roles_elsewhere(user, board):
        counts["users_anonymised"] = 0
        return counts
    anonymised = anonymise_person(user, today=today)
    return {key: counts.get(key, 0) + anonymised.get(key, 0) for key in {*counts, *anonymised}}
