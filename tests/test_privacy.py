"""Privacy: what each role sees of people and IB fte in lists, counts and exports.

The rule (see ``schools.models.SchoolQuerySet.figures_for_user`` and
``Appointment.objects.for_user``): partnership staff see the schools of their partnership, the
IB figures (appointed fte, norm) only of boards that share them, and never an IB's name,
appointment or "below minimum" flag. Inside a board, a director sees the IBs of their own
schools and an IB only their own appointment. The access matrix (test_access) checks every
page for names; here are the specific leaks and the figures.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from . import factories as f


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def full_name(user) -> str:
    return user.get_full_name()


def school_list(client, user):
    client.force_login(user)
    response = client.get(reverse("schools:school-list"))
    assert response.status_code == 200
    return response


def row_of(response, school) -> dict:
    return next(row for row in response.context["rows"] if row["school"].pk == school.pk)


def test_partnership_school_list_shows_nothing_of_the_ibs_of_a_board_that_does_not_share(
    client, cast
):
    """The leak of issue 11: board B does not share, yet the partnership's school list named
    its IB, their fte and their 'below minimum' flag (0.5 fte under the board's 0.6)."""
    assert not cast.board_b.shares_with_partnership
    response = school_list(client, cast.partnership_staff)
    text = response.text
    assert "School B1" in text  # the school is the partnership's: name, BRIN, place
    assert full_name(cast.ib_b) not in text
    assert nl("below minimum") not in text
    assert "0,50" not in text and "0.50" not in text
    row = row_of(response, cast.school_b1)
    assert row["fte"] is None and row["ib_shares"] == []


def test_partnership_school_list_shows_the_fte_but_no_names_of_a_sharing_board(client, cast):
    cast.board_a.shares_with_partnership = True
    cast.board_a.save()
    response = school_list(client, cast.partnership_staff)
    row = row_of(response, cast.school_a1)
    assert row["fte"] == Decimal("0.8")
    assert row["ib_shares"] == []
    assert full_name(cast.ib_a) not in response.text
    # Board B still does not share.
    assert row_of(response, cast.school_b1)["fte"] is None


def test_director_school_list_names_only_the_ibs_of_their_schools(client, cast):
    colleague = f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a2, "0.6")])
    response = school_list(client, cast.director_a)
    assert full_name(cast.ib_a) in response.text
    assert full_name(colleague.ib) not in response.text


def test_ib_school_list_shows_their_own_appointment_not_a_colleague_at_the_same_school(
    client, cast
):
    colleague = f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a1, "0.2")])
    response = school_list(client, cast.ib_a)
    assert full_name(cast.ib_a) in response.text
    assert full_name(colleague.ib) not in response.text


def test_board_overview_lists_only_its_own_appointments(client, cast):
    client.force_login(cast.staff_a)
    response = client.get(reverse("schools:board-detail", args=[cast.board_a.pk]))
    assert full_name(cast.ib_a) in response.text
    assert full_name(cast.ib_b) not in response.text


def test_the_fte_helper_needs_a_user(cast):
    from schools.models import ib_fte_by_school

    with pytest.raises(TypeError):
        ib_fte_by_school([cast.school_b1.pk], cast.appointment_b.start_date)  # type: ignore[call-arg]
    assert (
        ib_fte_by_school(cast.partnership_staff, [cast.school_b1.pk], cast.appointment_b.start_date)
        == {}
    )
    assert ib_fte_by_school(cast.staff_b, [cast.school_b1.pk], cast.appointment_b.start_date) == {
        cast.school_b1.pk: Decimal("0.5")
    }


# ---------------------------------------------------------------------------------------------
# The partnership's comparison: figures of sharing boards, no people
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [None, "csv"])
def test_partnership_comparison_shows_no_ib_names_or_minimum_flags(client, cast, fmt):
    cast.board_a.shares_with_partnership = True
    cast.board_a.save()
    client.force_login(cast.partnership_staff)
    if fmt:
        url = reverse("schools:partnership-comparison-export", args=[cast.partnership.pk, fmt])
        text = client.get(url).content.decode("utf-8-sig")
    else:
        response = client.get(reverse("schools:partnership-comparison", args=[cast.partnership.pk]))
        text = response.text
        assert [row.ibs for row in response.context["rows"]] == [[], []]
    assert "School A1" in text
    assert full_name(cast.ib_a) not in text
    assert full_name(cast.ib_b) not in text and "School B1" not in text
    assert nl("Below the minimum appointment") not in text
    assert nl("IBs") not in text.replace(nl("IB fte appointed"), "")


def test_board_comparison_still_names_the_boards_own_ibs(client, cast):
    client.force_login(cast.staff_a)
    # The IB column is one the board chooses (it is left out by default to fit a laptop).
    url = reverse("schools:comparison", args=[cast.board_a.pk]) + "?kolommen=1&kolom=ib"
    response = client.get(url)
    assert full_name(cast.ib_a) in response.text
    assert full_name(cast.ib_b) not in response.text


def test_the_school_figure_helpers_refuse_a_user_who_may_not_read_them(cast):
    from django.core.exceptions import PermissionDenied

    from reporting.comparison import school_year_rows
    from schools.figures import school_norm_figures

    day = cast.appointment_b.start_date
    with pytest.raises(PermissionDenied):
        school_norm_figures(cast.partnership_staff, cast.school_b1, day.year, day)
    with pytest.raises(PermissionDenied):
        school_year_rows(cast.partnership_staff, cast.school_b1, {day.year: day}, [])
    figures, _partners = school_norm_figures(cast.staff_b, cast.school_b1, day.year, day)
    assert figures.appointed_fte == Decimal("0.50")


# ---------------------------------------------------------------------------------------------
# The partnership's copy of agreed packages (issue 14): tasks and hours, no people, no words
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tasks:copy-list", "tasks:copy-detail", "tasks:copy-letter"])
def test_partnership_copy_shows_no_names_comments_or_minimum_flags(client, cast, name):
    from tasks.packages import package_review, package_submit

    from .conftest import add_package_a

    package = add_package_a(cast)
    cast.board_a.shares_with_partnership = True
    cast.board_a.min_ib_fte = Decimal("0.9")  # ib_a's 0.8 fte is below it: a flag, not a figure
    cast.board_a.save()
    item = package.versions.get().items.get()
    item.note = "Afspraak met de directeur"
    item.save()
    package.refresh_from_db()
    package_submit(
        package=package,
        actor=cast.director_a,
        lock_version=package.lock_version,
        comment="Graag bekijken",
    )
    package.refresh_from_db()
    package_review(
        package=package,
        actor=cast.ib_a,
        lock_version=package.lock_version,
        accept=True,
        comment="Akkoord, met zorgen",
        item_comments={item.pk: "Te weinig uren"},
    )
    client.force_login(cast.partnership_staff)
    args = [] if name == "tasks:copy-list" else [package.pk]
    text = client.get(reverse(name, args=args)).text
    assert "School A1" in text
    for person in (cast.ib_a, cast.director_a, cast.staff_a):
        assert full_name(person) not in text
        assert person.last_name not in text
    for words in (
        "Afspraak met de directeur",
        "Graag bekijken",
        "Akkoord, met zorgen",
        "Te weinig",
    ):
        assert words not in text
    assert nl("Below the minimum appointment") not in text
    assert nl("below minimum") not in text
