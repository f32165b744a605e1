"""What needs doing now: the list at the top of each role's start page and in the weekly digest.

Each kind of item comes from a *provider*: a function ``(user, scope, today) -> list[Item]``
that lives in the lowest app owning the data it reads (``schools/todo_items.py``,
``competencies/todo_items.py``, ``tasks/todo_items.py``) and registers itself for the roles it
serves with ``@provider(Role.IB, ...)``; each app's ``AppConfig.ready()`` imports its module.
The start pages (schools views) and the digest (``ibportal``) read every registered provider
through ``items_for`` without importing any app above this one. A new kind of item (werkplan,
realisation, evaluation, ...) is one more decorated function in its app's ``todo_items.py``.

A provider reaches rows only through the ``for_user`` entry points and costs a fixed number of
queries, whatever the data: the start pages' query counts are pinned in the tests.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Role, Scope, get_scope

# A pk no row has: reversed once, then replaced by each row's pk (``url_pattern``).
_PK = 987654321


def url_pattern(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for many pks at the cost of one reverse: for lists of
    items or rows that each link to their own object."""
    before, after = reverse(name, args=[_PK]).split(str(_PK))
    return lambda pk: f"{before}{pk}{after}"


# At most this many items of one kind are listed; the rest is one line linking to them all.
SHOWN_PER_KIND = 5


@dataclass(frozen=True)
class Item:
    """One thing to do: what, for which school or IB, since or due when, and where."""

    kind: str  # stable key of the provider's kind, e.g. "package-review"
    title: str  # what, e.g. "Takenpakket beoordelen"
    subject: str  # for which school or IB
    url: str  # where to do it (a path)
    since: datetime.date | None = None  # waiting since
    due: datetime.date | None = None  # to be done by
    on: datetime.date | None = None  # the day it takes place (a meeting): "on", not "by"
    note: str = ""  # a fact that makes it urgent, e.g. "12 uur boven het budget"
    more_url: str = ""  # the page listing every item of this kind
    rank: int = 50  # among items of the same date: lower first

    @property
    def when(self) -> datetime.date | None:
        """The date it is sorted by: its due date or the day it takes place, else the date it
        waits since."""
        return self.due or self.on or self.since

    def sort_key(self) -> tuple:
        return (self.when is None, self.when or datetime.date.max, self.rank, self.subject)


@dataclass(frozen=True)
class Row:
    """An item as shown: with its dates in words; or, with ``more``, the line that stands for
    the items of a kind beyond ``SHOWN_PER_KIND``."""

    item: Item
    dates: str = ""
    more: int = 0

    @property
    def more_text(self) -> str:
        return _("%(title)s: %(count)s more") % {"title": self.item.title, "count": self.more}


@dataclass
class TodoList:
    rows: list[Row] = field(default_factory=list)
    total: int = 0
    digest_on: bool = True

    def __bool__(self) -> bool:
        return self.total > 0


Provider = Callable[[object, Scope, datetime.date], list[Item]]

# role -> providers, in registration order (the order does not matter: items are sorted).
_PROVIDERS: dict[str, dict[str, Provider]] = {}


def provider(*roles: Role) -> Callable[[Provider], Provider]:
    """Register a provider for the roles it serves (board staff covers board administrators)."""

    def register(func: Provider) -> Provider:
        for role in roles:
            # Keyed by name: importing a module twice registers nothing twice.
            _PROVIDERS.setdefault(role, {})[f"{func.__module__}.{func.__qualname__}"] = func
        return func

    return register


def roles_of(scope: Scope) -> list[str]:
    roles = []
    if scope.is_board_staff:
        roles.append(Role.BOARD_STAFF)
    if scope.is_director:
        roles.append(Role.DIRECTOR)
    if scope.is_ib:
        roles.append(Role.IB)
    if scope.is_partnership_staff:
        roles.append(Role.PARTNERSHIP_STAFF)
    return roles


def has_providers(user) -> bool:
    """Whether any of the user's roles has a to-do list (partnership staff: not yet)."""
    return any(_PROVIDERS.get(role) for role in roles_of(get_scope(user)))


def items_for(user, today: datetime.date | None = None) -> list[Item]:
    """Every item of every provider of the user's roles, most urgent first."""
    scope = get_scope(user)
    today = today or timezone.localdate()
    providers: dict[str, Provider] = {}
    for role in roles_of(scope):
        providers.update(_PROVIDERS.get(role, {}))
    items = [item for func in providers.values() for item in func(user, scope, today)]
    return sorted(items, key=Item.sort_key)


def fold(items: list[Item], today: datetime.date, limit: int = SHOWN_PER_KIND) -> list[Row]:
    """The items, at most ``limit`` of a kind; after the last one shown, a line for the rest."""
    total: dict[str, int] = {}
    for item in items:
        total[item.kind] = total.get(item.kind, 0) + 1
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for item in items:
        seen[item.kind] = seen.get(item.kind, 0) + 1
        if seen[item.kind] > limit:
            continue
        rows.append(Row(item=item, dates=describe_dates(item, today)))
        if seen[item.kind] == limit and total[item.kind] > limit:
            rows.append(Row(item=item, more=total[item.kind] - limit))
    return rows


def todo_list(user, today: datetime.date | None = None) -> TodoList:
    today = today or timezone.localdate()
    items = items_for(user, today)
    return TodoList(rows=fold(items, today), total=len(items))


def describe_dates(item: Item, today: datetime.date) -> str:
    """ "since 12 October 2026", "by 1 August 2026", "was due by ..." or, for something that
    takes place on a day (a meeting), "on 23 December 2026", in the active language (the page
    and the digest say it the same way)."""
    parts = []
    if item.since:
        parts.append(_("since %(date)s") % {"date": date_format(item.since, "j F Y")})
    if item.due:
        template = _("was due by %(date)s") if item.due < today else _("by %(date)s")
        parts.append(template % {"date": date_format(item.due, "j F Y")})
    if item.on:
        parts.append(_("on %(date)s") % {"date": date_format(item.on, "j F Y")})
    return ", ".join(parts)
