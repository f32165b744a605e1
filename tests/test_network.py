"""The board's IB network (issue 17): who sees what, attendance as derived training hours,
stale saves, uploads, the IB's to-do item and pinned query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from competencies import network
from competencies.network_models import (
    Network,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
)
from schools.models import get_scope
from schools.todo import describe_dates, items_for

from . import factories as f

REQUEST = 3  # the session, the user, the user's memberships
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def meeting_of(board, days: int = -7, **fields) -> NetworkMeeting:
    defaults = {
        "date": timezone.localdate() + datetime.timedelta(days=days),
        "start_time": datetime.time(15, 30),
        "place": "Bestuursbureau",
        "agenda": "Agenda van de bijeenkomst",
        "minutes": "Verslag van de bijeenkomst",
    }
    return NetworkMeeting.objects.create(board=board, **{**defaults, **fields})


def counts_as_training(board, hours: str = "2.5") -> Network:
    return Network.objects.create(
        board=board, counts_as_training=True, hours_per_meeting=Decimal(hours)
    )


# ---------------------------------------------------------------------------
# who sees what
# ---------------------------------------------------------------------------


def test_director_reads_agenda_and_minutes_but_no_attendance(client, cast):
    meeting = meeting_of(cast.board_a)
    NetworkAttendance.objects.create(meeting=meeting, ib=cast.ib_a, status="present")
    client.force_login(cast.director_a)
    response = client.get(reverse("competencies:network-meeting", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Agenda van de bijeenkomst" in response.text
    assert "Verslag van de bijeenkomst" in response.text
    assert response.context["attendances"] == []
    assert cast.ib_a.get_full_name() not in response.text
    assert not NetworkAttendance.objects.for_user(cast.director_a).exists()


def test_director_sees_no_documents(client, cast):
    NetworkDocument.objects.create(
        board=cast.board_a, title="Intervisieformat", url="https://example.org/"
    )
    client.force_login(cast.director_a)
    response = client.get(reverse("competencies:network", args=[cast.board_a.pk]))
    assert response.context["documents"] is None
    assert "Intervisieformat" not in response.text


def test_ib_sees_only_own_attendance(client, cast):
    colleague = f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a2, "0.6")]).ib
    meeting = meeting_of(cast.board_a)
    NetworkAttendance.objects.create(meeting=meeting, ib=cast.ib_a, status="excused")
    NetworkAttendance.objects.create(meeting=meeting, ib=colleague, status="present")
    client.force_login(cast.ib_a)
    response = client.get(reverse("competencies:network-meeting", args=[meeting.pk]))
    assert [row.ib for row in response.context["attendances"]] == [cast.ib_a]
    assert colleague.last_name not in response.text
    home = client.get(reverse("competencies:network", args=[cast.board_a.pk]))
    assert home.context["past"][0].own_status == NetworkAttendance.Status.EXCUSED.label


def test_board_staff_see_the_whole_attendance_list(client, cast):
    meeting = meeting_of(cast.board_a)
    NetworkAttendance.objects.create(meeting=meeting, ib=cast.ib_a, status="present")
    client.force_login(cast.staff_a)
    response = client.get(reverse("competencies:network-meeting", args=[meeting.pk]))
    assert [row.ib for row in response.context["attendances"]] == [cast.ib_a]


@pytest.mark.parametrize("user", ["staff_b", "ib_b", "director_b", "partnership_staff"])
def test_other_boards_and_partnership_get_404(client, cast, user):
    meeting = meeting_of(cast.board_a)
    client.force_login(cast.user(user))
    assert client.get(reverse("competencies:network-meeting", args=[meeting.pk])).status_code == 404
    url = reverse("competencies:network", args=[cast.board_a.pk])
    assert client.get(url).status_code == 404


def test_menu_link_leads_to_own_board(client, cast):
    client.force_login(cast.ib_b)
    response = client.get(reverse("competencies:network-start"))
    assert response["Location"] == reverse("competencies:network", args=[cast.board_b.pk])


# ---------------------------------------------------------------------------
# keeping the network: meetings, attendance, stale saves
# ---------------------------------------------------------------------------


def test_staff_plan_a_meeting_and_record_minutes(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("competencies:network-meeting-create", args=[cast.board_a.pk]),
        {"date": "2026-04-09", "start_time": "15:30", "place": "Eersel", "lock_version": ""},
    )
    meeting = NetworkMeeting.objects.get(board=cast.board_a)
    assert response["Location"] == reverse("competencies:network-meeting", args=[meeting.pk])
    response = client.post(
        reverse("competencies:network-meeting-edit", args=[meeting.pk]),
        {
            "date": "2026-04-09",
            "start_time": "15:30",
            "place": "Eersel",
            "minutes": "Afgesproken: format delen",
            "lock_version": str(meeting.lock_version),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Afgesproken: format delen"
    assert meeting.history.count() == 2


def test_end_before_start_is_refused_with_input_kept(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("competencies:network-meeting-create", args=[cast.board_a.pk]),
        {
            "date": "2026-04-09",
            "start_time": "15:30",
            "end_time": "14:00",
            "place": "Eersel",
            "agenda": "Mijn agenda",
            "lock_version": "",
        },
    )
    assert response.status_code == 200
    assert "end_time" in response.context["form"].errors
    assert "Mijn agenda" in response.text
    assert not NetworkMeeting.objects.exists()


def test_stale_minutes_are_refused_and_kept(client, cast):
    meeting = meeting_of(cast.board_a, minutes="")
    seen = meeting.lock_version
    meeting.minutes = "Verslag van een collega"
    meeting.save()
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("competencies:network-meeting-edit", args=[meeting.pk]),
        {
            "date": meeting.date.isoformat(),
            "start_time": "15:30",
            "place": "Bestuursbureau",
            "minutes": "Mijn verslag",
            "lock_version": str(seen),
        },
    )
    assert response.status_code == 409
    assert "Mijn verslag" in response.text
    assert "Verslag van een collega" in response.text
    meeting.refresh_from_db()
    assert meeting.minutes == "Verslag van een collega"


def test_attendance_saved_and_stale_list_refused(client, cast):
    meeting = meeting_of(cast.board_a)
    client.force_login(cast.staff_a)
    url = reverse("competencies:network-meeting-attendance", args=[meeting.pk])
    version = meeting.lock_version
    response = client.post(url, {f"ib_{cast.ib_a.pk}": "present", "lock_version": str(version)})
    assert response.status_code == 302
    assert NetworkAttendance.objects.get(meeting=meeting).status == "present"
    # A second list opened before the first was saved is refused; nothing changes.
    response = client.post(url, {f"ib_{cast.ib_a.pk}": "absent", "lock_version": str(version)})
    assert response.status_code == 409
    assert NetworkAttendance.objects.get(meeting=meeting).status == "present"
    # Clearing a status removes the row.
    meeting.refresh_from_db()
    client.post(url, {f"ib_{cast.ib_a.pk}": "", "lock_version": str(meeting.lock_version)})
    assert not NetworkAttendance.objects.filter(meeting=meeting).exists()


def test_attendance_of_a_meeting_still_to_come_takes_only_apologies(client, cast):
    meeting = meeting_of(cast.board_a, days=18)
    client.force_login(cast.staff_a)
    url = reverse("competencies:network-meeting-attendance", args=[meeting.pk])
    field = f"ib_{cast.ib_a.pk}"
    for status in ("present", "absent"):
        response = client.post(url, {field: status, "lock_version": str(meeting.lock_version)})
        assert response.status_code == 200
        assert "nog niet plaatsgevonden" in response.text
        assert response.context["form"][field].value() == status  # the input is kept
        assert not NetworkAttendance.objects.exists()
    response = client.post(url, {field: "excused", "lock_version": str(meeting.lock_version)})
    assert response.status_code == 302
    assert NetworkAttendance.objects.get().status == "excused"


def meeting_edit_data(meeting, **fields) -> dict:
    data = {
        "date": meeting.date.isoformat(),
        "start_time": "15:30",
        "place": meeting.place,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "lock_version": str(meeting.lock_version),
    }
    return {**data, **fields}


@pytest.mark.parametrize("status", ["present", "absent"])
def test_a_meeting_with_attendance_cannot_move_into_the_future(client, cast, status):
    meeting = meeting_of(cast.board_a, days=-7)
    NetworkAttendance.objects.create(meeting=meeting, ib=cast.ib_a, status=status)
    client.force_login(cast.staff_a)
    url = reverse("competencies:network-meeting-edit", args=[meeting.pk])
    later = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(
        url, meeting_edit_data(meeting, date=later.isoformat(), agenda="Mijn nieuwe agenda")
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["date"]
    assert error.startswith("Voor deze bijeenkomst is al aanwezig of afwezig geregistreerd")
    assert "Mijn nieuwe agenda" in response.text  # the input is kept
    assert response.context["form"]["date"].value() == later.isoformat()
    stored = NetworkMeeting.objects.get(pk=meeting.pk)
    assert (stored.date, stored.agenda) == (meeting.date, meeting.agenda)
    # The service refuses it too (the admin and any other caller go through the model).
    stored.date = later
    with pytest.raises(network.ValidationError):
        network.meeting_save(meeting=stored, actor=cast.staff_a, lock_version=stored.lock_version)


def test_a_meeting_with_attendance_moves_within_the_past_and_to_today(client, cast):
    """A wrong date is corrected (a typo); today is the day it takes place."""
    meeting = meeting_of(cast.board_a, days=-7)
    NetworkAttendance.objects.create(meeting=meeting, ib=cast.ib_a, status="present")
    client.force_login(cast.staff_a)
    url = reverse("competencies:network-meeting-edit", args=[meeting.pk])
    for days in (-5, 0):
        day = timezone.localdate() + datetime.timedelta(days=days)
        meeting.refresh_from_db()
        response = client.post(url, meeting_edit_data(meeting, date=day.isoformat()))
        assert response.status_code == 302
        assert NetworkMeeting.objects.get(pk=meeting.pk).date == day


def test_a_meeting_with_only_apologies_can_be_postponed(client, cast):
    meeting = meeting_of(cast.board_a, days=10)
    NetworkAttendance.objects.create(meeting=meeting, ib=cast.ib_a, status="excused")
    client.force_login(cast.staff_a)
    later = timezone.localdate() + datetime.timedelta(days=40)
    response = client.post(
        reverse("competencies:network-meeting-edit", args=[meeting.pk]),
        meeting_edit_data(meeting, date=later.isoformat()),
    )
    assert response.status_code == 302
    assert NetworkMeeting.objects.get(pk=meeting.pk).date == later
    assert NetworkAttendance.objects.get().status == "excused"


def test_attendance_refuses_someone_not_ib_of_the_board(cast):
    meeting = meeting_of(cast.board_a)
    with pytest.raises(network.ValidationError):
        network.attendance_save(
            meeting=meeting,
            actor=cast.staff_a,
            lock_version=meeting.lock_version,
            statuses={cast.ib_b.pk: "present"},
        )
    assert not NetworkAttendance.objects.exists()


def test_theme_of_another_board_is_refused(cast):
    theme_b = NetworkTheme.objects.create(board=cast.board_b, title="Thema B")
    meeting = NetworkMeeting(
        board=cast.board_a, date=TODAY, start_time=datetime.time(9), place="X", theme=theme_b
    )
    with pytest.raises(network.ValidationError):
        network.meeting_save(meeting=meeting, actor=cast.staff_a, lock_version=None)


def test_ib_cannot_keep_the_network(cast):
    meeting = NetworkMeeting(board=cast.board_a, date=TODAY, start_time=datetime.time(9), place="X")
    with pytest.raises(network.PermissionDenied):
        network.meeting_save(meeting=meeting, actor=cast.ib_a, lock_version=None)


# ---------------------------------------------------------------------------
# documents
# ---------------------------------------------------------------------------


def test_uploaded_document_is_served_to_ib_only_after_scope_check(client, cast, media):
    client.force_login(cast.staff_a)
    upload = SimpleUploadedFile("verslag.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(
        reverse("competencies:network-document-create", args=[cast.board_a.pk]),
        {"title": "Format", "file": upload, "lock_version": ""},
    )
    assert response.status_code == 302
    document = NetworkDocument.objects.get()
    assert document.file.name.endswith(".pdf") and "verslag" not in document.file.name
    client.force_login(cast.ib_a)
    response = client.get(reverse("competencies:network-document-file", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    # The file is read to its end; response.close() is left out: it would also send
    # request_finished, which closes the database connection (on PostgreSQL) that the rest
    # of this test still needs.
    document.file.close()
    client.force_login(cast.director_a)
    url = reverse("competencies:network-document-file", args=[document.pk])
    assert client.get(url).status_code == 404


def test_program_upload_is_refused(client, cast):
    client.force_login(cast.staff_a)
    upload = SimpleUploadedFile("format.pdf", b"MZ\x90\x00 program", "application/pdf")
    response = client.post(
        reverse("competencies:network-document-create", args=[cast.board_a.pk]),
        {"title": "Format", "file": upload, "lock_version": ""},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not NetworkDocument.objects.exists()


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("", []),  # the file's own error only
        ("https://example.org/map", ["Geef een link of een bestand, niet allebei."]),
    ],
)
def test_a_refused_upload_gets_one_right_message(client, cast, link, expected):
    client.force_login(cast.staff_a)
    upload = SimpleUploadedFile("format.pdf", b"no pdf at all", "application/pdf")
    response = client.post(
        reverse("competencies:network-document-create", args=[cast.board_a.pk]),
        {"title": "Format", "url": link, "file": upload, "lock_version": ""},
    )
    form = response.context["form"]
    assert form.non_field_errors() == expected
    assert "file" in form.errors
    assert not NetworkDocument.objects.exists()


def test_a_good_file_with_a_link_is_refused_once(client, cast):
    client.force_login(cast.staff_a)
    upload = SimpleUploadedFile("verslag.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(
        reverse("competencies:network-document-create", args=[cast.board_a.pk]),
        {"title": "Format", "url": "https://example.org/map", "file": upload, "lock_version": ""},
    )
    assert response.context["form"].non_field_errors() == [
        "Geef een link of een bestand, niet allebei."
    ]
    assert response.text.count("niet allebei") == 1


def test_document_needs_a_link_or_a_file(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("competencies:network-document-create", args=[cast.board_a.pk]),
        {"title": "Zonder iets", "lock_version": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Geef een link of upload een bestand."]
    assert not NetworkDocument.objects.exists()


# ---------------------------------------------------------------------------
# attendance as training hours: derived, only when the board says so
# ---------------------------------------------------------------------------


def test_attended_meetings_count_as_training_when_the_board_says_so(client, cast):
    network_a = counts_as_training(cast.board_a, "2.5")
    present = meeting_of(cast.board_a, days=-30)
    excused = meeting_of(cast.board_a, days=-10)
    future = meeting_of(cast.board_a, days=10)
    NetworkAttendance.objects.create(meeting=present, ib=cast.ib_a, status="present")
    NetworkAttendance.objects.create(meeting=excused, ib=cast.ib_a, status="excused")
    NetworkAttendance.objects.create(meeting=future, ib=cast.ib_a, status="present")
    lines = network.network_training(cast.ib_a)
    assert [line.meeting for line in lines] == [present]
    assert network.total_hours(lines) == Decimal("2.5")
    client.force_login(cast.ib_a)
    response = client.get(reverse("competencies:training-list"))
    assert response.context["network_hours"] == Decimal("2.5")
    assert "network-training" in response.text
    # The board changes its mind: the hours go, no record to clean up.
    network_a.counts_as_training = False
    network_a.save()
    assert network.network_training(cast.ib_a) == []


def test_network_hours_of_another_board_do_not_count(cast):
    counts_as_training(cast.board_b)
    meeting = meeting_of(cast.board_b)
    NetworkAttendance.objects.create(meeting=meeting, ib=cast.ib_a, status="present")
    assert network.network_training(cast.ib_a) == []


# ---------------------------------------------------------------------------
# to-do: the IB's next meeting
# ---------------------------------------------------------------------------


def test_ib_to_do_shows_the_next_meeting_within_a_month(cast):
    meeting_of(cast.board_a, days=-3)
    soon = meeting_of(cast.board_a, days=9, place="Bladel")
    meeting_of(cast.board_a, days=20)
    meeting_of(cast.board_b, days=2)
    today = timezone.localdate()
    items = [item for item in items_for(cast.ib_a, today) if item.kind == "network-meeting"]
    assert [item.url for item in items] == [reverse("competencies:network-meeting", args=[soon.pk])]
    assert "Bladel" in items[0].subject
    assert not [i for i in items_for(cast.director_a, today) if i.kind == "network-meeting"]


def test_the_meeting_item_says_on_its_day_not_by(cast):
    """Issue 14 #3: a meeting takes place "op" a date; it is not due "uiterlijk" then."""
    meeting_of(cast.board_a, days=9)
    today = timezone.localdate()
    (item,) = [item for item in items_for(cast.ib_a, today) if item.kind == "network-meeting"]
    day = today + datetime.timedelta(days=9)
    with translation.override("nl"):
        assert describe_dates(item, today) == f"op {date_format(day, 'j F Y')}"
    with translation.override("en"):
        assert describe_dates(item, today) == f"on {date_format(day, 'j F Y')}"


# ---------------------------------------------------------------------------
# query counts: one meeting costs what fifty cost
# ---------------------------------------------------------------------------


def build_network(board, ibs, size: int) -> None:
    for number in range(size):
        meeting = meeting_of(board, days=number - size // 2)
        for ib in ibs:
            NetworkAttendance.objects.create(meeting=meeting, ib=ib, status="present")
    for number in range(size):
        NetworkDocument.objects.create(
            board=board, title=f"Document {number}", url="https://example.org/"
        )


@pytest.mark.parametrize("size", [1, 50])
@pytest.mark.parametrize("user", ["staff_a", "ib_a"])
def test_network_page_query_count(client, cast, size, user, django_assert_num_queries):
    build_network(cast.board_a, [cast.ib_a], size)
    client.force_login(cast.user(user))
    get_scope(cast.user(user))
    with django_assert_num_queries(
        REQUEST
        + 1  # the board, through the user's boards
        + 1  # the meetings with their themes
        + 1  # attendance: the IB's own, or the counts for board staff
        + 1  # the network's settings
        + 1  # the themes
        + 1  # the documents with their themes
    ):
        response = client.get(reverse("competencies:network", args=[cast.board_a.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 50])
def test_training_page_query_count(client, cast, size, django_assert_num_queries):
    counts_as_training(cast.board_a)
    build_network(cast.board_a, [cast.ib_a], size)
    client.force_login(cast.ib_a)
    with django_assert_num_queries(
        REQUEST
        + 1  # the training records
        + 1  # the attended meetings with their themes and the network's settings
    ):
        response = client.get(reverse("competencies:training-list"))
    # Meetings up to today count (the one of today too), later ones not yet.
    assert len(response.context["network_lines"]) == min(size, size // 2 + 1)


def test_theme_title_twice_is_a_form_error(client, cast):
    NetworkTheme.objects.create(board=cast.board_a, title="Data-analyse")
    NetworkTheme.objects.create(board=cast.board_b, title="Rekenen")
    client.force_login(cast.staff_a)
    url = reverse("competencies:network-theme-create", args=[cast.board_a.pk])
    response = client.post(url, {"title": "Data-analyse", "is_active": "on", "lock_version": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    # Another board's title is no clash.
    response = client.post(url, {"title": "Rekenen", "is_active": "on", "lock_version": ""})
    assert response.status_code == 302


def test_settings_hours_get_a_dutch_message_without_a_decimal_point(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("competencies:network-settings", args=[cast.board_a.pk])
    for hours, message in [
        ("0,2", "Geef minstens een half uur op."),
        ("30", "Hoogstens 24 uur per bijeenkomst."),
    ]:
        response = client.post(
            url, {"name": "Netwerk", "hours_per_meeting": hours, "lock_version": ""}
        )
        assert response.context["form"].errors["hours_per_meeting"] == [message]
        assert "0.5" not in response.text
    assert not Network.objects.filter(board=cast.board_a).exists()


def test_first_settings_saved_twice_is_stale(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("competencies:network-settings", args=[cast.board_a.pk])
    data = {"name": "Netwerk", "hours_per_meeting": "2", "lock_version": ""}
    assert client.post(url, {**data, "counts_as_training": "on"}).status_code == 302
    response = client.post(url, data)  # a second form loaded before the first was saved
    assert response.status_code == 409
    assert Network.objects.get(board=cast.board_a).counts_as_training


@pytest.mark.parametrize("size", [1, 12])
def test_meeting_page_query_count(client, cast, size, django_assert_num_queries):
    """Board staff's meeting page with its attendance list costs the same for 1 IB as for 12."""
    meeting = meeting_of(cast.board_a)
    for _n in range(size):
        NetworkAttendance.objects.create(meeting=meeting, ib=f.ib(cast.board_a), status="present")
    client.force_login(cast.staff_a)
    get_scope(cast.staff_a)
    with django_assert_num_queries(
        REQUEST
        + 1  # the meeting with its board and theme
        + 1  # the attendance with the IBs
        + 1  # the network's settings
    ):
        response = client.get(reverse("competencies:network-meeting", args=[meeting.pk]))
    assert response.status_code == 200
    assert len(response.context["attendances"]) == size
