"""History of every change that matters (django-simple-history) and the security events.

Every tracked model records who, when, and old and new values; board staff read them per object
in Dutch; the pages are scoped like the edit pages of the same objects (the access matrix in
test_access.py covers every role); security events are read by the board administrator only.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.versioning import StaleEdit, claim_version
from schools.imports import batch_commit, batch_create, read_file
from schools.models import (
    Appointment,
    AppointmentShare,
    Board,
    ImportBatch,
    Membership,
    Role,
    SchoolFigures,
    SecurityEvent,
)
from schools.security_events import SECURITY_EVENT_DAYS, network_of, prune
from schools.services import figures_save, school_save
from tasks.models import CatalogueTask

from . import factories as f
from .test_access import appointment_form_data


def form_data(form, **changes) -> dict:
    """What a browser posts for ``form`` as the page shows it, with ``changes``."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, D):
            value = str(value).replace(".", ",")
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def post_form(client, url, **changes):
    response = client.post(url, form_data(client.get(url).context["form"], **changes))
    assert response.status_code == 302, (
        getattr(response, "context", {}) and response.context["form"].errors
    )
    return response


def dutch_page(client, url) -> str:
    with translation.override("nl"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def staff(client, cast):
    client.force_login(cast.staff_a)
    return client


def change_fte(client, cast, fte: str) -> None:
    """Board staff change appointment_a's share at A1 through the edit page."""
    url = reverse("schools:appointment-edit", args=[cast.appointment_a.pk])
    data = appointment_form_data(
        cast, ib=cast.ib_a, start="2025-08-01", shares=[(cast.school_a1, fte)]
    )
    appointment = Appointment.objects.get(pk=cast.appointment_a.pk)
    share = appointment.shares.get()
    data.update(
        {
            "kind": appointment.kind,
            "salary_scale": appointment.salary_scale,
            "start_date": appointment.start_date.isoformat(),
            "shares-INITIAL_FORMS": "1",
            "shares-0-id": share.pk,
            "lock_version": str(appointment.lock_version),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


# ---------------------------------------------------------------------------
# recording: who, when, old and new
# ---------------------------------------------------------------------------


def test_an_fte_change_records_who_when_and_the_real_values(staff, cast):
    before = timezone.now()
    change_fte(staff, cast, "0,6")
    old, new = AppointmentShare.history.filter(appointment_id=cast.appointment_a.pk).order_by(
        "history_date", "history_id"
    )[::1][-2:]
    assert (old.fte, new.fte) == (D("0.8"), D("0.6"))
    assert new.history_type == "~"
    assert new.history_user == cast.staff_a
    assert new.history_date >= before
    # The appointment itself was saved too: its row holds values, never an F() expression.
    latest = Appointment.history.filter(id=cast.appointment_a.pk).latest()
    assert latest.history_user == cast.staff_a
    assert latest.salary_scale == cast.appointment_a.salary_scale
    assert not hasattr(latest, "lock_version")


def test_a_plain_save_records_values_and_keeps_the_optimistic_lock(cast):
    board = Board.objects.get(pk=cast.board_a.pk)
    version = board.lock_version
    board.min_ib_fte = D("0.5")
    board.save()  # lock_version = F("lock_version") + 1 in the UPDATE
    record = Board.history.filter(id=board.pk).latest()
    assert record.min_ib_fte == D("0.5")
    assert Board.objects.get(pk=board.pk).lock_version == version + 1
    # A form opened on the old version is still refused.
    with pytest.raises(StaleEdit), transaction.atomic():
        claim_version(board, version)


def test_board_policy_change_is_recorded_with_its_author(staff, cast):
    post_form(staff, reverse("schools:board-edit", args=[cast.board_a.pk]), min_ib_fte="0,5")
    record = Board.history.filter(id=cast.board_a.pk).latest()
    assert (record.history_user, record.min_ib_fte) == (cast.staff_a, D("0.5"))
    assert record.prev_record.min_ib_fte == D("0.6")


def test_figures_change_is_recorded(staff, cast):
    start = cast.figures_a1.school_year.start_year
    url = reverse("schools:figures-edit", args=[cast.school_a1.pk, start])
    post_form(staff, url, pupils="321")
    record = SchoolFigures.history.filter(id=cast.figures_a1.pk).latest()
    assert (record.history_user, record.pupils) == (cast.staff_a, 321)


def test_catalogue_task_change_is_recorded(staff, cast):
    post_form(staff, reverse("tasks:task-edit", args=[cast.task_a.pk]), default_hours="12,5")
    record = CatalogueTask.history.filter(id=cast.task_a.pk).latest()
    assert (record.history_user, record.default_hours) == (cast.staff_a, D("12.5"))


def test_memberships_record_added_and_removed_directors(cast):
    newcomer = f.UserFactory()
    school_save(school=cast.school_a2, directors=[newcomer])
    added = Membership.history.get(user_id=newcomer.pk, history_type="+")
    assert (added.role, added.school_id) == (Role.DIRECTOR, cast.school_a2.pk)
    school_save(school=cast.school_a2, directors=[])
    removed = Membership.history.get(user_id=newcomer.pk, history_type="-")
    assert removed.school_id == cast.school_a2.pk


def test_the_duo_import_writes_figures_and_their_history_in_bulk(client, cast):
    content = (
        b"BRIN_NUMMER;VESTIGINGSNUMMER;PEILJAAR;AANTAL_LEERLINGEN\n"
        b"11AA;00;2030;250\n"
        b"11AB;00;2030;180\n"
    )
    kind = ImportBatch.Kind.PUPILS
    records = read_file(content, kind)
    figures_save(school=cast.school_a1, start_year=2030, pupils=100, groups=5)
    version = SchoolFigures.objects.get(school=cast.school_a1, school_year__start_year=2030)
    batch = batch_create(
        board=cast.board_a,
        user=cast.staff_a,
        kind=kind,
        filename="leerlingen.csv",
        content=content,
        records=records,
    )
    batch_commit(batch=batch)
    updated = SchoolFigures.objects.get(pk=version.pk)
    assert updated.pupils == 250
    assert updated.lock_version == version.lock_version + 1  # open forms are refused
    record = SchoolFigures.history.filter(id=version.pk).latest()
    assert (record.history_type, record.pupils) == ("~", 250)
    created = SchoolFigures.objects.get(school=cast.school_a2, school_year__start_year=2030)
    assert SchoolFigures.history.get(id=created.pk).history_type == "+"


# ---------------------------------------------------------------------------
# the pages, in Dutch
# ---------------------------------------------------------------------------


def test_appointment_history_page_shows_old_and_new_fte_in_dutch(staff, cast):
    change_fte(staff, cast, "0,6")
    url = reverse("schools:appointment-history", args=[cast.appointment_a.pk])
    html = dutch_page(staff, url)
    assert "Geschiedenis" in html
    assert "Aandeel per school: School A1" in html
    assert '0,8</span> &rarr; <span class="history-new">0,6' in html
    assert cast.staff_a.get_full_name() in html
    detail = dutch_page(staff, reverse("schools:appointment-detail", args=[cast.appointment_a.pk]))
    assert url in detail


def test_board_history_shows_labels_of_fields_and_choices(staff, cast):
    post_form(
        staff,
        reverse("schools:board-edit", args=[cast.board_a.pk]),
        min_ib_fte="0,5",
        norm_kind=Board.NormKind.GROUPS,
    )
    html = dutch_page(staff, reverse("schools:board-history", args=[cast.board_a.pk]))
    assert "Minimale IB-aanstelling (fte)" in html
    assert '0,6</span> &rarr; <span class="history-new">0,5' in html
    with translation.override("nl"):
        groups = str(Board.NormKind.GROUPS.label)
    assert groups in html
    assert reverse("schools:board-history", args=[cast.board_a.pk]) in dutch_page(
        staff, reverse("schools:board-detail", args=[cast.board_a.pk])
    )


def test_figures_history_names_the_school_year(staff, cast):
    year = cast.figures_a1.school_year
    post_form(
        staff,
        reverse("schools:figures-edit", args=[cast.school_a1.pk, year.start_year]),
        pupils="321",
    )
    html = dutch_page(staff, reverse("schools:figures-history", args=[cast.school_a1.pk]))
    assert f"Schooljaar {year.name}" in html
    assert "Leerlingen op 1 oktober" in html
    assert "321" in html


def test_task_history_and_membership_history_pages(staff, cast):
    post_form(staff, reverse("tasks:task-edit", args=[cast.task_a.pk]), title="Groepsbespreking")
    html = dutch_page(staff, reverse("tasks:task-history", args=[cast.task_a.pk]))
    assert (
        'Groepsbesprekingen voeren</span> &rarr; <span class="history-new">Groepsbespreking' in html
    )
    html = dutch_page(staff, reverse("schools:membership-history", args=[cast.board_a.pk]))
    with translation.override("nl"):
        director = str(Role.DIRECTOR.label)
    assert director in html
    assert "School B1" not in html  # another board's roles


def test_a_save_that_changed_nothing_is_not_listed(staff, cast):
    board = Board.objects.get(pk=cast.board_a.pk)
    board.save()
    response = staff.get(reverse("schools:board-history", args=[cast.board_a.pk]))
    assert [entry.kind for entry in response.context["entries"]] == ["+"]


# ---------------------------------------------------------------------------
# scoping (the matrix in test_access.py has every role; these name the rule)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("schools:appointment-history", lambda c: c.appointment_b.pk),
        ("schools:board-history", lambda c: c.board_b.pk),
        ("schools:membership-history", lambda c: c.board_b.pk),
        ("schools:figures-history", lambda c: c.school_b1.pk),
        ("schools:security-events", lambda c: c.board_b.pk),
    ],
)
def test_another_boards_history_does_not_exist(client, cast, name, target):
    client.force_login(cast.admin_a)
    assert client.get(reverse(name, args=[target(cast)])).status_code == 404


def test_a_director_cannot_read_the_history_of_their_schools_figures(client, cast):
    client.force_login(cast.director_a)
    url = reverse("schools:figures-history", args=[cast.school_a1.pk])
    assert client.get(url).status_code == 403


# ---------------------------------------------------------------------------
# query counts: a page with many changes costs what a page with one costs
# ---------------------------------------------------------------------------

REQUEST = 3  # the session, the user, the user's memberships


def appointment_page_queries(client, cast) -> int:
    url = reverse("schools:appointment-history", args=[cast.appointment_a.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_appointment_history_query_count(staff, cast):
    change_fte(staff, cast, "0,7")
    expected = (
        REQUEST
        + 1  # the appointment through Appointment.objects.for_user, with IB and board
        + 1  # the appointment's history with its authors
        + 1  # the shares' history with their authors
        + 1  # the own hours' history with their authors
        + 1  # names of the schools the shares point to
        + 1  # names of the people (the IB) the appointment points to
        + 1  # names of the boards
    )
    assert appointment_page_queries(staff, cast) == expected
    for fte in ("0,6", "0,5", "0,4", "0,3"):
        change_fte(staff, cast, fte)
    assert appointment_page_queries(staff, cast) == expected


# ---------------------------------------------------------------------------
# security events
# ---------------------------------------------------------------------------


def test_sign_in_and_failed_sign_in_are_recorded_with_the_network(client, cast):
    cast.staff_a.set_password("een-goed-wachtwoord")
    cast.staff_a.save()
    login = reverse("login")
    client.post(login, {"username": "staff_a", "password": "fout"}, REMOTE_ADDR="203.0.113.7")
    client.post(login, {"username": "niemand", "password": "fout"}, REMOTE_ADDR="203.0.113.7")
    client.post(
        login,
        {"username": "staff_a", "password": "een-goed-wachtwoord"},
        REMOTE_ADDR="203.0.113.7",
    )
    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", "user_id", "network"))
    assert kinds == [
        (SecurityEvent.Kind.LOGIN_FAILED, cast.staff_a.pk, "203.0.113.0/24"),
        (SecurityEvent.Kind.LOGIN_FAILED, None, "203.0.113.0/24"),  # no name stored
        (SecurityEvent.Kind.LOGIN, cast.staff_a.pk, "203.0.113.0/24"),
    ]
    assert "niemand" not in str(list(SecurityEvent.objects.values()))


def test_exports_and_the_import_commit_are_recorded(staff, cast):
    staff.get(reverse("schools:comparison-export", args=[cast.board_a.pk, "csv"]))
    exports = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT, user=cast.staff_a)
    assert exports.get().detail.startswith("vergelijking-")
    content = (
        b"BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM;BEVOEGD GEZAG NUMMER\n"
        b"11AC;00;OBS Nieuw;Eindhoven;11111\n"
    )
    kind = ImportBatch.Kind.LOCATIONS
    batch = batch_create(
        board=cast.board_a,
        user=cast.staff_a,
        kind=kind,
        filename="vestigingen.csv",
        content=content,
        records=read_file(content, kind),
    )
    staff.post(reverse("schools:import-commit", args=[cast.board_a.pk, batch.pk]))
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.IMPORT)
    assert (event.user, event.detail) == (cast.staff_a, "vestigingen.csv")


def test_the_board_administrator_reads_the_events_of_the_boards_people_only(client, cast):
    SecurityEvent.objects.create(user=cast.director_a, kind=SecurityEvent.Kind.LOGIN)
    SecurityEvent.objects.create(user=cast.staff_b, kind=SecurityEvent.Kind.LOGIN)
    SecurityEvent.objects.create(user=None, kind=SecurityEvent.Kind.LOGIN_FAILED)
    client.force_login(cast.admin_a)  # records the administrator's own sign-in
    response = client.get(reverse("schools:security-events", args=[cast.board_a.pk]))
    users = {event.user_id for event in response.context["events"]}
    assert users == {cast.director_a.pk, cast.admin_a.pk}
    html = dutch_page(client, reverse("schools:security-events", args=[cast.board_a.pk]))
    assert "Beveiligingsgebeurtenissen" in html and "Ingelogd" in html
    staff_page = reverse("schools:board-detail", args=[cast.board_a.pk])
    assert reverse("schools:security-events", args=[cast.board_a.pk]) in dutch_page(
        client, staff_page
    )


def test_security_events_read_dutch_in_dutch(client, cast):
    """Tester 5 #8: "5 Dec 2026 23:04" and "Export: task division 3 (xlsx)" on the Dutch page.
    The month is Dutch's own abbreviation, the division's export detail is translated (also
    for an event stored in English before it had a key)."""
    at = timezone.make_aware(datetime.datetime(2026, 12, 5, 23, 4))
    for detail in ("task_division:3 (xlsx)", "task division 4 (csv)"):
        SecurityEvent.objects.create(
            user=cast.director_a, kind=SecurityEvent.Kind.EXPORT, detail=detail, at=at
        )
    client.force_login(cast.admin_a)
    html = dutch_page(client, reverse("schools:security-events", args=[cast.board_a.pk]))
    assert "5 dec 2026 23:04" in html and "Dec" not in html
    assert "taakverdeling 3 (xlsx)" in html and "taakverdeling 4 (csv)" in html
    assert "task division" not in html


def test_division_export_is_recorded_with_a_key(cast, client):
    """The division's export stores a key and ids only; the page shows it in the reader's
    language."""
    from .conftest import add_package_a
    from .test_access import division_a

    add_package_a(cast)
    obj = division_a(cast)
    client.force_login(cast.director_a)
    client.get(reverse("tasks:division-export", args=[obj.pk, "csv"]))
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT, user=cast.director_a)
    assert event.detail == f"task_division:{obj.pk} (csv)"
    with translation.override("nl"):
        assert event.detail_text == f"taakverdeling {obj.pk} (csv)"


def test_board_staff_who_are_not_administrators_get_403(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:security-events", args=[cast.board_a.pk])
    assert client.get(url).status_code == 403


def test_events_older_than_the_retention_are_pruned(cast):
    old = SecurityEvent.objects.create(
        user=cast.staff_a,
        kind=SecurityEvent.Kind.LOGIN,
        at=timezone.now() - datetime.timedelta(days=SECURITY_EVENT_DAYS + 1),
    )
    recent = SecurityEvent.objects.create(user=cast.staff_a, kind=SecurityEvent.Kind.LOGIN)
    assert prune() == 1
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()
    call_command("prune_security_events")


def test_the_network_is_cut_to_a_24_or_48_prefix(rf):
    assert network_of(rf.get("/", REMOTE_ADDR="192.0.2.77")) == "192.0.2.0/24"
    assert network_of(rf.get("/", REMOTE_ADDR="2001:db8:1:2::7")) == "2001:db8:1::/48"
    assert network_of(rf.get("/", REMOTE_ADDR="")) == ""


def test_security_event_log_lines_name_users_by_id_only(client, cast, caplog):
    with caplog.at_level(logging.INFO, logger="schools.security_events"):
        client.force_login(cast.staff_a)
    text = caplog.text
    assert str(cast.staff_a.pk) in text
    for personal in ("staff_a", cast.staff_a.email, cast.staff_a.first_name):
        assert personal not in text


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_membership_history_query_count(staff, cast):
    url = reverse("schools:membership-history", args=[cast.board_a.pk])
    expected = (
        REQUEST
        + 1  # the board, through Board.objects.for_user
        + 1  # the roles' history at the board and its schools, with their authors
        + 1  # names of the people
        + 1  # names of the boards
        + 1  # names of the schools
    )
    assert page_queries(staff, url) == expected
    school_save(school=cast.school_a2, directors=[f.UserFactory() for _ in range(10)])
    school_save(school=cast.school_a2, directors=[])
    assert page_queries(staff, url) == expected


@pytest.mark.parametrize(
    ("name", "target", "field", "values"),
    [
        ("schools:board-history", lambda c: c.board_a, "min_ib_fte", ["0.1", "0.2", "0.3"]),
        ("schools:figures-history", lambda c: c.figures_a1, "pupils", [10, 20, 30]),
        ("tasks:task-history", lambda c: c.task_a, "default_hours", ["1", "2", "3"]),
    ],
)
def test_history_pages_cost_the_same_with_one_change_or_many(
    staff, cast, name, target, field, values
):
    obj = target(cast)
    owner = obj.school_id if name == "schools:figures-history" else obj.pk
    url = reverse(name, args=[owner])
    first = page_queries(staff, url)
    for value in values:
        row = type(obj).objects.get(pk=obj.pk)
        setattr(row, field, value)
        row.save()
    assert page_queries(staff, url) == first


def test_security_events_query_count(client, cast):
    client.force_login(cast.admin_a)
    url = reverse("schools:security-events", args=[cast.board_a.pk])
    expected = (
        REQUEST
        + 1  # the board, through Board.objects.for_user
        + 1  # the events of the board's people, with the user
    )
    assert page_queries(client, url) == expected
    for person in (cast.staff_a, cast.director_a, cast.ib_a):
        SecurityEvent.objects.create(user=person, kind=SecurityEvent.Kind.LOGIN)
    assert page_queries(client, url) == expected


def test_a_removed_share_and_a_change_before_the_history_began(staff, cast):
    # As on an upgraded database: the appointment's rows existed before their history.
    Appointment.history.filter(id=cast.appointment_a.pk).delete()
    data = appointment_form_data(
        cast, ib=cast.ib_a, start="2025-08-01", shares=[(cast.school_a2, "0,5")]
    )
    appointment = Appointment.objects.get(pk=cast.appointment_a.pk)
    data.update(
        {
            "kind": appointment.kind,
            "salary_scale": "LD",
            "shares-INITIAL_FORMS": "0",
            "lock_version": str(appointment.lock_version),
        }
    )
    url = reverse("schools:appointment-edit", args=[appointment.pk])
    assert staff.post(url, data).status_code == 302
    html = dutch_page(staff, reverse("schools:appointment-history", args=[appointment.pk]))
    assert "Aandeel per school: School A1: verwijderd" in html
    assert "Aandeel per school: School A2: aangemaakt" in html
    assert 'onbekend</span> &rarr; <span class="history-new">LD' in html
