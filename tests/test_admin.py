"""The Django admin (/beheer/): superusers see everything, a board administrator their board."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from schools.models import Appointment, Board, ImportBatch, Membership, Role, School
from tasks.models import CatalogueTask

from . import factories as f

User = get_user_model()

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def changelist(client, model) -> set:
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].queryset)


def test_every_model_of_the_foundation_is_in_the_admin():
    """Registered on its own or edited inline on the page of the object it belongs to."""
    in_admin = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        in_admin |= {inline.model for inline in model_admin.inlines}
    # The history tables (django-simple-history) are read on the object's history pages.
    models = {
        model
        for model in apps.get_app_config("schools").get_models()
        if getattr(model, "instance_type", None) is None
    }
    assert models <= in_admin


# ---------------------------------------------------------------------------------------------
# Who may enter
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "user", ["staff_a", "staff_b", "director_a", "ib_a", "partnership_staff", "anonymous"]
)
def test_only_board_admins_and_superusers_enter_the_admin(client, cast, user):
    if user != "anonymous":
        client.force_login(cast.user(user))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("admin:login")
    assert parse_qs(location.query)["next"] == [reverse("admin:index")]


def test_board_staff_cannot_open_an_admin_page_directly(client, cast):
    client.force_login(cast.staff_a)
    response = client.get(admin_url(School, "change", cast.school_a1.pk))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("admin:login")


def test_board_admin_opens_the_admin(client, cast):
    client.force_login(cast.admin_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    shown = {
        model["object_name"] for app in response.context["app_list"] for model in app["models"]
    }
    assert {"Board", "School", "Appointment", "Membership", "User"} <= shown


def test_superuser_opens_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Every page of every model opens
# ---------------------------------------------------------------------------------------------


# Groups and permissions are Django's own: only superusers manage them.
SUPERUSER_ONLY = {
    ("auth", "group"),
    ("schools", "preference"),
    ("schools", "securityevent"),
    # HR records and invitations: board administrators keep them on the staff page.
    ("schools", "hrrecord"),
    ("schools", "invitation"),
}
# Boards, partnerships and school years are made by superusers; board admins see, not add.
NO_ADD_FOR_BOARD_ADMIN = {("schools", "board"), ("schools", "partnership")}
# Made in the portal only (imports): nobody adds them in the admin.
READ_ONLY = {
    ("schools", "importbatch"),
    # A user's own settings: only the user changes them, on their settings page.
    ("schools", "preference"),
    # Security events: written by sign-ins, exports and imports; read on the board's page.
    ("schools", "securityevent"),
    # Written by the HR import and by inviting people (schools/hr_import.py, invitations.py).
    ("schools", "hrrecord"),
    ("schools", "invitation"),
    # Login attempts and lockouts (django-axes): recorded by the login, only seen or deleted.
    ("axes", "accessattempt"),
    ("axes", "accessfailurelog"),
    ("axes", "accesslog"),
    # The mail queue (django-tasks-db): written by the portal, seen by superusers.
    ("django_tasks_database", "dbtaskresult"),
    # Issue 17: written by the portal's services only (competencies/admin.py says why).
    ("competencies", "appraisalconversation"),
    ("competencies", "heatmapconsent"),
    ("competencies", "moduleplan"),
    ("competencies", "trackenrolment"),
    ("competencies", "networkdocument"),
}


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_superuser_opens_every_admin_list_and_add_page(client, superuser, app_label, model_name):
    client.force_login(superuser)
    for action in ("changelist", "add"):
        expected = 403 if action == "add" and (app_label, model_name) in READ_ONLY else 200
        url = reverse(f"admin:{app_label}_{model_name}_{action}")
        assert client.get(url).status_code == expected


# The foundation's models; later apps test their own admin rules.
FOUNDATION = [key for key in REGISTERED if key[0] in {"schools", "auth"}]


@pytest.mark.parametrize(("app_label", "model_name"), FOUNDATION)
def test_board_admin_opens_admin_list_and_add_pages(client, cast, app_label, model_name):
    client.force_login(cast.admin_a)
    key = (app_label, model_name)
    changelist_status = 403 if key in SUPERUSER_ONLY else 200
    add_status = 403 if key in SUPERUSER_ONLY | NO_ADD_FOR_BOARD_ADMIN | READ_ONLY else 200
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert client.get(url).status_code == changelist_status
    assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == add_status


CHANGE_PAGES = {
    "board": lambda c: (Board, c.board_a.pk),
    "school": lambda c: (School, c.school_a1.pk),
    "appointment": lambda c: (Appointment, c.appointment_a.pk),
    "membership": lambda c: (Membership, c.ib_a.memberships.get().pk),
    "user": lambda c: (User, c.director_a.pk),
    "figures": lambda c: (type(c.figures_a1), c.figures_a1.pk),
}


@pytest.mark.parametrize("who", ["superuser", "admin_a"])
@pytest.mark.parametrize("which", CHANGE_PAGES)
def test_admin_change_pages_of_own_board_open(client, cast, superuser, who, which):
    client.force_login(superuser if who == "superuser" else cast.admin_a)
    model, pk = CHANGE_PAGES[which](cast)
    assert client.get(admin_url(model, "change", pk)).status_code == 200


def test_board_admin_can_add_appointment_share_choices_limited(client, cast):
    client.force_login(cast.admin_a)
    response = client.get(admin_url(Appointment, "add"))
    form = response.context["adminform"].form
    assert set(form.fields["board"].queryset) == {cast.board_a}
    assert set(form.fields["ib"].queryset) == {
        cast.staff_a,
        cast.admin_a,
        cast.director_a,
        cast.ib_a,
    }
    (share_formset, *_rest) = response.context["inline_admin_formsets"]
    assert set(share_formset.formset.form.base_fields["school"].queryset) == {
        cast.school_a1,
        cast.school_a2,
    }


# ---------------------------------------------------------------------------------------------
# What a board administrator sees
# ---------------------------------------------------------------------------------------------


def test_superuser_sees_every_board_school_and_appointment(client, cast, superuser):
    client.force_login(superuser)
    assert changelist(client, Board) == {cast.board_a, cast.board_b}
    assert changelist(client, School) == {cast.school_a1, cast.school_a2, cast.school_b1}
    assert changelist(client, Appointment) == {cast.appointment_a, cast.appointment_b}
    assert changelist(client, User) == set(User.objects.all())


def test_board_admin_sees_only_own_board(client, cast):
    client.force_login(cast.admin_a)
    assert changelist(client, Board) == {cast.board_a}
    assert changelist(client, School) == {cast.school_a1, cast.school_a2}
    assert changelist(client, Appointment) == {cast.appointment_a}
    assert changelist(client, User) == {cast.staff_a, cast.admin_a, cast.director_a, cast.ib_a}
    assert changelist(client, Membership) == set(
        Membership.objects.filter(user__in=[cast.staff_a, cast.admin_a, cast.director_a, cast.ib_a])
    )


OTHER_BOARD_PAGES = {
    "board": lambda c: (Board, c.board_b.pk),
    "school": lambda c: (School, c.school_b1.pk),
    "appointment": lambda c: (Appointment, c.appointment_b.pk),
    "membership": lambda c: (Membership, c.ib_b.memberships.get().pk),
    "user": lambda c: (User, c.staff_b.pk),
    "superuser": lambda c: (User, User.objects.get(is_superuser=True).pk),
}


@pytest.mark.parametrize("which", OTHER_BOARD_PAGES)
def test_board_admin_cannot_open_other_board_objects(client, cast, superuser, db_state, which):
    """The admin answers an object outside the queryset with a redirect to its index."""
    model, pk = OTHER_BOARD_PAGES[which](cast)
    client.force_login(cast.admin_a)
    url = admin_url(model, "change", pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    before = db_state()
    client.post(url, {"name": "Overgenomen", "username": "overgenomen"})
    client.post(admin_url(model, "delete", pk), {"post": "yes"})
    assert db_state() == before


def test_board_admin_user_form_has_no_superuser_fields(client, cast):
    client.force_login(cast.admin_a)
    response = client.get(admin_url(User, "change", cast.director_a.pk))
    fields = set(response.context["adminform"].form.fields)
    assert {"is_superuser", "is_staff", "groups", "user_permissions"}.isdisjoint(fields)
    assert {"username", "first_name", "last_name", "email", "is_active"} <= fields


def test_superuser_user_form_has_superuser_fields(client, cast, superuser):
    client.force_login(superuser)
    response = client.get(admin_url(User, "change", cast.director_a.pk))
    assert "is_superuser" in response.context["adminform"].form.fields


def test_board_admin_cannot_make_anyone_superuser(client, cast):
    client.force_login(cast.admin_a)
    user = cast.director_a
    membership = user.memberships.get()
    response = client.post(
        admin_url(User, "change", user.pk),
        {
            "username": user.username,
            "first_name": "Nieuwe",
            "last_name": user.last_name,
            "email": user.email,
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "1",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-user": user.pk,
            "memberships-0-role": Role.DIRECTOR,
            "memberships-0-school": cast.school_a1.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.first_name == "Nieuwe"
    assert not user.is_superuser
    assert not user.is_staff


def test_board_admin_cannot_give_a_role_at_other_board(client, cast):
    client.force_login(cast.admin_a)
    response = client.get(admin_url(Membership, "add"))
    form = response.context["adminform"].form
    assert set(form.fields["board"].queryset) == {cast.board_a}
    assert set(form.fields["school"].queryset) == {cast.school_a1, cast.school_a2}
    assert list(form.fields["partnership"].queryset) == []
    response = client.post(
        admin_url(Membership, "add"),
        {"user": cast.staff_a.pk, "role": Role.BOARD_ADMIN, "board": cast.board_b.pk},
    )
    assert response.status_code == 200
    assert "board" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(board=cast.board_b, user=cast.staff_a).exists()


def test_board_admin_cannot_change_board_number(client, cast):
    client.force_login(cast.admin_a)
    response = client.get(admin_url(Board, "change", cast.board_a.pk))
    assert "number" not in response.context["adminform"].form.fields


# ---------------------------------------------------------------------------------------------
# The appointment rules hold in the admin too
# ---------------------------------------------------------------------------------------------


def admin_appointment_data(cast, *, ib, shares, **fields) -> dict:
    data = {
        "ib": ib.pk,
        "board": cast.board_a.pk,
        "kind": "functie",
        "salary_scale": "LB",
        "start_date": "2026-08-01",
        "end_date": "",
        "lead_school": "",
        "shares-TOTAL_FORMS": str(len(shares)),
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
        # The person's own hours (inline, none here).
        "own_hours-TOTAL_FORMS": "0",
        "own_hours-INITIAL_FORMS": "0",
        "own_hours-MIN_NUM_FORMS": "0",
        "own_hours-MAX_NUM_FORMS": "1000",
    }
    for index, (school, fte) in enumerate(shares):
        data[f"shares-{index}-school"] = school.pk
        data[f"shares-{index}-fte"] = fte
    data.update(fields)
    return data


def test_board_admin_adds_appointment_with_shares(client, cast):
    client.force_login(cast.admin_a)
    data = admin_appointment_data(cast, ib=cast.ib_a, shares=[(cast.school_a2, "0.2")])
    response = client.post(admin_url(Appointment, "add"), data)
    assert response.status_code == 302
    appointment = cast.ib_a.ib_appointments.exclude(pk=cast.appointment_a.pk).get()
    assert [(s.school, s.fte) for s in appointment.shares.all()] == [
        (cast.school_a2, Decimal("0.2"))
    ]


def test_admin_share_check_locks_the_ib_like_the_portal(client, cast):
    """The check and the save run in the admin's one transaction, under the IB's row lock."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.admin_a)
    data = admin_appointment_data(cast, ib=cast.ib_a, shares=[(cast.school_a2, "0.2")])
    with CaptureQueriesContext(connection) as queries:
        assert client.post(admin_url(Appointment, "add"), data).status_code == 302
    if connection.features.has_select_for_update:
        locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and "auth_user" in q["sql"]]
        assert locks, "no row lock on the IB"
        first_write = next(
            i for i, q in enumerate(queries) if q["sql"].startswith(("INSERT", "UPDATE"))
        )
        lock_at = next(i for i, q in enumerate(queries) if q["sql"] == locks[0])
        assert lock_at < first_write


@pytest.mark.parametrize(
    ("shares", "fields"),
    [
        # ib_a already works 0.8 fte, open-ended.
        (lambda c: [(c.school_a2, "0.5")], {}),
        # A tie between directors needs a leading school (the test gives A2 a director).
        (lambda c: [(c.school_a1, "0.1"), (c.school_a2, "0.1")], {}),
        # Together more than 1 fte in one appointment.
        (
            lambda c: [(c.school_a1, "0.6"), (c.school_a2, "0.6")],
            {"start_date": "2020-08-01", "end_date": "2021-07-31"},
        ),
    ],
    ids=["ib-above-1-fte", "tie-without-lead", "shares-above-1-fte"],
)
def test_admin_refuses_appointment_that_breaks_a_rule(client, cast, shares, fields):
    f.director(cast.school_a2)
    client.force_login(cast.admin_a)
    data = admin_appointment_data(cast, ib=cast.ib_a, shares=shares(cast), **fields)
    response = client.post(admin_url(Appointment, "add"), data)
    assert response.status_code == 200
    assert response.context["errors"]
    assert cast.ib_a.ib_appointments.count() == 1


def test_admin_refuses_appointment_edit_that_breaks_a_rule(client, cast):
    other = Appointment.objects.create(
        board=cast.board_a, ib=cast.ib_a, salary_scale="LB", start_date="2030-08-01"
    )
    other.shares.create(school=cast.school_a2, fte="0.5")
    share = other.shares.get()
    client.force_login(cast.admin_a)
    data = admin_appointment_data(
        cast, ib=cast.ib_a, shares=[(cast.school_a2, "0.5")], start_date="2025-08-01"
    )
    data.update(
        {"shares-INITIAL_FORMS": "1", "shares-0-id": share.pk, "shares-0-appointment": other.pk}
    )
    response = client.post(admin_url(Appointment, "change", other.pk), data)
    assert response.status_code == 200
    other.refresh_from_db()
    assert str(other.start_date) == "2030-08-01"


def test_board_admin_edits_school_figures_inline(client, cast):
    client.force_login(cast.admin_a)
    response = client.get(f"/beheer/schools/school/{cast.school_a1.pk}/change/")
    assert response.status_code == 200
    assert "figures-TOTAL_FORMS" in response.content.decode()


@pytest.mark.parametrize("model", [School, Appointment, ImportBatch, CatalogueTask])
def test_list_filters_offer_only_the_admins_own_boards(client, cast, model):
    """The board filter of a list names the administrator's board, never board B (the
    default filter lists every board in the database)."""
    client.force_login(cast.admin_a)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert cast.board_b.name not in response.text


# ---------------------------------------------------------------------------------------------
# Issue 17: the conversation cycle, the training track and the IB network
# ---------------------------------------------------------------------------------------------

ISSUE_17 = {
    "conversationpolicy",
    "appraisalconversation",
    "heatmapconsent",
    "trainingtrack",
    "trainingmodule",
    "moduleplan",
    "trackenrolment",
    "network",
    "networktheme",
    "networkmeeting",
    "networkdocument",
}


def issue_17_rows(board: Board, ib, director) -> dict:
    """One row of every issue-17 model at ``board``, named for the board."""
    import datetime

    from competencies.models import (
        AppraisalConversation,
        ConversationPolicy,
        ModulePlan,
        Network,
        NetworkAttendance,
        NetworkDocument,
        NetworkMeeting,
        NetworkTheme,
        RepaymentAgreement,
        TrackEnrolment,
        TrainingModule,
        TrainingTrack,
    )

    tag = board.name
    track = TrainingTrack.objects.create(
        board=board, name=f"Traject {tag}", kind="personal", first_year=2025, last_year=2026
    )
    module = TrainingModule.objects.create(track=track, title=f"Module {tag}", hours=8)
    enrolment = TrackEnrolment.objects.create(
        ib=ib, board=board, track=track, started_on="2025-09-01"
    )
    RepaymentAgreement.objects.create(enrolment=enrolment, agreed_on="2025-09-01")
    theme = NetworkTheme.objects.create(board=board, title=f"Thema {tag}")
    meeting = NetworkMeeting.objects.create(
        board=board,
        date=datetime.date.today() - datetime.timedelta(days=7),
        start_time=datetime.time(15, 30),
        place=f"Plaats {tag}",
        theme=theme,
    )
    NetworkAttendance.objects.create(meeting=meeting, ib=ib, status="present")
    return {
        "conversationpolicy": ConversationPolicy.objects.create(board=board),
        "appraisalconversation": AppraisalConversation.objects.create(
            ib=ib,
            board=board,
            director=director,
            kind="functioning",
            date=datetime.date(2026, 10, 1),
            director_preparation="Geheime voorbereiding",
            report="Vertrouwelijk verslag",
        ),
        "trainingtrack": track,
        "trainingmodule": module,
        "moduleplan": ModulePlan.objects.create(
            ib=ib, board=board, module=module, note="Eigen notitie"
        ),
        "trackenrolment": enrolment,
        "network": Network.objects.create(board=board, name=f"Netwerk {tag}"),
        "networktheme": theme,
        "networkmeeting": meeting,
        "networkdocument": NetworkDocument.objects.create(
            board=board, title=f"Document {tag}", url="https://example.org/"
        ),
    }


@pytest.fixture
def issue_17(cast) -> dict:
    return {
        "a": issue_17_rows(cast.board_a, cast.ib_a, cast.director_a),
        "b": issue_17_rows(cast.board_b, cast.ib_b, cast.director_b),
    }


def test_every_issue_17_model_is_in_the_admin():
    registered = {
        m._meta.model_name for m in admin.site._registry if m._meta.app_label == "competencies"
    }
    assert registered >= ISSUE_17


@pytest.mark.parametrize("model_name", sorted(ISSUE_17))
def test_board_admin_sees_only_own_boards_issue_17_rows(client, cast, issue_17, model_name):
    """Own board's rows only, and the list's filters name nothing of board B. The IB's heat
    map consent is not for the board at all."""
    client.force_login(cast.admin_a)
    response = client.get(reverse(f"admin:competencies_{model_name}_changelist"))
    if model_name == "heatmapconsent":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert set(response.context["cl"].queryset) == {issue_17["a"][model_name]}
    assert cast.board_b.name not in response.text
    other = issue_17["b"][model_name]
    assert str(other) not in response.text or str(other) == str(issue_17["a"][model_name])
    change = client.get(admin_url(type(other), "change", other.pk))
    assert change.status_code == 302  # another board's row does not exist here


@pytest.mark.parametrize(
    "model_name", ["appraisalconversation", "moduleplan", "trackenrolment", "networkdocument"]
)
def test_rows_the_services_write_are_read_only_in_the_admin(
    client, cast, issue_17, db_state, model_name
):
    row = issue_17["a"][model_name]
    client.force_login(cast.admin_a)
    assert client.get(admin_url(type(row), "add")).status_code == 403
    page = client.get(admin_url(type(row), "change", row.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    before = db_state()
    client.post(admin_url(type(row), "change", row.pk), {"started_on": "2020-01-01"})
    client.post(admin_url(type(row), "delete", row.pk), {"post": "yes"})
    assert db_state() == before


def test_the_admin_shows_no_conversation_texts_and_no_ib_notes(client, cast, issue_17, superuser):
    for user in (cast.admin_a, superuser):
        client.force_login(user)
        conversation = issue_17["a"]["appraisalconversation"]
        body = client.get(admin_url(type(conversation), "change", conversation.pk)).text
        assert "Geheime voorbereiding" not in body and "Vertrouwelijk verslag" not in body
        plan = issue_17["a"]["moduleplan"]
        assert "Eigen notitie" not in client.get(admin_url(type(plan), "change", plan.pk)).text


def test_board_admin_choices_for_the_board_settings_are_own_board_only(client, cast, issue_17):
    from competencies.models import NetworkMeeting, TrainingModule, TrainingTrack

    client.force_login(cast.admin_a)
    form = client.get(admin_url(TrainingTrack, "add")).context["adminform"].form
    assert set(form.fields["board"].queryset) == {cast.board_a}
    form = client.get(admin_url(TrainingModule, "add")).context["adminform"].form
    assert set(form.fields["track"].queryset) == {issue_17["a"]["trainingtrack"]}
    form = client.get(admin_url(NetworkMeeting, "add")).context["adminform"].form
    assert set(form.fields["board"].queryset) == {cast.board_a}
    assert set(form.fields["theme"].queryset) == {issue_17["a"]["networktheme"]}


def test_board_admin_cannot_remove_tracks_modules_or_themes(client, cast, issue_17):
    """Made inactive instead: plans, enrolments, meetings and documents refer to them."""
    client.force_login(cast.admin_a)
    for name in ("trainingtrack", "trainingmodule", "networktheme"):
        row = issue_17["a"][name]
        response = client.post(admin_url(type(row), "delete", row.pk), {"post": "yes"})
        assert response.status_code == 403
        assert type(row).objects.filter(pk=row.pk).exists()


def test_the_admin_keeps_a_meeting_with_attendance_out_of_the_future(client, cast, issue_17):
    import datetime

    meeting = issue_17["a"]["networkmeeting"]
    client.force_login(cast.admin_a)
    later = datetime.date.today() + datetime.timedelta(days=7)
    response = client.post(
        admin_url(type(meeting), "change", meeting.pk),
        {
            "board": cast.board_a.pk,
            "date": later.isoformat(),
            "start_time": "15:30",
            "place": meeting.place,
            "attendances-TOTAL_FORMS": "1",
            "attendances-INITIAL_FORMS": "1",
            "attendances-MIN_NUM_FORMS": "0",
            "attendances-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.date < later


def test_board_admin_keeps_the_conversation_cycle(client, cast, issue_17):
    policy = issue_17["a"]["conversationpolicy"]
    client.force_login(cast.admin_a)
    url = admin_url(type(policy), "change", policy.pk)
    data = {"board": cast.board_a.pk, "functioning_years": "2", "appraisal_years": "9"}
    response = client.post(url, data)
    assert response.status_code == 200  # at most 5 years
    assert "appraisal_years" in response.context["adminform"].form.errors
    assert client.post(url, {**data, "appraisal_years": "3"}).status_code == 302
    policy.refresh_from_db()
    assert (policy.functioning_years, policy.appraisal_years) == (2, 3)


@pytest.mark.parametrize("model_name", sorted(ISSUE_17 - {"heatmapconsent"}))
def test_issue_17_change_pages_open(client, cast, issue_17, superuser, model_name):
    row = issue_17["a"][model_name]
    for user in (cast.admin_a, superuser):
        client.force_login(user)
        assert client.get(admin_url(type(row), "change", row.pk)).status_code == 200
