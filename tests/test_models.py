"""Model and service rules of the foundation: every rule, through the model or the service."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from schools.models import (
    Appointment,
    AppointmentShare,
    Board,
    Membership,
    Role,
    School,
    SchoolFigures,
    SchoolYear,
    get_scope,
    ib_fte_by_school,
)
from schools.services import (
    ShareInput,
    appointment_end,
    appointment_save,
    figures_save,
    peak_total_fte,
    school_save,
)

from . import factories as f

D = Decimal
AUG_2025 = datetime.date(2025, 8, 1)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def new_appointment(board: Board, ib, *, start="2025-08-01", end=None, **fields) -> Appointment:
    return Appointment(
        board=board,
        ib=ib,
        kind=Appointment.Kind.FUNCTIE,
        salary_scale=fields.pop("salary_scale", "LB"),
        start_date=day(start),
        end_date=day(end) if end else None,
        **fields,
    )


def save(appointment: Appointment, *shares: tuple[School, str]) -> Appointment:
    return appointment_save(
        appointment=appointment,
        shares=[ShareInput(school=school, fte=D(fte)) for school, fte in shares],
    )


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


def db_refuses(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


# ---------------------------------------------------------------------------------------------
# Board
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["1234", "123456", "1234a", "abcde", " 1234"])
def test_board_number_must_be_five_digits(db, number):
    with pytest.raises(ValidationError) as excinfo:
        Board(name="X", number=number).full_clean()
    assert error_fields(excinfo) == {"number"}


def test_board_number_of_five_digits_is_valid(db):
    Board(name="X", number="01234").full_clean()


def test_board_number_is_unique(cast):
    with pytest.raises(ValidationError) as excinfo:
        Board(name="Kopie", number=cast.board_a.number).full_clean()
    assert error_fields(excinfo) == {"number"}
    db_refuses(lambda: Board.objects.create(name="Kopie", number=cast.board_a.number))


def test_board_salary_scales_are_normalised(db):
    board = Board(name="X", number="12345", salary_scales=" LB,LC ,  9")
    board.full_clean()
    assert board.salary_scales == "LB, LC, 9"
    assert board.salary_scale_codes == ["LB", "LC", "9"]


def test_board_salary_scale_code_may_not_occur_twice(db):
    with pytest.raises(ValidationError) as excinfo:
        Board(name="X", number="12345", salary_scales="LB, LC, LB").full_clean()
    assert error_fields(excinfo) == {"salary_scales"}


@pytest.mark.parametrize("scales", ["", "LB;LC", "LB, , LC", "L B"])
def test_board_salary_scales_must_be_a_comma_separated_list(db, scales):
    with pytest.raises(ValidationError) as excinfo:
        Board(name="X", number="12345", salary_scales=scales).full_clean()
    assert error_fields(excinfo) == {"salary_scales"}


@pytest.mark.parametrize("minimum", ["0", "1.01"])
def test_board_minimum_fte_lies_between_0_and_1(db, minimum):
    with pytest.raises(ValidationError) as excinfo:
        Board(name="X", number="12345", min_ib_fte=D(minimum)).full_clean()
    assert error_fields(excinfo) == {"min_ib_fte"}


# ---------------------------------------------------------------------------------------------
# School
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("brin", ["21AZ", "00ZZ", "99AA"])
def test_valid_brin_is_accepted(cast, brin):
    school_save(school=School(board=cast.board_a, name="Nieuw", brin=brin, location_code="00"))


@pytest.mark.parametrize("brin", ["2AZ", "21A", "21A1", "AB21", "21AZ0", "2 AZ", ""])
def test_brin_must_be_two_digits_and_two_letters(cast, brin):
    with pytest.raises(ValidationError) as excinfo:
        school_save(school=School(board=cast.board_a, name="Nieuw", brin=brin))
    assert "brin" in error_fields(excinfo)


@pytest.mark.parametrize("code", ["0", "001", "0A", "AA"])
def test_location_code_must_be_two_digits(cast, code):
    with pytest.raises(ValidationError) as excinfo:
        school_save(school=School(board=cast.board_a, name="X", brin="21AZ", location_code=code))
    assert error_fields(excinfo) == {"location_code"}


def test_brin_with_same_location_code_is_refused(cast):
    copy = School(board=cast.board_b, name="Kopie", brin="11AA", location_code="00")
    with pytest.raises(ValidationError):
        school_save(school=copy)
    db_refuses(
        lambda: School.objects.create(board=cast.board_b, name="K", brin="11AA", location_code="00")
    )


def test_same_brin_with_other_location_code_is_a_location(cast):
    location = school_save(
        school=School(board=cast.board_a, name="Dependance", brin="11AA", location_code="01")
    )
    assert location.code == "11AA01"


def test_school_partnership_must_be_one_of_its_board(cast):
    other = f.PartnershipFactory()
    school = School(board=cast.board_a, name="X", brin="21AZ", partnership=other)
    with pytest.raises(ValidationError) as excinfo:
        school_save(school=school)
    assert error_fields(excinfo) == {"partnership"}


def test_school_save_sets_exactly_the_given_directors(cast):
    new_director = f.director(cast.school_a2)
    school_save(school=cast.school_a1, directors=[new_director])
    assert cast.school_a1.directors == [new_director]
    school_save(school=cast.school_a1, directors=[new_director, cast.director_a])
    assert set(cast.school_a1.directors) == {new_director, cast.director_a}
    school_save(school=cast.school_a1, directors=[])
    assert cast.school_a1.directors == []


def test_school_save_without_directors_keeps_them(cast):
    school_save(school=cast.school_a1)
    assert cast.school_a1.directors == [cast.director_a]


# ---------------------------------------------------------------------------------------------
# School years and figures
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "start_year"),
    [("2025-07-31", 2024), ("2025-08-01", 2025), ("2025-12-31", 2025), ("2026-01-01", 2025)],
)
def test_school_year_runs_from_1_august_to_31_july(date, start_year):
    assert SchoolYear.start_year_for(day(date)) == start_year


def test_school_year_dates():
    year = SchoolYear(start_year=2026)
    assert year.name == "2026-2027"
    assert (year.start_date, year.end_date) == (day("2026-08-01"), day("2027-07-31"))
    assert year.count_date == day("2026-10-01")


def test_figures_save_creates_school_year_when_needed(cast):
    assert not SchoolYear.objects.filter(start_year=2031).exists()
    figures = figures_save(school=cast.school_a1, start_year=2031, pupils=200, groups=8)
    assert figures.school_year.start_year == 2031
    assert (figures.pupils, figures.groups) == (200, 8)


def test_figures_save_updates_existing_figures(cast):
    start_year = cast.figures_a1.school_year.start_year
    figures_save(school=cast.school_a1, start_year=start_year, pupils=301, groups=12)
    assert SchoolFigures.objects.filter(school=cast.school_a1).count() == 1
    cast.figures_a1.refresh_from_db()
    assert (cast.figures_a1.pupils, cast.figures_a1.groups) == (301, 12)


def test_figures_are_unique_per_school_and_year(cast):
    db_refuses(
        lambda: SchoolFigures.objects.create(
            school=cast.school_a1, school_year=cast.figures_a1.school_year, pupils=1, groups=1
        )
    )


# ---------------------------------------------------------------------------------------------
# Memberships: roles are data, each with exactly one kind of scope
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.DIRECTOR, "board"),
        (Role.BOARD_STAFF, "school"),
        (Role.IB, "school"),
        (Role.IB, "partnership"),
        (Role.PARTNERSHIP_STAFF, "board"),
        (Role.BOARD_ADMIN, None),
    ],
)
def test_membership_scope_must_match_role_in_database(cast, role, scope):
    objects = {"board": cast.board_a, "school": cast.school_a1, "partnership": cast.partnership}
    kwargs = {scope: objects[scope]} if scope else {}
    db_refuses(lambda: Membership.objects.create(user=cast.staff_b, role=role, **kwargs))


def test_membership_with_two_scopes_is_refused_in_database(cast):
    db_refuses(
        lambda: Membership.objects.create(
            user=cast.staff_b, role=Role.IB, board=cast.board_a, school=cast.school_a1
        )
    )


@pytest.mark.parametrize(
    ("role", "field"),
    [(Role.DIRECTOR, "school"), (Role.IB, "board"), (Role.PARTNERSHIP_STAFF, "partnership")],
)
def test_membership_without_its_scope_is_invalid(cast, role, field):
    with pytest.raises(ValidationError) as excinfo:
        Membership(user=cast.staff_b, role=role).full_clean()
    assert field in error_fields(excinfo)


def test_membership_clean_drops_scopes_the_role_does_not_use(cast):
    membership = Membership(
        user=cast.staff_b, role=Role.DIRECTOR, school=cast.school_b1, board=cast.board_b
    )
    membership.full_clean()
    membership.save()
    assert membership.board is None


def test_membership_is_unique_per_user_role_and_scope(cast):
    db_refuses(lambda: Membership.objects.create(user=cast.ib_a, role=Role.IB, board=cast.board_a))


def test_scope_reads_every_role(cast):
    assert get_scope(cast.admin_a).staff_board_ids == {cast.board_a.pk}
    assert get_scope(cast.admin_a).admin_board_ids == {cast.board_a.pk}
    assert get_scope(cast.staff_a).admin_board_ids == frozenset()
    assert get_scope(cast.director_a).director_school_ids == {cast.school_a1.pk}
    assert get_scope(cast.ib_a).ib_board_ids == {cast.board_a.pk}
    assert get_scope(cast.partnership_staff).partnership_ids == {cast.partnership.pk}


# ---------------------------------------------------------------------------------------------
# Appointments: fields of the appointment itself
# ---------------------------------------------------------------------------------------------


def test_appointment_with_shares_is_saved(cast):
    ib = f.ib(cast.board_a)
    appointment = save(
        new_appointment(cast.board_a, ib), (cast.school_a1, "0.5"), (cast.school_a2, "0.3")
    )
    assert {(s.school, s.fte) for s in appointment.shares.all()} == {
        (cast.school_a1, D("0.5")),
        (cast.school_a2, D("0.3")),
    }
    assert appointment.total_fte == D("0.8")


@pytest.mark.parametrize("end", ["2025-08-01", "2025-07-31"])
def test_end_date_must_be_after_start_date(cast, end):
    with pytest.raises(ValidationError) as excinfo:
        save(new_appointment(cast.board_a, f.ib(cast.board_a), end=end), (cast.school_a2, "0.5"))
    assert error_fields(excinfo) == {"end_date"}


def test_end_date_after_start_date_in_database(cast):
    appointment = cast.appointment_a
    db_refuses(
        lambda: Appointment.objects.filter(pk=appointment.pk).update(
            end_date=appointment.start_date
        )
    )


def test_salary_scale_must_be_on_board_list(cast):
    appointment = new_appointment(cast.board_a, f.ib(cast.board_a), salary_scale="L12")
    with pytest.raises(ValidationError) as excinfo:
        save(appointment, (cast.school_a2, "0.5"))
    assert error_fields(excinfo) == {"salary_scale"}


def test_salary_scale_follows_board_list(cast):
    cast.board_a.salary_scales = "L10, L11"
    cast.board_a.save()
    save(
        new_appointment(cast.board_a, f.ib(cast.board_a), salary_scale="L11"),
        (cast.school_a2, "0.5"),
    )


def test_ib_must_be_ib_of_the_board(cast):
    with pytest.raises(ValidationError) as excinfo:
        save(new_appointment(cast.board_a, cast.ib_b), (cast.school_a2, "0.5"))
    assert error_fields(excinfo) == {"ib"}


def test_director_of_the_board_is_not_an_ib(cast):
    with pytest.raises(ValidationError) as excinfo:
        save(new_appointment(cast.board_a, cast.director_a), (cast.school_a2, "0.5"))
    assert error_fields(excinfo) == {"ib"}


# ---------------------------------------------------------------------------------------------
# Appointments: the shares
# ---------------------------------------------------------------------------------------------


def test_appointment_needs_at_least_one_share(cast):
    with pytest.raises(ValidationError):
        save(new_appointment(cast.board_a, f.ib(cast.board_a)))
    assert not Appointment.objects.filter(board=cast.board_a).exclude(pk=cast.appointment_a.pk)


def test_no_share_at_school_outside_the_board(cast):
    with pytest.raises(ValidationError):
        save(new_appointment(cast.board_a, f.ib(cast.board_a)), (cast.school_b1, "0.5"))
    assert not AppointmentShare.objects.filter(school=cast.school_b1).exclude(
        appointment=cast.appointment_b
    )


@pytest.mark.parametrize("fte", ["0", "-0.1", "1.01"])
def test_share_is_more_than_0_and_at_most_1(cast, fte):
    with pytest.raises(ValidationError):
        save(new_appointment(cast.board_a, f.ib(cast.board_a)), (cast.school_a2, fte))


@pytest.mark.parametrize("fte", ["0", "1.5"])
def test_share_fte_bounds_in_database(cast, fte):
    db_refuses(
        lambda: AppointmentShare.objects.create(
            appointment=cast.appointment_a, school=cast.school_a2, fte=D(fte)
        )
    )


def test_share_of_exactly_1_fte_is_allowed(cast):
    save(new_appointment(cast.board_a, f.ib(cast.board_a)), (cast.school_a2, "1"))


def test_duplicate_school_is_refused(cast):
    with pytest.raises(ValidationError):
        save(
            new_appointment(cast.board_a, f.ib(cast.board_a)),
            (cast.school_a2, "0.3"),
            (cast.school_a2, "0.3"),
        )
    db_refuses(
        lambda: AppointmentShare.objects.create(
            appointment=cast.appointment_a, school=cast.school_a1, fte=D("0.1")
        )
    )


def test_shares_of_one_appointment_add_up_to_at_most_1(cast):
    with pytest.raises(ValidationError):
        save(
            new_appointment(cast.board_a, f.ib(cast.board_a)),
            (cast.school_a1, "0.6"),
            (cast.school_a2, "0.6"),
        )


def test_saving_again_replaces_the_shares(cast):
    appointment = cast.appointment_a
    save(appointment, (cast.school_a2, "0.7"))
    assert [(s.school, s.fte) for s in appointment.shares.all()] == [(cast.school_a2, D("0.7"))]
    assert appointment.total_fte == D("0.7")


# ---------------------------------------------------------------------------------------------
# The IB's total fte over overlapping appointments never exceeds 1.0
# ---------------------------------------------------------------------------------------------


def test_ib_total_over_overlapping_appointments_may_reach_1(cast):
    # ib_a already works 0.8 at A1 from 1 August 2025, open-ended.
    save(new_appointment(cast.board_a, cast.ib_a, start="2026-01-01"), (cast.school_a2, "0.2"))


def test_ib_total_over_overlapping_appointments_may_not_exceed_1(cast):
    with pytest.raises(ValidationError):
        save(new_appointment(cast.board_a, cast.ib_a, start="2026-01-01"), (cast.school_a2, "0.3"))
    assert cast.ib_a.ib_appointments.count() == 1


def test_ib_total_counts_appointments_at_other_boards(cast):
    f.MembershipFactory(user=cast.ib_b, role=Role.IB, board=cast.board_a)
    # ib_b works 0.5 at board B; 0.6 at board A on top of that is too much.
    with pytest.raises(ValidationError):
        save(new_appointment(cast.board_a, cast.ib_b), (cast.school_a2, "0.6"))
    save(new_appointment(cast.board_a, cast.ib_b), (cast.school_a2, "0.5"))


def test_ib_total_counts_an_appointment_that_starts_later(cast):
    """A future appointment counts too: the new one overlaps it from its start."""
    ib = f.ib(cast.board_a)
    save(new_appointment(cast.board_a, ib, start="2027-08-01"), (cast.school_a1, "0.6"))
    with pytest.raises(ValidationError):
        save(new_appointment(cast.board_a, ib, start="2026-08-01"), (cast.school_a2, "0.6"))
    save(
        new_appointment(cast.board_a, ib, start="2026-08-01", end="2027-07-31"),
        (cast.school_a2, "0.6"),
    )


def test_ended_appointment_does_not_count_after_its_end(cast):
    appointment_end(appointment=cast.appointment_a, end_date=day("2026-07-31"))
    save(new_appointment(cast.board_a, cast.ib_a, start="2026-08-01"), (cast.school_a2, "1"))


def test_ended_appointment_still_counts_on_its_last_day(cast):
    appointment_end(appointment=cast.appointment_a, end_date=day("2026-07-31"))
    with pytest.raises(ValidationError):
        save(new_appointment(cast.board_a, cast.ib_a, start="2026-07-31"), (cast.school_a2, "1"))


def test_two_other_appointments_that_do_not_overlap_each_other_are_not_added(cast):
    """0.5 in the autumn and 0.5 in the spring, plus 0.5 all year: the peak is 1.0, not 1.5."""
    ib = f.ib(cast.board_a)
    save(
        new_appointment(cast.board_a, ib, start="2025-08-01", end="2025-12-31"),
        (cast.school_a1, "0.5"),
    )
    save(
        new_appointment(cast.board_a, ib, start="2026-01-01", end="2026-07-31"),
        (cast.school_a1, "0.5"),
    )
    save(
        new_appointment(cast.board_a, ib, start="2025-08-01", end="2026-07-31"),
        (cast.school_a2, "0.5"),
    )
    with pytest.raises(ValidationError):
        save(
            new_appointment(cast.board_a, ib, start="2025-09-01", end="2026-03-01"),
            (cast.school_a2, "0.1"),
        )


def test_editing_an_appointment_does_not_count_itself(cast):
    save(cast.appointment_a, (cast.school_a1, "1"))
    assert cast.appointment_a.total_fte == D("1")


def test_peak_total_fte_without_others_is_own_fte():
    assert peak_total_fte(own_fte=D("0.4"), start=day("2025-08-01"), end=None, others=[]) == D(
        "0.4"
    )


def test_peak_total_fte_of_others_that_do_not_overlap_each_other():
    others = [
        (day("2025-08-01"), day("2025-12-31"), D("0.5")),
        (day("2026-01-01"), day("2026-07-31"), D("0.5")),
    ]
    peak = peak_total_fte(
        own_fte=D("0.5"), start=day("2025-08-01"), end=day("2026-07-31"), others=others
    )
    assert peak == D("1.0")


def test_peak_total_fte_of_others_that_overlap_each_other():
    others = [
        (day("2025-08-01"), day("2026-02-28"), D("0.3")),
        (day("2026-02-01"), None, D("0.3")),
    ]
    peak = peak_total_fte(own_fte=D("0.3"), start=day("2025-10-01"), end=None, others=others)
    assert peak == D("0.9")


def test_peak_total_fte_counts_other_that_started_before():
    others = [(day("2024-08-01"), None, D("0.7"))]
    assert peak_total_fte(own_fte=D("0.4"), start=day("2025-08-01"), end=None, others=others) == D(
        "1.1"
    )


def test_peak_total_fte_ignores_other_that_starts_after_own_end():
    others = [(day("2026-08-01"), None, D("0.7"))]
    peak = peak_total_fte(
        own_fte=D("0.4"), start=day("2025-08-01"), end=day("2026-07-31"), others=others
    )
    assert peak == D("0.4")


def test_peak_total_fte_ignores_other_that_ended_before_own_start():
    others = [(day("2024-08-01"), day("2025-07-31"), D("0.7"))]
    assert peak_total_fte(own_fte=D("0.4"), start=day("2025-08-01"), end=None, others=others) == D(
        "0.4"
    )


# ---------------------------------------------------------------------------------------------
# Ending an appointment
# ---------------------------------------------------------------------------------------------


def test_appointment_end_sets_the_last_day(cast):
    appointment_end(appointment=cast.appointment_a, end_date=day("2026-07-31"))
    cast.appointment_a.refresh_from_db()
    assert cast.appointment_a.end_date == day("2026-07-31")
    assert not cast.appointment_a.is_active_on(day("2026-08-01"))
    assert cast.appointment_a.is_active_on(day("2026-07-31"))


def test_appointment_end_before_start_is_refused(cast):
    with pytest.raises(ValidationError) as excinfo:
        appointment_end(appointment=cast.appointment_a, end_date=day("2025-07-31"))
    assert error_fields(excinfo) == {"end_date"}
    cast.appointment_a.refresh_from_db()
    assert cast.appointment_a.end_date is None


def test_appointment_end_works_after_board_renamed_its_scales(cast):
    """The CAO renames scales; an old appointment in a dropped scale can still be ended."""
    cast.board_a.salary_scales = "L10, L11"
    cast.board_a.save()
    appointment = Appointment.objects.get(pk=cast.appointment_a.pk)
    appointment_end(appointment=appointment, end_date=day("2026-07-31"))
    appointment.refresh_from_db()
    assert appointment.end_date == day("2026-07-31")


def test_appointment_end_works_after_ib_left_the_board(cast):
    Membership.objects.filter(user=cast.ib_a, role=Role.IB).delete()
    appointment = Appointment.objects.get(pk=cast.appointment_a.pk)
    appointment_end(appointment=appointment, end_date=day("2026-07-31"))
    appointment.refresh_from_db()
    assert appointment.end_date == day("2026-07-31")


def test_moving_the_end_date_later_may_not_exceed_1_fte(cast):
    """Ending on a later date lengthens the appointment: the 1 fte rule still holds."""
    appointment_end(appointment=cast.appointment_a, end_date=day("2026-07-31"))
    save(new_appointment(cast.board_a, cast.ib_a, start="2026-08-01"), (cast.school_a2, "0.5"))
    with pytest.raises(ValidationError):
        appointment_end(appointment=cast.appointment_a, end_date=day("2027-07-31"))
    cast.appointment_a.refresh_from_db()
    assert cast.appointment_a.end_date == day("2026-07-31")


# ---------------------------------------------------------------------------------------------
# Below the board's minimum: allowed, but flagged
# ---------------------------------------------------------------------------------------------


def test_appointment_below_minimum_is_allowed_and_flagged(cast):
    appointment = save(new_appointment(cast.board_a, f.ib(cast.board_a)), (cast.school_a2, "0.4"))
    assert appointment.is_below_minimum


def test_appointment_at_minimum_is_not_flagged(cast):
    appointment = save(new_appointment(cast.board_a, f.ib(cast.board_a)), (cast.school_a2, "0.6"))
    assert not appointment.is_below_minimum


def test_minimum_counts_all_shares_together(cast):
    appointment = save(
        new_appointment(cast.board_a, f.ib(cast.board_a)),
        (cast.school_a1, "0.1"),
        (cast.school_a2, "0.5"),
    )
    assert not appointment.is_below_minimum


def test_board_without_minimum_never_flags(cast):
    cast.board_a.min_ib_fte = None
    cast.board_a.save()
    appointment = save(new_appointment(cast.board_a, f.ib(cast.board_a)), (cast.school_a2, "0.1"))
    assert not appointment.is_below_minimum


# ---------------------------------------------------------------------------------------------
# Personnel responsibility (seed 000): shares summed per director; a tie needs the board's choice
# ---------------------------------------------------------------------------------------------


def reload(appointment: Appointment) -> Appointment:
    return Appointment.objects.with_details().get(pk=appointment.pk)


def test_personnel_director_leads_the_school_with_the_largest_share(cast):
    director_2 = f.director(cast.school_a2)
    appointment = save(
        new_appointment(cast.board_a, f.ib(cast.board_a)),
        (cast.school_a1, "0.3"),
        (cast.school_a2, "0.5"),
    )
    assert reload(appointment).personnel_directors == [director_2]
    assert reload(appointment).personnel.status == "largest"


def test_two_schools_of_one_director_beat_a_single_larger_school(cast):
    """Seed 000: "binnen wiens formatie" - 0.3 + 0.2 at one director's schools beats 0.4."""
    school_a3 = f.SchoolFactory(board=cast.board_a)
    cast.director_a.memberships.create(role=Role.DIRECTOR, school=school_a3)
    director_2 = f.director(cast.school_a2)
    appointment = save(
        new_appointment(cast.board_a, f.ib(cast.board_a)),
        (cast.school_a1, "0.3"),
        (cast.school_a2, "0.4"),
        (school_a3, "0.2"),
    )
    personnel = reload(appointment).personnel
    assert personnel.directors == (cast.director_a,)
    assert personnel.result.fte == Decimal("0.5")
    assert set(personnel.result.schools) == {cast.school_a1, school_a3}
    assert [row.directors for row in personnel.formations] == [(cast.director_a,), (director_2,)]


def test_equal_shares_at_two_schools_of_one_director_are_no_tie(cast):
    school_a3 = f.SchoolFactory(board=cast.board_a)
    cast.director_a.memberships.create(role=Role.DIRECTOR, school=school_a3)
    appointment = save(
        new_appointment(cast.board_a, f.ib(cast.board_a)),
        (cast.school_a1, "0.3"),
        (school_a3, "0.3"),
    )
    appointment.refresh_from_db()
    assert appointment.lead_school is None
    assert reload(appointment).personnel_directors == [cast.director_a]


def test_tie_between_directors_without_leading_school_is_refused(cast):
    f.director(cast.school_a2)
    with pytest.raises(ValidationError) as excinfo:
        save(
            new_appointment(cast.board_a, f.ib(cast.board_a)),
            (cast.school_a1, "0.4"),
            (cast.school_a2, "0.4"),
        )
    assert error_fields(excinfo) == {"lead_school"}


def test_tie_of_summed_formations_is_refused(cast):
    """0.2 + 0.2 at one director's schools against 0.4 at another's: a tie to choose."""
    school_a3 = f.SchoolFactory(board=cast.board_a)
    cast.director_a.memberships.create(role=Role.DIRECTOR, school=school_a3)
    f.director(cast.school_a2)
    with pytest.raises(ValidationError) as excinfo:
        save(
            new_appointment(cast.board_a, f.ib(cast.board_a)),
            (cast.school_a1, "0.2"),
            (school_a3, "0.2"),
            (cast.school_a2, "0.4"),
        )
    assert error_fields(excinfo) == {"lead_school"}


def test_tie_with_leading_school_outside_the_tie_is_refused(cast):
    f.director(cast.school_a2)
    school_a3 = f.SchoolFactory(board=cast.board_a)
    f.director(school_a3)
    appointment = new_appointment(cast.board_a, f.ib(cast.board_a), lead_school=school_a3)
    with pytest.raises(ValidationError) as excinfo:
        save(appointment, (cast.school_a1, "0.4"), (cast.school_a2, "0.4"), (school_a3, "0.1"))
    assert error_fields(excinfo) == {"lead_school"}


def test_tie_with_leading_school_makes_its_director_responsible(cast):
    director_2 = f.director(cast.school_a2)
    appointment = new_appointment(cast.board_a, f.ib(cast.board_a), lead_school=cast.school_a2)
    save(appointment, (cast.school_a1, "0.4"), (cast.school_a2, "0.4"))
    appointment = reload(appointment)
    assert appointment.personnel_directors == [director_2]
    assert appointment.personnel.status == "chosen"
    assert appointment.lead_school == cast.school_a2


def test_tie_arising_later_is_to_be_chosen(cast):
    """A director registered after the appointment was saved can make a tie: no one decides
    until the board chooses."""
    appointment = save(
        new_appointment(cast.board_a, f.ib(cast.board_a)),
        (cast.school_a1, "0.4"),
        (cast.school_a2, "0.4"),
    )
    assert reload(appointment).personnel_directors == [cast.director_a]
    f.director(cast.school_a2)
    appointment = reload(appointment)
    assert appointment.personnel.to_choose
    assert appointment.personnel_directors == []
    assert len(appointment.personnel.tied) == 2


def test_leading_school_is_cleared_when_there_is_no_tie(cast):
    appointment = new_appointment(cast.board_a, f.ib(cast.board_a), lead_school=cast.school_a2)
    save(appointment, (cast.school_a1, "0.5"), (cast.school_a2, "0.3"))
    appointment.refresh_from_db()
    assert appointment.lead_school is None
    assert reload(appointment).personnel_directors == [cast.director_a]


def test_co_directors_of_the_same_school_share_the_responsibility(cast):
    co_director = f.director(cast.school_a1)
    appointment = reload(cast.appointment_a)
    assert appointment.personnel.status == "largest"
    assert set(appointment.personnel_directors) == {cast.director_a, co_director}


def test_appointment_without_a_director_has_no_personnel_director(cast):
    appointment = save(new_appointment(cast.board_a, f.ib(cast.board_a)), (cast.school_a2, "0.6"))
    appointment = reload(appointment)
    assert appointment.personnel.status == "no_director"
    assert appointment.personnel_directors == []
    assert appointment.personnel.unled == ((cast.school_a2, Decimal("0.6000")),)


def test_appointment_without_shares_has_no_personnel_director(cast):
    appointment = Appointment.objects.create(
        board=cast.board_a, ib=cast.ib_a, salary_scale="LB", start_date=AUG_2025
    )
    assert appointment.personnel.status == "no_shares"
    assert appointment.personnel_directors == []


# ---------------------------------------------------------------------------------------------
# Querysets used by the pages
# ---------------------------------------------------------------------------------------------


def test_active_on_counts_start_and_end_day(cast):
    appointment_end(appointment=cast.appointment_a, end_date=day("2026-07-31"))
    active = Appointment.objects.filter(board=cast.board_a).active_on
    assert active(day("2025-08-01")).exists()
    assert active(day("2026-07-31")).exists()
    assert not active(day("2025-07-31")).exists()
    assert not active(day("2026-08-01")).exists()


def test_ib_fte_by_school_sums_active_shares(cast):
    other = f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a1, D("0.1"))])
    appointment_end(appointment=other, end_date=day("2025-12-31"))
    schools = [cast.school_a1.pk, cast.school_a2.pk]
    assert ib_fte_by_school(cast.staff_a, schools, day("2025-10-01")) == {
        cast.school_a1.pk: D("0.9")
    }
    assert ib_fte_by_school(cast.staff_a, [cast.school_a1.pk], day("2026-01-01")) == {
        cast.school_a1.pk: D("0.8")
    }
