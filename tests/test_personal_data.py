"""AVG duties (issue 15): the person's own data download, retention and anonymisation.

The download covers every model with a foreign key to the user (walked over the app
registry, so a new model fails here until it is registered in its app's personal_data.py);
``anonymise_leavers`` anonymises people who left longer ago than their board keeps data,
idempotently, with a dry run, keeping the board's figures; a board administrator ends and
anonymises a person by the same rules.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from schools.models import (
    Appointment,
    AppointmentShare,
    Membership,
    Preference,
    SecurityEvent,
)
from schools.personal_data import (
    HOLDERS,
    anonymise_person,
    export_json,
    leavers_due,
    user_foreign_keys,
)
from tasks.models import Evaluation, PackageEvent, PackageItem

from . import factories as f
from .competency_factories import TrainingFactory, assessment_round, matrix_framework

TODAY = datetime.date(2026, 12, 5)


def every_model():
    return apps.get_models(include_auto_created=True)


def test_every_model_with_a_user_foreign_key_is_in_the_download():
    """A model (or a new foreign key) pointing to the user must be registered as a holder of
    personal data in its app's personal_data.py with that field among its lookups."""
    missing = []
    for model in every_model():
        for name in user_foreign_keys(model):
            holder = HOLDERS.get(model._meta.label)
            if holder is None or name not in holder.lookups:
                missing.append(f"{model._meta.label}.{name}")
    assert missing == [], "register these in the app's personal_data.py (holds(...))"


def test_every_lookup_of_a_holder_reaches_the_user(db):
    """A lookup that names no path to the user would raise here (FieldError)."""
    user = f.UserFactory()
    for holder in HOLDERS.values():
        list(holder.rows_of(user))


# ---------------------------------------------------------------------------------------------
# The download
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def rich_ib(cast, package_a):
    """ib_a with something in most holders: a package with an event, a shared round, a
    training with a certificate, a development goal, a setting and a security event."""
    from competencies.models import Goal

    ib = cast.ib_a
    assessment_round(ib, matrix_framework(cast.board_a), shared_with=cast.director_a)
    TrainingFactory(ib=ib, board=cast.board_a, course="Cursus Aalbers")
    Goal.objects.create(ib=ib, board=cast.board_a, title="Trendanalyses maken")
    Preference.objects.create(user=ib, weekly_digest=False)
    SecurityEvent.objects.create(user=ib, kind=SecurityEvent.Kind.LOGIN, network="192.0.2.0/24")
    return ib


def test_json_download_holds_every_model_with_rows_about_the_person(client, rich_ib):
    client.force_login(rich_ib)
    response = client.get(reverse("schools:my-data-json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)["data"]
    expected = {label for label, holder in HOLDERS.items() if holder.rows_of(rich_ib).exists()} - {
        "schools.SecurityEvent"
    }  # the download itself adds one; checked below
    assert expected <= data.keys()
    for label in (
        "auth.User",
        "schools.Membership",
        "schools.Appointment",
        "schools.AppointmentShare",
        "schools.Preference",
        "tasks.Package",
        "tasks.PackageItem",
        "competencies.AssessmentRound",
        "competencies.Rating",
        "competencies.Training",
        "competencies.Goal",
        "schools.HistoricalAppointment",
    ):
        assert data.get(label), label
    user_row = data["auth.User"][0]
    assert user_row["username"] == "ib_a" and "password" not in user_row
    assert data["competencies.Training"][0]["course"] == "Cursus Aalbers"


def test_the_download_is_a_security_event(client, rich_ib):
    client.force_login(rich_ib)
    client.get(reverse("schools:my-data"))
    client.get(reverse("schools:my-data-json"))
    details = set(
        SecurityEvent.objects.filter(user=rich_ib, kind=SecurityEvent.Kind.EXPORT).values_list(
            "detail", flat=True
        )
    )
    assert details == {"own_data:HTML", "own_data:JSON"}  # shown translated


def test_readable_page_names_others_by_number_only(client, cast, rich_ib):
    cast.director_a.last_name = "Aartsenbroek"
    cast.director_a.save()
    client.force_login(rich_ib)
    body = client.get(reverse("schools:my-data")).content.decode()
    assert "Cursus Aalbers" in body and "School A1" in body
    # The director's event on the package and the round shared with them: by id, not name.
    assert "Aartsenbroek" not in body


def test_settings_page_links_to_the_download(client, cast):
    client.force_login(cast.ib_a)
    body = client.get(reverse("schools:preferences")).content.decode()
    assert reverse("schools:my-data") in body and reverse("schools:my-data-json") in body


def test_privacy_page_is_public_and_in_every_footer(client, cast):
    response = client.get(reverse("schools:privacy"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "Privacyverklaring" in response.content.decode()
    login = client.get(reverse("login")).content.decode()
    assert reverse("schools:privacy") in login
    client.force_login(cast.staff_a)
    page = client.get(reverse("schools:board-detail", args=[cast.board_a.pk])).content.decode()
    assert reverse("schools:privacy") in page


# ---------------------------------------------------------------------------------------------
# Retention: anonymise_leavers
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def leaver(cast, package_a):
    """ib_a left: the appointment ended on 31 July 2024, the role removed, the evaluation
    conversation of the package listed them among those present; a security event with its
    network and a queued mail remain."""
    appointment = cast.appointment_a
    appointment.start_date = datetime.date(2022, 8, 1)
    appointment.end_date = datetime.date(2024, 7, 31)
    appointment.save()
    Membership.objects.filter(user=cast.ib_a).delete()
    # ... on the same day (the history of the roles records the removal).
    Membership.history.filter(user_id=cast.ib_a.pk, history_type="-").update(
        history_date=datetime.datetime(2024, 7, 31, 12, tzinfo=datetime.UTC)
    )
    cast.ib_a.first_name, cast.ib_a.last_name = "Ineke", "Aalbersdijk"
    cast.ib_a.email = "ineke@example.invalid"
    cast.ib_a.save()
    SecurityEvent.objects.create(
        user=cast.ib_a, kind=SecurityEvent.Kind.LOGIN, network="192.0.2.0/24"
    )
    Evaluation.objects.create(
        package=package_a,
        version=package_a.versions.get(),
        participants="Dirkje, Ineke Aalbersdijk",
    )
    # A change in the management pages: its log names the object.
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        user=cast.admin_a,
        content_type=ContentType.objects.get_for_model(cast.ib_a),
        object_id=str(cast.ib_a.pk),
        object_repr="Ineke Aalbersdijk",
        action_flag=CHANGE,
        change_message="[]",
    )
    return cast.ib_a


def figures() -> dict:
    """What the board's figures are made of: appointments, shares, package hours, events."""
    return {
        "appointments": list(
            Appointment.objects.order_by("pk").values_list(
                "pk", "ib_id", "board_id", "start_date", "end_date"
            )
        ),
        "shares": list(
            AppointmentShare.objects.order_by("pk").values_list("pk", "school_id", "fte")
        ),
        "items": list(PackageItem.objects.order_by("pk").values_list("pk", "hours", "title")),
        "events": list(PackageEvent.objects.order_by("pk").values_list("pk", "actor_id", "kind")),
    }


def every_text_in_the_database() -> str:
    """Every value of every table, as one text (the history tables included)."""
    parts = []
    for model in every_model():
        for row in model._default_manager.values_list():
            parts.extend(str(value) for value in row)
    return "\n".join(parts)


def run(*args: str) -> str:
    out = StringIO()
    call_command("anonymise_leavers", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_the_leaver_and_changes_nothing(leaver, db_state):
    before = db_state()
    output = run("--dry-run")
    assert f"ids {leaver.pk}" in output and "nothing changed" in output
    assert db_state() == before
    leaver.refresh_from_db()
    assert leaver.last_name == "Aalbersdijk"


def test_real_run_anonymises_keeps_the_figures_and_is_idempotent(leaver, cast):
    before = figures()
    output = run()
    assert f"Anonymised 1 people (ids {leaver.pk})" in output
    leaver.refresh_from_db()
    assert leaver.get_full_name() == f"Oud-medewerker {leaver.pk}"
    assert leaver.email == "" and not leaver.is_active and not leaver.has_usable_password()
    assert leaver.username == f"oud-medewerker-{leaver.pk}"
    assert figures() == before
    assert SecurityEvent.objects.filter(user=leaver).exclude(network="").count() == 0
    # No copy of the name, the e-mail address or the username is left in any table, the
    # history tables included (they hold the user's id, which now names the pseudonym).
    text = every_text_in_the_database()
    for trace in ("Aalbersdijk", "ineke@example.invalid", "ib_a"):
        assert trace not in text, trace
    history = Appointment.history.filter(ib_id=leaver.pk)
    assert history.exists()
    assert {row.ib.get_full_name() for row in history} == {f"Oud-medewerker {leaver.pk}"}
    # Others are untouched; a second run changes nothing.
    cast.ib_b.refresh_from_db()
    assert cast.ib_b.username == "ib_b"
    state = every_text_in_the_database()
    assert "Anonymised 0 people" in run()
    assert every_text_in_the_database() == state


def test_not_due_before_the_boards_retention_period(leaver, cast):
    cast.board_a.retention_years = 3  # left 31 July 2024: due on 31 July 2027
    cast.board_a.save()
    assert leavers_due(TODAY) == []
    assert leavers_due(datetime.date(2027, 7, 31)) == [leaver.pk]


def test_people_with_a_role_or_an_open_appointment_are_never_due(cast):
    assert leavers_due(datetime.date(2040, 1, 1)) == []  # everyone of the cast has a role
    Membership.objects.filter(user=cast.ib_b).delete()  # appointment_b has no end date
    assert leavers_due(datetime.date(2040, 1, 1)) == []


def test_role_removed_counts_from_the_day_of_removal(cast):
    """A director has no appointment: the history of the roles says when they left."""
    Membership.objects.filter(user=cast.director_b).delete()
    assert leavers_due(datetime.date.today() + datetime.timedelta(days=365 * 2 + 2)) == [
        cast.director_b.pk
    ]
    assert leavers_due(datetime.date.today()) == []


def test_names_in_evaluation_texts_are_replaced(cast, package_a):
    evaluation = Evaluation.objects.create(
        package=package_a,
        version=package_a.versions.get(),
        participants="Dirkje, Ineke Aalbersdijk",
    )
    cast.ib_a.first_name, cast.ib_a.last_name = "Ineke", "Aalbersdijk"
    cast.ib_a.save()
    anonymise_person(cast.ib_a)
    evaluation.refresh_from_db()
    assert evaluation.participants == f"Dirkje, Oud-medewerker {cast.ib_a.pk}"


def test_certificates_and_development_plan_go_rounds_stay(cast):
    from django.core.files.base import ContentFile

    from competencies.models import AssessmentRound, Goal

    training = TrainingFactory(ib=cast.ib_a, board=cast.board_a)
    training.certificate.save("certificaat.pdf", ContentFile(b"%PDF"), save=True)
    path = training.certificate.path
    Goal.objects.create(ib=cast.ib_a, board=cast.board_a, title="Doel")
    assessment_round(cast.ib_a, matrix_framework(cast.board_a))
    anonymise_person(cast.ib_a)
    training.refresh_from_db()
    assert training.certificate.name == "" and training.hours == Decimal("120")
    import os

    assert not os.path.exists(path)
    assert not Goal.objects.filter(ib=cast.ib_a).exists()
    assert AssessmentRound.objects.filter(ib=cast.ib_a).exists()


# ---------------------------------------------------------------------------------------------
# End and anonymise, by the board administrator
# ---------------------------------------------------------------------------------------------


def test_confirm_page_says_what_will_happen(client, cast):
    client.force_login(cast.admin_a)
    url = reverse("schools:person-end", args=[cast.board_a.pk, cast.ib_a.pk])
    body = client.get(url).content.decode()
    assert f"Oud-medewerker {cast.ib_a.pk}" in body
    assert Membership.objects.filter(user=cast.ib_a).exists()  # a GET changes nothing


def test_board_admin_ends_and_anonymises(client, cast, package_a):
    before = figures()
    client.force_login(cast.admin_a)
    response = client.post(reverse("schools:person-end", args=[cast.board_a.pk, cast.ib_a.pk]))
    assert response.status_code == 302
    cast.ib_a.refresh_from_db()
    assert cast.ib_a.username == f"oud-medewerker-{cast.ib_a.pk}"
    assert not Membership.objects.filter(user=cast.ib_a).exists()
    appointment = Appointment.objects.get(pk=cast.appointment_a.pk)
    assert appointment.end_date is not None
    after = figures()
    assert after["shares"] == before["shares"] and after["items"] == before["items"]
    # The retention command later finds nothing more to do for this person.
    assert cast.ib_a.pk not in leavers_due(datetime.date(2040, 1, 1))


def test_person_with_a_role_at_another_board_is_ended_not_anonymised(client, cast):
    f.ib(cast.board_b, username=cast.ib_a.username)  # the same user: also an IB of board B
    client.force_login(cast.admin_a)
    client.post(reverse("schools:person-end", args=[cast.board_a.pk, cast.ib_a.pk]))
    cast.ib_a.refresh_from_db()
    assert cast.ib_a.username == "ib_a"
    assert list(Membership.objects.filter(user=cast.ib_a).values_list("board_id", flat=True)) == [
        cast.board_b.pk
    ]


def test_admin_of_another_board_cannot_end_a_person(client, cast):
    admin_b = f.board_admin(cast.board_b, username="admin_b")
    client.force_login(admin_b)
    # Board A does not exist for them; nor does board A's IB under their own board.
    assert (
        client.post(reverse("schools:person-end", args=[cast.board_a.pk, cast.ib_a.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("schools:person-end", args=[cast.board_b.pk, cast.ib_a.pk])).status_code
        == 404
    )
    cast.ib_a.refresh_from_db()
    assert cast.ib_a.username == "ib_a"


def test_admin_cannot_end_themselves(client, cast):
    client.force_login(cast.admin_a)
    url = reverse("schools:person-end", args=[cast.board_a.pk, cast.admin_a.pk])
    assert client.post(url).status_code == 403
    assert get_user_model().objects.get(pk=cast.admin_a.pk).is_active


def test_admin_of_board_a_cannot_end_board_b_people(client, cast):
    client.force_login(cast.admin_a)
    for board in (cast.board_b, cast.board_a):  # B does not exist for them; ib_b is not A's
        url = reverse("schools:person-end", args=[board.pk, cast.ib_b.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    cast.ib_b.refresh_from_db()
    assert cast.ib_b.username == "ib_b" and Membership.objects.filter(user=cast.ib_b).exists()


def test_people_page_shows_the_boards_people_only_with_both_actions(client, cast):
    """One page of the board's people: invite (for those without a password) and "end and
    anonymise" on each row."""
    cast.ib_a.set_unusable_password()  # as the HR import makes people
    cast.ib_a.save()
    client.force_login(cast.admin_a)
    url = reverse("schools:staff-list", args=[cast.board_a.pk])
    body = client.get(url).content.decode()
    assert cast.ib_a.get_full_name() in body and cast.director_a.get_full_name() in body
    assert cast.ib_b.get_full_name() not in body
    assert reverse("schools:person-end", args=[cast.board_a.pk, cast.ib_a.pk]) in body
    assert reverse("schools:staff-invite", args=[cast.board_a.pk, cast.ib_a.pk]) in body
    # Not for the administrator themself.
    assert reverse("schools:person-end", args=[cast.board_a.pk, cast.admin_a.pk]) not in body
    # Someone with only an appointment at the board is one of its people too.
    only_appointed = f.UserFactory(first_name="Alleen", last_name="Aanstelling")
    f.AppointmentFactory(board=cast.board_a, ib=only_appointed, shares=[(cast.school_a1, 0.1)])
    assert "Alleen Aanstelling" in client.get(url).content.decode()
    client.force_login(cast.staff_a)  # board staff, not its administrator
    assert client.get(url).status_code == 403


def test_the_old_people_page_sends_to_the_one_page(client, cast):
    client.force_login(cast.admin_a)
    response = client.get(reverse("schools:board-people", args=[cast.board_a.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("schools:staff-list", args=[cast.board_a.pk])
    response = client.post(reverse("schools:person-end", args=[cast.board_a.pk, cast.ib_a.pk]))
    assert response["Location"] == reverse("schools:staff-list", args=[cast.board_a.pk])


def test_people_page_query_count_does_not_grow(client, cast, django_assert_num_queries):
    client.force_login(cast.admin_a)
    url = reverse("schools:staff-list", args=[cast.board_a.pk])
    # session, user, the user's roles (scope), the board, the people, and one prefetch each
    # of their roles, HR records, invitations and appointments not ended.
    with django_assert_num_queries(9):
        client.get(url)
    for n in range(20):
        person = f.ib(cast.board_a, first_name=f"Persoon{n}", last_name=f"van Achter{n}")
        f.AppointmentFactory(board=cast.board_a, ib=person, shares=[(cast.school_a2, 0.01)])
    with django_assert_num_queries(9):
        assert "Persoon19 van Achter19" in client.get(url).text


def test_two_factor_devices_are_downloaded_without_key_and_go_on_anonymisation(cast):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=cast.ib_a, name="Telefoon", confirmed=True)
    StaticDevice.objects.create(user=cast.ib_a, name="Herstelcodes").token_set.create(
        token="abcd1234"
    )
    # (A session signed in with a device asks its code first: read the download directly.)
    data = json.loads(json.dumps(export_json(cast.ib_a), default=str))["data"]
    device = data["otp_totp.TOTPDevice"][0]
    assert device["name"] == "Telefoon" and "key" not in device
    assert "abcd1234" not in json.dumps(data)
    counts = anonymise_person(cast.ib_a, today=TODAY)
    assert counts["two_factor_devices_removed"] >= 2
    assert not TOTPDevice.objects.filter(user=cast.ib_a).exists()
    assert not StaticDevice.objects.filter(user=cast.ib_a).exists()


def test_hr_record_and_invitations_go_on_anonymisation(cast):
    from schools.models import HrRecord, Invitation

    HrRecord.objects.create(board=cast.board_a, personnel_number="10042", user=cast.ib_a)
    Invitation.objects.create(
        user=cast.ib_a, board=cast.board_a, invited_by=cast.admin_a, sent_at=timezone.now()
    )
    counts = anonymise_person(cast.ib_a, today=TODAY)
    assert (counts["hr_records_removed"], counts["invitations_removed"]) == (1, 1)
    assert not HrRecord.objects.filter(user=cast.ib_a).exists()


def test_an_import_is_in_the_download_without_its_rows(cast):
    from schools.models import ImportBatch

    ImportBatch.objects.create(
        board=cast.board_a,
        user=cast.admin_a,
        kind=ImportBatch.Kind.LOCATIONS,
        filename="personeel.csv",
        sha256="0" * 64,
        rows=[{"name": "Ilse Kempelaar", "email": "ilse@example.org"}],
        actions=[{"name": "Ilse Kempelaar"}],
    )
    data = json.loads(json.dumps(export_json(cast.admin_a), default=str))["data"]
    (batch,) = data["schools.ImportBatch"]
    assert batch["filename"] == "personeel.csv"
    assert "Kempelaar" not in json.dumps(data)


# ---------------------------------------------------------------------------------------------
# Stored HR imports keep nothing of an anonymised person
# ---------------------------------------------------------------------------------------------

HR_HEADER = "Medewerker;Naam;E-mailadres;BRIN;Vestiging;FTE;Functie;Begindatum;Einddatum"


def hr_batch(cast, *lines: str, full: bool = False):
    from schools.hr_import import read_hr_file
    from schools.imports import batch_create

    content = "\n".join([HR_HEADER, *lines]).encode()
    return batch_create(
        board=cast.board_a,
        user=cast.admin_a,
        kind="personeel",
        filename="afas.csv",
        content=content,
        records=read_hr_file(content, full=full),
    )


def stored_text(batch) -> str:
    batch.refresh_from_db()
    return json.dumps([batch.rows, batch.actions, batch.summary], ensure_ascii=False)


def person_traces(user, number: str) -> list[str]:
    return [user.get_full_name(), user.email, user.last_name, f'"{number}"']


@pytest.mark.parametrize("how", ["retention", "board_admin"])
def test_anonymisation_leaves_nothing_of_the_person_in_hr_imports(client, cast, how):
    from schools.imports import batch_commit, count_actions
    from schools.models import HrRecord

    cast.ib_a.first_name, cast.ib_a.last_name = "Ilse", "Kempelaar"
    cast.ib_a.save()
    ilse = "1002;Ilse Kempelaar;ib_a@example.invalid;11AA;00;0,8;IB'er;01-08-2025;"
    other = "1004;Dir A;director_a@example.invalid;11AB00;;;Directeur;01-08-2020;"
    committed = hr_batch(cast, ilse, other)
    batch_commit(batch=committed)
    # A later full export without her (she is ended), and one still pending that names her.
    ended = hr_batch(cast, other, full=True)
    assert "Kempelaar" in stored_text(ended)
    batch_commit(batch=ended)
    pending = hr_batch(cast, ilse.replace("0,8", "0,6"), other)
    figures_before = [count_actions(b.actions) for b in (committed, ended, pending)]
    assert HrRecord.history.filter(personnel_number="1002").exists()

    if how == "retention":
        anonymise_person(cast.ib_a, today=TODAY)
    else:
        client.force_login(cast.admin_a)
        client.post(reverse("schools:person-end", args=[cast.board_a.pk, cast.ib_a.pk]))
    cast.ib_a.refresh_from_db()
    assert cast.ib_a.username == f"oud-medewerker-{cast.ib_a.pk}"
    for batch in (committed, ended, pending):
        text = stored_text(batch)
        for trace in ("Kempelaar", "ib_a@example.invalid", '"1002"'):
            assert trace not in text, (batch.pk, trace)
        assert f"Oud-medewerker {cast.ib_a.pk}" in text
        assert "Dir A" in text  # the other people's rows stay
    # The board's figures per import stay.
    assert [count_actions(b.actions) for b in (committed, ended, pending)] == figures_before
    assert not HrRecord.history.filter(personnel_number="1002").exists()


def test_a_processed_hr_import_keeps_no_file_records(cast):
    from schools.imports import batch_commit

    batch = hr_batch(cast, "1004;Dir A;director_a@example.invalid;11AB00;;;Directeur;01-08-2020;")
    batch_commit(batch=batch)
    batch.refresh_from_db()
    assert "records" not in batch.rows and batch.rows["layout"] == "afas"
    assert batch.actions[0]["name"] == "Dir A"  # the per-row report stays
