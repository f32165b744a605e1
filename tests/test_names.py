"""Dutch sorting of people by surname without prefix (core/names.py), in Python and in the
database, and on the pages that list people."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from core.names import Person, surname, surname_key, surname_order
from schools.models import display_name

from . import factories as f

NAMES = [
    ("Jan", "de Vries"),
    ("Anna", "van der Berg"),
    ("Piet", "Bakker"),
    ("Els", "van 't Hof"),
    ("Kees", "Visser"),
    ("Mo", "ter Horst"),
    ("Ad", "Aalders"),
]
EXPECTED = ["Ad Aalders", "Piet Bakker", "Anna van der Berg", "Els van 't Hof", "Mo ter Horst",
            "Kees Visser", "Jan de Vries"]  # fmt: skip


@pytest.mark.parametrize(
    ("last_name", "expected"),
    [("de Vries", "Vries"), ("van der Berg", "Berg"), ("Van Dijk", "Dijk"), ("Vries", "Vries"),
     ("van 't Hof", "Hof"), ("d'Ancona", "Ancona"), ("Dekker", "Dekker"), ("van", "van")],
)  # fmt: skip
def test_surname_without_prefix(last_name, expected):
    assert surname(last_name) == expected


@pytest.fixture
def people(cast):
    return [f.ib(cast.board_a, first_name=first, last_name=last) for first, last in NAMES]


def test_python_and_database_sort_alike(people):
    in_python = [u.get_full_name() for u in sorted(people, key=surname_key)]
    users = get_user_model().objects.filter(pk__in=[u.pk for u in people])
    in_database = [u.get_full_name() for u in users.order_by(*surname_order())]
    assert in_python == in_database == EXPECTED


@pytest.mark.parametrize(
    ("first", "last", "username"),
    [
        ("Anna", "van der Berg", "anna"),
        ("", "", "zonder.naam"),
        ("Mo", "", "mo"),
        ("", "Aalders", "a"),
    ],
)
def test_names_read_as_values_show_and_sort_as_their_user(first, last, username):
    user = get_user_model()(first_name=first, last_name=last, username=username)
    person = Person(first, last, username)
    assert display_name(person) == display_name(user)
    assert surname_key(person) == surname_key(user)


def test_staff_page_lists_people_by_surname_without_prefix(client, cast, people):
    client.force_login(cast.admin_a)
    page = client.get(reverse("schools:staff-list", args=[cast.board_a.pk])).text
    positions = [page.index(escape(name)) for name in EXPECTED]
    assert positions == sorted(positions)


def test_appointments_list_by_surname_without_prefix(client, cast, people):
    for user in people:
        f.AppointmentFactory(board=cast.board_a, ib=user, shares=[(cast.school_a2, 0.1)])
    client.force_login(cast.staff_a)
    page = client.get(reverse("schools:appointment-list")).text
    positions = [page.index(escape(name)) for name in EXPECTED]
    assert positions == sorted(positions)
