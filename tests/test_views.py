"""Views: start pages per role, forms that re-render with the user's input and errors by field,
and the happy paths of creating, editing and ending.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from schools.models import Appointment, Board, Membership, Role, School, SchoolFigures, SchoolYear

from . import factories as f
from .test_access import appointment_form_data

D = Decimal


def field_value_kept(html: str, name: str, value: str) -> bool:
    """True when the form's <input name=...> carries the value the user typed."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return True
    return False


def option_selected(html: str, name: str, value: object) -> bool:
    select = re.search(rf'<select\b[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    return re.search(rf'<option value="{value}"[^>]*\bselected\b', select.group(1)) is not None


# ---------------------------------------------------------------------------------------------
# Start page per role
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "page"),
    [
        ("staff_a", lambda c: reverse("schools:board-detail", args=[c.board_a.pk])),
        ("admin_a", lambda c: reverse("schools:board-detail", args=[c.board_a.pk])),
        ("staff_b", lambda c: reverse("schools:board-detail", args=[c.board_b.pk])),
        ("director_a", lambda c: reverse("schools:school-list")),
        ("ib_a", lambda c: reverse("schools:appointment-list")),
        (
            "partnership_staff",
            lambda c: reverse("schools:partnership-detail", args=[c.partnership.pk]),
        ),
    ],
)
def test_each_role_lands_on_its_own_start_page(client, cast, user, page):
    client.force_login(cast.user(user))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain == [(page(cast), 302)]
    assert response.status_code == 200


def test_board_staff_who_is_also_director_lands_on_board_overview(client, cast):
    f.MembershipFactory(user=cast.director_a, role=Role.BOARD_STAFF, board=cast.board_a)
    client.force_login(cast.director_a)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("schools:board-detail", args=[cast.board_a.pk])


@pytest.mark.parametrize("user", ["staff_a", "director_a", "ib_a", "partnership_staff"])
def test_school_list_fte_is_every_appointment_active_that_day(client, cast, user):
    """The appointed fte of a school is the same whoever reads it: the director and board
    staff sum the shares they read by name, an IB and the partnership (a sharing board) get
    the sum of shares they cannot see by name; an ended or later appointment does not count."""
    Board.objects.filter(pk=cast.board_a.pk).update(shares_with_partnership=True)
    other = f.ib(cast.board_a, username="ib_other")
    f.AppointmentFactory(board=cast.board_a, ib=other, shares=[(cast.school_a1, "0.3")])
    today = timezone.localdate()
    f.AppointmentFactory(
        board=cast.board_a,
        shares=[(cast.school_a1, "0.5")],
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=1),
    )
    f.AppointmentFactory(
        board=cast.board_a,
        shares=[(cast.school_a1, "0.4"), (cast.school_a2, "0.2")],
        start_date=today + datetime.timedelta(days=1),
    )
    client.force_login(getattr(cast, user))
    rows = {
        row["school"].pk: row for row in client.get(reverse("schools:school-list")).context["rows"]
    }
    assert rows[cast.school_a1.pk]["fte"] == D("1.1")


def test_user_without_role_sees_welcome_page(client, no_role_user):
    client.force_login(no_role_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "schools/no_role.html" in [t.name for t in response.templates]


def test_director_start_page_shows_their_ibs(client, cast):
    client.force_login(cast.director_a)
    response = client.get(reverse("schools:school-list"))
    (row,) = response.context["rows"]
    assert [appointment for appointment, _share in row["ib_shares"]] == [cast.appointment_a]
    assert row["fte"] == D("0.8")


def test_ib_start_page_shows_only_own_appointments(client, cast):
    client.force_login(cast.ib_a)
    response = client.get(reverse("schools:appointment-list"))
    assert list(response.context["appointments"]) == [cast.appointment_a]
    assert response.context["only_own"] is True
    assert list(response.context["manageable_boards"]) == []


def test_appointment_list_hides_ended_appointments_unless_asked(client, cast):
    Appointment.objects.filter(pk=cast.appointment_a.pk).update(end_date="2025-12-31")
    client.force_login(cast.staff_a)
    url = reverse("schools:appointment-list")
    assert list(client.get(url).context["appointments"]) == []
    assert list(client.get(url, {"alle": "1"}).context["appointments"]) == [cast.appointment_a]


def test_appointment_list_of_a_school_year_shows_the_board_overviews_day(client, cast):
    """?jaar= lists the appointments on the day the board overview counts them (1 October of
    a past year): an ended one then, not one that starts later; the exports follow."""
    ended = f.AppointmentFactory(
        board=cast.board_a,
        shares=[(cast.school_a2, "0.4")],
        start_date=datetime.date(2020, 8, 1),
        end_date=datetime.date(2025, 7, 31),
    )
    client.force_login(cast.staff_a)
    url = reverse("schools:appointment-list")
    assert list(client.get(url).context["appointments"]) == [cast.appointment_a]
    response = client.get(url, {"jaar": 2024})
    assert list(response.context["appointments"]) == [ended]
    assert "1 oktober 2024 (schooljaar 2024-2025)" in response.text
    export = reverse("schools:appointment-export", args=["csv"])
    assert f"{export}?jaar=2024" in response.text
    body = client.get(export, {"jaar": 2024}).content.decode("utf-8-sig")
    assert "School A2" in body and "School A1" not in body
    overview = client.get(reverse("schools:board-detail", args=[cast.board_a.pk]), {"jaar": 2024})
    assert overview.context["year"].appointments == 1
    assert f"{url}?jaar=2024" in overview.text


# ---------------------------------------------------------------------------------------------
# Board overview and policy
# ---------------------------------------------------------------------------------------------


def test_board_detail_sums_up_the_year(client, cast):
    client.force_login(cast.staff_a)
    year = cast.figures_a1.school_year.start_year
    response = client.get(reverse("schools:board-detail", args=[cast.board_a.pk]), {"jaar": year})
    summary = response.context["year"]
    assert (summary.schools, summary.counted, summary.grouped) == (2, 1, 1)
    assert (summary.pupils, summary.groups, summary.fte) == (250, 10, D("0.8"))
    assert summary.appointments == 1
    assert summary.below_minimum == []
    # The tables are one click away, in the same school year.
    assert f"{reverse('schools:school-list')}?jaar={year}" in response.text


def test_board_detail_says_unknown_figures_are_unknown(client, cast):
    """A year without figures shows dashes, not zeros; groups known at fewer schools than
    their pupils say so."""
    client.force_login(cast.staff_a)
    url = reverse("schools:board-detail", args=[cast.board_a.pk])
    year = cast.figures_a1.school_year.start_year
    empty = client.get(url, {"jaar": year + 5})
    assert empty.context["year"].counted == 0
    assert "Nog geen leerlingen geteld voor dit schooljaar." in empty.text
    SchoolFigures.objects.create(
        school=cast.school_a2, school_year=cast.figures_a1.school_year, pupils=90, groups=None
    )
    summary = client.get(url, {"jaar": year})
    assert (summary.context["year"].counted, summary.context["year"].grouped) == (2, 1)
    assert "bekend bij 1 van de 2 scholen" in summary.text


def test_school_list_shows_board_staff_the_figures_and_fte(client, cast):
    client.force_login(cast.staff_a)
    year = cast.figures_a1.school_year.start_year
    response = client.get(reverse("schools:school-list"), {"jaar": year})
    rows = {row["school"]: row for row in response.context["rows"]}
    assert set(rows) == {cast.school_a1, cast.school_a2}
    assert rows[cast.school_a1]["figures"] == cast.figures_a1
    assert rows[cast.school_a1]["fte"] == D("0.8")
    assert rows[cast.school_a2]["fte"] is None


def test_board_detail_names_the_appointments_below_the_minimum(client, cast):
    cast.board_a.min_ib_fte = D("0.9")
    cast.board_a.save()
    client.force_login(cast.staff_a)
    response = client.get(reverse("schools:board-detail", args=[cast.board_a.pk]))
    (below,) = response.context["year"].below_minimum
    assert (below.pk, below.fte) == (cast.appointment_a.pk, D("0.8"))
    assert reverse("schools:appointment-detail", args=[cast.appointment_a.pk]) in response.text


def test_board_detail_year_picker_ignores_nonsense(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:board-detail", args=[cast.board_a.pk])
    assert client.get(url, {"jaar": "abc"}).context["start_year"] == SchoolYear.current_start_year()
    assert client.get(url, {"jaar": "1900"}).context["start_year"] == (
        SchoolYear.current_start_year()
    )


@pytest.mark.parametrize(
    ("url", "marker"),
    [
        (lambda c: reverse("schools:board-detail", args=[c.board_a.pk]), 'id="below-minimum"'),
        (lambda c: reverse("schools:appointment-list"), "flag-below-minimum"),
        (lambda c: reverse("schools:school-list"), "flag-below-minimum"),
        (lambda c: reverse("schools:school-detail", args=[c.school_a1.pk]), "flag-below-minimum"),
        (
            lambda c: reverse("schools:appointment-detail", args=[c.appointment_a.pk]),
            "alert-warning",
        ),
    ],
)
def test_appointment_below_minimum_is_flagged_where_shown(client, cast, url, marker):
    client.force_login(cast.staff_a)
    assert marker not in client.get(url(cast)).text
    cast.board_a.min_ib_fte = D("0.9")
    cast.board_a.save()
    assert marker in client.get(url(cast)).text


def test_appointment_at_minimum_is_not_flagged(client, cast):
    client.force_login(cast.staff_a)
    response = client.get(reverse("schools:board-detail", args=[cast.board_a.pk]))
    assert 'id="below-minimum"' not in response.text
    assert response.context["year"].below_minimum == []


def test_board_staff_edits_policy_with_dutch_decimals(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:board-edit", args=[cast.board_a.pk]),
        {
            "name": "Bestuur A",
            "hours_per_fte": "1659",
            "reserved_hours_per_fte": "123,5",
            "min_ib_fte": "0,5",
            "salary_scales": "LB,LC, LD, L12",
            **f.BOARD_NORM_POST,
            "lock_version": cast.board_a.lock_version,
        },
    )
    assert response.status_code == 302
    board = Board.objects.get(pk=cast.board_a.pk)
    assert board.reserved_hours_per_fte == D("123.5")
    assert board.min_ib_fte == D("0.5")
    assert board.salary_scales == "LB, LC, LD, L12"


def test_board_policy_without_minimum(client, cast):
    client.force_login(cast.staff_a)
    client.post(
        reverse("schools:board-edit", args=[cast.board_a.pk]),
        {
            "name": "Bestuur A",
            "hours_per_fte": "1659",
            "reserved_hours_per_fte": "0",
            "min_ib_fte": "",
            "salary_scales": "LB",
            **f.BOARD_NORM_POST,
            "lock_version": cast.board_a.lock_version,
        },
    )
    assert Board.objects.get(pk=cast.board_a.pk).min_ib_fte is None


def test_board_policy_with_bad_input_rerenders_with_errors(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:board-edit", args=[cast.board_a.pk]),
        {
            "name": "Bestuur A",
            "hours_per_fte": "veel",
            "reserved_hours_per_fte": "0",
            "min_ib_fte": "1,5",
            "salary_scales": "LB, LB",
            **f.BOARD_NORM_POST,
            "lock_version": cast.board_a.lock_version,
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"hours_per_fte", "min_ib_fte", "salary_scales"}
    assert field_value_kept(response.text, "hours_per_fte", "veel")
    assert field_value_kept(response.text, "min_ib_fte", "1,5")
    assert Board.objects.get(pk=cast.board_a.pk).salary_scales == "LB, LC, LD"


# ---------------------------------------------------------------------------------------------
# Schools
# ---------------------------------------------------------------------------------------------


def school_data(cast, **fields) -> dict:
    data = {
        "name": "De Regenboog",
        "brin": "11AC",
        "location_code": "00",
        "place": "Eindhoven",
        "partnership": cast.partnership.pk,
        "directors": [],
    }
    data.update(fields)
    return data


def test_board_staff_creates_school_with_directors(client, cast):
    other_director = f.director(cast.school_a2)
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:school-create", args=[cast.board_a.pk]),
        school_data(cast, directors=[cast.director_a.pk, other_director.pk]),
    )
    school = School.objects.get(brin="11AC")
    assert response["Location"] == reverse("schools:school-detail", args=[school.pk])
    assert school.board == cast.board_a
    assert set(school.directors) == {cast.director_a, other_director}
    # Still director of their first school too: a multi-school director.
    assert cast.school_a1.directors == [cast.director_a]


def test_school_brin_is_stored_in_capitals(client, cast):
    client.force_login(cast.staff_a)
    client.post(
        reverse("schools:school-create", args=[cast.board_a.pk]), school_data(cast, brin=" 11ac ")
    )
    assert School.objects.filter(brin="11AC").exists()


def test_school_form_with_bad_brin_rerenders_with_input(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:school-create", args=[cast.board_a.pk]),
        school_data(cast, brin="1ABC", location_code="7", name="Mijn school"),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"brin", "location_code"}
    assert field_value_kept(response.text, "brin", "1ABC")
    assert field_value_kept(response.text, "name", "Mijn school")
    assert 'class="invalid-feedback"' in response.text or "is-invalid" in response.text
    assert not School.objects.filter(name="Mijn school").exists()


def test_school_form_refuses_existing_brin_and_location(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:school-create", args=[cast.board_a.pk]), school_data(cast, brin="22BA")
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert School.objects.filter(brin="22BA").count() == 1


def test_school_form_offers_only_directors_of_own_board(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:school-create", args=[cast.board_a.pk]),
        school_data(cast, directors=[cast.director_b.pk]),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"directors"}


def test_school_form_offers_only_partnerships_of_own_board(client, cast):
    other = f.PartnershipFactory()
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:school-create", args=[cast.board_a.pk]),
        school_data(cast, partnership=other.pk),
    )
    assert set(response.context["form"].errors) == {"partnership"}


def test_board_staff_edits_school_and_its_directors(client, cast):
    new_director = f.director(cast.school_a2)
    client.force_login(cast.staff_a)
    url = reverse("schools:school-edit", args=[cast.school_a1.pk])
    assert client.get(url).context["form"].initial["directors"] == [cast.director_a.pk]
    response = client.post(
        url,
        school_data(cast, name="School A1 nieuw", brin="11AA", directors=[new_director.pk])
        | {"lock_version": 0},
    )
    assert response.status_code == 302
    school = School.objects.get(pk=cast.school_a1.pk)
    assert school.name == "School A1 nieuw"
    assert school.directors == [new_director]
    assert not Membership.objects.filter(user=cast.director_a, school=school).exists()


def test_school_edit_keeps_own_brin(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:school-edit", args=[cast.school_a1.pk]),
        school_data(cast, name="School A1", brin="11AA", directors=[cast.director_a.pk])
        | {"lock_version": 0},
    )
    assert response.status_code == 302


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def test_figures_edit_creates_school_year_when_needed(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:figures-edit", args=[cast.school_a1.pk, 2032])
    response = client.post(url, {"pupils": "412", "groups": "16"})
    assert response["Location"] == reverse("schools:school-detail", args=[cast.school_a1.pk])
    figures = cast.school_a1.figures.get(school_year__start_year=2032)
    assert (figures.pupils, figures.groups) == (412, 16)


def test_figures_edit_changes_existing_figures(client, cast):
    client.force_login(cast.staff_a)
    year = cast.figures_a1.school_year.start_year
    url = reverse("schools:figures-edit", args=[cast.school_a1.pk, year])
    assert client.get(url).context["form"].instance == cast.figures_a1
    client.post(url, {"pupils": "260", "groups": "11", "lock_version": "0"})
    cast.figures_a1.refresh_from_db()
    assert (cast.figures_a1.pupils, cast.figures_a1.groups) == (260, 11)


def test_figures_with_bad_input_rerender_with_errors(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:figures-edit", args=[cast.school_a1.pk, 2032])
    response = client.post(url, {"pupils": "-3", "groups": "veel"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"pupils", "groups"}
    assert field_value_kept(response.text, "pupils", "-3")
    assert not SchoolYear.objects.filter(start_year=2032).exists()


def test_figures_for_year_out_of_range_are_refused(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:figures-edit", args=[cast.school_a1.pk, 1999])
    assert client.post(url, {"pupils": "1", "groups": "1"}).status_code == 404


# ---------------------------------------------------------------------------------------------
# Appointments
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def new_ib(cast):
    return f.ib(cast.board_a, username="nieuwe_ib", first_name="Nina", last_name="Nieuw")


def post_appointment(client, cast, data):
    client.force_login(cast.staff_a)
    return client.post(reverse("schools:appointment-create", args=[cast.board_a.pk]), data)


def test_appointment_form_opens_with_empty_share_rows(client, cast):
    client.force_login(cast.staff_a)
    response = client.get(reverse("schools:appointment-create", args=[cast.board_a.pk]))
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2
    assert 'name="shares-TOTAL_FORMS"' in response.text


def test_board_staff_creates_appointment_with_shares(client, cast, new_ib):
    data = appointment_form_data(
        cast,
        ib=new_ib,
        start="2026-08-01",
        shares=[(cast.school_a1, "0,2"), (cast.school_a2, "0,5")],
    )
    response = post_appointment(client, cast, data)
    appointment = Appointment.objects.get(ib=new_ib)
    assert response["Location"] == reverse("schools:appointment-detail", args=[appointment.pk])
    assert appointment.board == cast.board_a
    assert (appointment.kind, appointment.salary_scale) == ("taak", "LC")
    assert appointment.start_date == datetime.date(2026, 8, 1)
    assert {(s.school, s.fte) for s in appointment.shares.all()} == {
        (cast.school_a1, D("0.2")),
        (cast.school_a2, D("0.5")),
    }
    # School A2 has no director: its share counts for nobody.
    assert Appointment.objects.with_details().get(pk=appointment.pk).personnel_directors == [
        cast.director_a
    ]


def test_dutch_decimal_fte_is_accepted(client, cast, new_ib):
    data = appointment_form_data(
        cast, ib=new_ib, start="2026-08-01", shares=[(cast.school_a2, "0,6")]
    )
    assert post_appointment(client, cast, data).status_code == 302
    assert Appointment.objects.get(ib=new_ib).total_fte == D("0.6")


def test_empty_share_rows_are_skipped(client, cast, new_ib):
    data = appointment_form_data(
        cast, ib=new_ib, start="2026-08-01", shares=[("", ""), (cast.school_a2, "0,6"), ("", "")]
    )
    assert post_appointment(client, cast, data).status_code == 302
    assert Appointment.objects.get(ib=new_ib).shares.count() == 1


def test_appointment_form_with_bad_data_rerenders_with_input_and_errors(client, cast, new_ib):
    data = appointment_form_data(
        cast,
        ib=new_ib,
        start="1-13-2026",
        shares=[(cast.school_a1, "0,4x"), (cast.school_a2, "1,5")],
        salary_scale="L12",
    )
    response = post_appointment(client, cast, data)
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert set(form.errors) == {"start_date", "salary_scale"}
    assert [set(errors) for errors in formset.errors] == [{"fte"}, {"fte"}]
    html = response.text
    assert field_value_kept(html, "start_date", "1-13-2026")
    assert field_value_kept(html, "shares-0-fte", "0,4x")
    assert field_value_kept(html, "shares-1-fte", "1,5")
    assert option_selected(html, "ib", new_ib.pk)
    assert option_selected(html, "shares-0-school", cast.school_a1.pk)
    assert option_selected(html, "kind", "taak")
    assert html.count("invalid-feedback") >= 4
    assert not Appointment.objects.filter(ib=new_ib).exists()


def test_appointment_form_errors_are_in_dutch(client, cast, new_ib):
    """Django's own Dutch messages are stable; the project's own texts are checked in test_i18n."""
    data = appointment_form_data(
        cast, ib=new_ib, start="", shares=[(cast.school_a2, "veel"), ("", "")]
    )
    html = post_appointment(client, cast, data).text
    assert "Dit veld is verplicht." in html  # the start date
    assert "Voer een getal in." in html  # the share's fte


def test_appointment_without_shares_shows_error(client, cast, new_ib):
    data = appointment_form_data(cast, ib=new_ib, start="2026-08-01", shares=[("", ""), ("", "")])
    response = post_appointment(client, cast, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Appointment.objects.filter(ib=new_ib).exists()


def test_tampered_share_count_builds_at_most_twenty_rows(client, cast, new_ib):
    data = appointment_form_data(cast, ib=new_ib, start="2026-08-01", shares=[])
    data["shares-TOTAL_FORMS"] = "1999"
    response = post_appointment(client, cast, data)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 20
    assert response.context["formset"].non_form_errors()
    assert not Appointment.objects.filter(ib=new_ib).exists()


def test_tie_without_leading_school_asks_for_it(client, cast, new_ib):
    f.director(cast.school_a2)
    data = appointment_form_data(
        cast,
        ib=new_ib,
        start="2026-08-01",
        shares=[(cast.school_a1, "0,4"), (cast.school_a2, "0,4")],
    )
    response = post_appointment(client, cast, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"lead_school"}
    assert field_value_kept(response.text, "shares-1-fte", "0,4")
    assert not Appointment.objects.filter(ib=new_ib).exists()


def test_tie_with_leading_school_is_saved(client, cast, new_ib):
    f.director(cast.school_a2)
    data = appointment_form_data(
        cast,
        ib=new_ib,
        start="2026-08-01",
        shares=[(cast.school_a1, "0,4"), (cast.school_a2, "0,4")],
        lead_school=cast.school_a1.pk,
    )
    assert post_appointment(client, cast, data).status_code == 302
    appointment = Appointment.objects.with_details().get(ib=new_ib)
    assert appointment.personnel.status == "chosen"
    assert appointment.personnel_directors == [cast.director_a]


def test_ib_total_above_1_fte_shows_error(client, cast):
    data = appointment_form_data(
        cast, ib=cast.ib_a, start="2026-08-01", shares=[(cast.school_a2, "0,3")]
    )
    response = post_appointment(client, cast, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert cast.ib_a.ib_appointments.count() == 1


def test_share_at_school_of_other_board_is_refused(client, cast, new_ib):
    data = appointment_form_data(
        cast, ib=new_ib, start="2026-08-01", shares=[(cast.school_b1, "0,6")]
    )
    response = post_appointment(client, cast, data)
    assert response.status_code == 200
    assert [set(errors) for errors in response.context["formset"].errors] == [{"school"}]
    assert not Appointment.objects.filter(ib=new_ib).exists()


def test_ib_of_other_board_cannot_be_chosen(client, cast):
    data = appointment_form_data(
        cast, ib=cast.ib_b, start="2026-08-01", shares=[(cast.school_a2, "0,6")]
    )
    response = post_appointment(client, cast, data)
    assert set(response.context["form"].errors) == {"ib"}


def test_end_date_before_start_date_shows_error(client, cast, new_ib):
    data = appointment_form_data(
        cast, ib=new_ib, start="2026-08-01", shares=[(cast.school_a2, "0,6")], end_date="2026-07-01"
    )
    response = post_appointment(client, cast, data)
    assert set(response.context["form"].errors) == {"end_date"}


def test_board_staff_edits_appointment_shares(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:appointment-edit", args=[cast.appointment_a.pk])
    formset = client.get(url).context["formset"]
    assert formset.initial == [{"school": cast.school_a1, "fte": D("0.8")}]
    data = appointment_form_data(
        cast,
        ib=cast.ib_a,
        start="2025-08-01",
        shares=[(cast.school_a1, "0,8"), (cast.school_a2, "0,2")],
    )
    data.update(
        {
            "shares-INITIAL_FORMS": "1",
            "shares-0-DELETE": "on",
            "salary_scale": "LD",
            "lock_version": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    appointment = Appointment.objects.get(pk=cast.appointment_a.pk)
    assert appointment.salary_scale == "LD"
    assert [(s.school, s.fte) for s in appointment.shares.all()] == [(cast.school_a2, D("0.2"))]


def test_appointment_in_a_dropped_scale_can_be_edited_to_a_current_one(client, cast):
    cast.board_a.salary_scales = "L10, L11"
    cast.board_a.save()
    client.force_login(cast.staff_a)
    url = reverse("schools:appointment-edit", args=[cast.appointment_a.pk])
    # The old code stays visible in the form, so the page shows what is stored.
    assert ("LB", "LB") in client.get(url).context["form"].fields["salary_scale"].choices
    data = appointment_form_data(
        cast, ib=cast.ib_a, start="2025-08-01", shares=[(cast.school_a1, "0,8")]
    )
    data["shares-INITIAL_FORMS"] = "1"
    data["lock_version"] = "0"
    assert set(client.post(url, {**data, "salary_scale": "LB"}).context["form"].errors) == {
        "salary_scale"
    }
    assert client.post(url, {**data, "salary_scale": "L11"}).status_code == 302


def test_board_staff_ends_appointment(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:appointment-end", args=[cast.appointment_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"end_date": "2026-07-31"})
    assert response["Location"] == reverse(
        "schools:appointment-detail", args=[cast.appointment_a.pk]
    )
    cast.appointment_a.refresh_from_db()
    assert cast.appointment_a.end_date == datetime.date(2026, 7, 31)


def test_ending_before_start_shows_error(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:appointment-end", args=[cast.appointment_a.pk]), {"end_date": "2025-01-01"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"end_date"}
    assert field_value_kept(response.text, "end_date", "2025-01-01")
    cast.appointment_a.refresh_from_db()
    assert cast.appointment_a.end_date is None


def test_ending_appointment_in_a_dropped_scale_works(client, cast):
    """After the CAO renamed the scales, old appointments can still be ended (no 500)."""
    cast.board_a.salary_scales = "L10, L11"
    cast.board_a.save()
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:appointment-end", args=[cast.appointment_a.pk]), {"end_date": "2026-07-31"}
    )
    assert response.status_code == 302
    cast.appointment_a.refresh_from_db()
    assert cast.appointment_a.end_date == datetime.date(2026, 7, 31)


def test_ending_appointment_of_ib_who_left_works(client, cast):
    Membership.objects.filter(user=cast.ib_a, role=Role.IB).delete()
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:appointment-end", args=[cast.appointment_a.pk]), {"end_date": "2026-07-31"}
    )
    assert response.status_code == 302


def test_appointment_detail_shows_a_tie_still_to_choose(client, cast):
    """A tie that arose outside the form (a director registered later) is shown, not hidden."""
    cast.appointment_a.shares.create(school=cast.school_a2, fte=D("0.8"))
    f.director(cast.school_a2)
    Appointment.objects.filter(pk=cast.appointment_a.pk).update(lead_school=None)
    client.force_login(cast.director_a)
    response = client.get(reverse("schools:appointment-detail", args=[cast.appointment_a.pk]))
    assert response.status_code == 200
    assert response.context["appointment"].personnel.to_choose
    assert "alert-danger" in response.text
    assert "nog te kiezen" in response.text


def test_appointment_detail_shows_the_reasoning_per_director(client, cast):
    school_a3 = f.SchoolFactory(board=cast.board_a, name="School A3")
    cast.director_a.memberships.create(role=Role.DIRECTOR, school=school_a3)
    f.director(cast.school_a2, first_name="Bram", last_name="Tweede")
    cast.appointment_a.shares.update(fte=D("0.3"))
    cast.appointment_a.shares.create(school=school_a3, fte=D("0.2"))
    cast.appointment_a.shares.create(school=cast.school_a2, fte=D("0.4"))
    client.force_login(cast.staff_a)
    response = client.get(reverse("schools:appointment-detail", args=[cast.appointment_a.pk]))
    page = response.text
    assert response.context["appointment"].personnel_directors == [cast.director_a]
    reasoning = page[page.index('id="personnel-reasoning"') :]
    assert "School A1, School A3" in reasoning or "School A3, School A1" in reasoning
    assert "0,50" in reasoning and "0,40" in reasoning
    assert "Bram Tweede" in reasoning


def test_school_detail_shows_manage_links_only_to_board_staff(client, cast):
    url = reverse("schools:school-detail", args=[cast.school_a1.pk])
    edit_url = reverse("schools:school-edit", args=[cast.school_a1.pk])
    client.force_login(cast.staff_a)
    assert edit_url in client.get(url).text
    client.force_login(cast.director_a)
    response = client.get(url)
    assert response.context["can_manage"] is False
    assert edit_url not in response.text


def test_partnership_staff_are_told_appointments_are_not_theirs(client, cast):
    url = reverse("schools:school-detail", args=[cast.school_a1.pk])
    client.force_login(cast.partnership_staff)
    response = client.get(url)
    assert "Aanstellingen zijn alleen zichtbaar voor het bestuur en de school." in response.text
    assert "Geen aanstellingen." not in response.text
    client.force_login(cast.staff_a)
    response = client.get(url)
    assert "Aanstellingen zijn alleen zichtbaar" not in response.text
    assert cast.ib_a.last_name in response.text


@pytest.mark.parametrize(
    ("fte", "message"),
    [
        ("1,5", "Een aandeel is ten hoogste 1 fte (een volledige baan)."),
        ("0", "Een aandeel is meer dan 0 fte."),
        ("0,43751", "Geef de fte met ten hoogste vier decimalen, bijvoorbeeld 0,4375."),
    ],
)
def test_share_limits_are_said_in_dutch_without_a_decimal_point(client, cast, new_ib, fte, message):
    data = appointment_form_data(
        cast, ib=new_ib, start="2026-08-01", shares=[(cast.school_a2, fte)]
    )
    response = post_appointment(client, cast, data)
    assert response.status_code == 200
    assert response.context["formset"].errors[0]["fte"] == [message]


def test_board_staff_are_asked_to_choose_on_a_tie_between_directors(cast):
    """A tie that arose outside the form is on board staff's start page until the board
    chooses the leading school; nobody else's list has it."""
    from schools.todo import items_for

    def ties(user) -> list:
        return [
            i for i in items_for(user, timezone.localdate()) if i.kind == "personnel-director-tie"
        ]

    assert ties(cast.staff_a) == []
    share = cast.appointment_a.shares.get()
    share.fte = D("0.4")
    share.save()
    cast.appointment_a.shares.create(school=cast.school_a2, fte=D("0.4"))
    f.director(cast.school_a2)
    Appointment.objects.filter(pk=cast.appointment_a.pk).update(lead_school=None)
    (item,) = ties(cast.staff_a)
    assert item.url == reverse("schools:appointment-edit", args=[cast.appointment_a.pk])
    assert ties(cast.staff_b) == [] and ties(cast.director_a) == []
    Appointment.objects.filter(pk=cast.appointment_a.pk).update(lead_school=cast.school_a2)
    assert ties(cast.staff_a) == []


def test_no_tie_to_choose_at_one_school_or_after_the_appointment_ended(cast):
    """Co-directors of the appointment's only school form one formation; an ended
    appointment is no longer the board's to settle."""
    from schools.todo import items_for

    def ties(user) -> list:
        return [
            i for i in items_for(user, timezone.localdate()) if i.kind == "personnel-director-tie"
        ]

    f.director(cast.school_a1, first_name="Bram", last_name="Tweede")
    Appointment.objects.filter(pk=cast.appointment_a.pk).update(lead_school=None)
    assert ties(cast.staff_a) == []
    cast.appointment_a.shares.update(fte=D("0.4"))
    cast.appointment_a.shares.create(school=cast.school_a2, fte=D("0.4"))
    f.director(cast.school_a2)
    assert len(ties(cast.staff_a)) == 1
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Appointment.objects.filter(pk=cast.appointment_a.pk).update(end_date=yesterday)
    assert ties(cast.staff_a) == []
