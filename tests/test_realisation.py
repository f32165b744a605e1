"""Realisation (issue #14): the board's moments, who records when, the sheet, the figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.versioning import StaleEdit
from schools.forms import BoardPolicyForm
from schools.models import Board, date_in_school_year
from tasks import realisation as rs
from tasks.models import Domain, Moment, Package, Realisation, RealisationLine
from tasks.packages import (
    current_version,
    item_add,
    item_remove,
    package_reopen,
    package_review,
    package_submit,
)

from . import factories as f
from .conftest import add_package_a

H = Decimal
MID, END = Moment.MID, Moment.END


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def lv(package: Package) -> dict:
    return {
        "lock_version": Package.objects.values_list("lock_version", flat=True).get(pk=package.pk)
    }


def agree(package: Package, director, ib) -> None:
    package_submit(package=package, actor=director, **lv(package))
    package_review(package=package, actor=ib, accept=True, **lv(package))


@pytest.fixture
def agreed(cast) -> Package:
    """package_a agreed, with task_a (40 h) and an own task (10 h); the board's mid-year
    moment on 1 August, so that it is open on any day of the current school year."""
    package = add_package_a(cast)
    item_add(
        package=package,
        actor=cast.director_a,
        hours=H("10"),
        title="Eigen project",
        domain=Domain.objects.get(code="data"),
        **lv(package),
    )
    agree(package, cast.director_a, cast.ib_a)
    cast.board_a.realisation_mid_year = "1-8"
    cast.board_a.save()
    return Package.objects.with_details().get(pk=package.pk)


def keys(package: Package) -> dict[str, str]:
    """{title: key} of the agreed version's tasks."""
    return {item.title: item.key for item in current_version(package).items.all()}


def save(package, actor, values, *, moment=MID, today=None, lock=None):
    return rs.realisation_save(
        package=package,
        moment=moment,
        actor=actor,
        lock_version=lock,
        values={
            key: rs.LineValues(H(h) if h is not None else None, note)
            for key, (h, note) in values.items()
        },
        today=today or timezone.localdate(),
    )


def year_day(package: Package, month: int, day: int) -> datetime.date:
    return date_in_school_year(f"{day}-{month}", package.school_year.start_year)


# ---------------------------------------------------------------------------------------------
# the board's moments
# ---------------------------------------------------------------------------------------------


def test_board_moments_default_to_1_february_and_1_july():
    board = Board(name="B", number="12345")
    assert board.realisation_dates(2026) == {
        "mid": datetime.date(2027, 2, 1),
        "end": datetime.date(2027, 7, 1),
    }


def test_a_moment_in_autumn_falls_in_the_first_calendar_year():
    assert date_in_school_year("1-12", 2026) == datetime.date(2026, 12, 1)


def policy_form(board, mid: str, end: str) -> BoardPolicyForm:
    data = {
        "name": "Bestuur A",
        "hours_per_fte": "1659",
        "reserved_hours_per_fte": "0",
        "min_ib_fte": "0,6",
        "salary_scales": "LB",
        **f.BOARD_NORM_POST,
        "realisation_mid_year": mid,
        "realisation_year_end": end,
        "lock_version": str(board.lock_version),
    }
    return BoardPolicyForm(data, instance=board)


@pytest.mark.parametrize(
    ("mid", "end", "field"),
    [
        ("31-2", "1-7", "realisation_mid_year"),  # no such day
        ("29-2", "1-7", "realisation_mid_year"),  # not in every year
        ("1-7", "1-2", "realisation_year_end"),  # year end before mid-year
        ("februari", "1-7", "realisation_mid_year"),
    ],
)
def test_policy_form_refuses_moments_that_do_not_work(cast, mid, end, field):
    form = policy_form(cast.board_a, mid, end)
    assert not form.is_valid()
    assert field in form.errors


def test_board_staff_choose_the_moments_on_the_policy_form(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("schools:board-edit", args=[cast.board_a.pk]),
        {
            "name": "Bestuur A",
            "hours_per_fte": "1659",
            "reserved_hours_per_fte": "0",
            "min_ib_fte": "0,6",
            "salary_scales": "LB",
            **f.BOARD_NORM_POST,
            "realisation_mid_year": "15-01",
            "realisation_year_end": "20-6",
            "lock_version": str(cast.board_a.lock_version),
        },
    )
    assert response.status_code == 302
    cast.board_a.refresh_from_db()
    assert (cast.board_a.realisation_mid_year, cast.board_a.realisation_year_end) == (
        "15-1",
        "20-6",
    )


# ---------------------------------------------------------------------------------------------
# who records when
# ---------------------------------------------------------------------------------------------


def test_the_ib_records_realised_hours_and_notes(cast, agreed):
    k = keys(agreed)
    changed = save(
        agreed, cast.ib_a, {k["Groepsbesprekingen voeren"]: ("22,5".replace(",", "."), "Veel")}
    )
    assert changed == 1
    line = RealisationLine.objects.get()
    assert (line.hours, line.note, line.title) == (H("22.5"), "Veel", "Groepsbesprekingen voeren")
    assert line.realisation.recorded_by == cast.ib_a


def test_zero_is_an_answer_and_empty_removes_the_record(cast, agreed):
    key = keys(agreed)["Eigen project"]
    save(agreed, cast.ib_a, {key: ("0", "Niet aan toegekomen")})
    assert RealisationLine.objects.get().hours == 0
    realisation = Realisation.objects.get()
    save(agreed, cast.ib_a, {key: (None, "")}, lock=realisation.lock_version)
    assert not RealisationLine.objects.exists()


def test_a_note_needs_hours(cast, agreed):
    with pytest.raises(ValidationError):
        save(agreed, cast.ib_a, {keys(agreed)["Eigen project"]: (None, "Alleen een notitie")})
    assert not Realisation.objects.exists()


@pytest.mark.parametrize("who", ["director_a", "staff_a", "ib_b"])
def test_only_the_ib_of_the_package_records(cast, agreed, who):
    with pytest.raises(PermissionDenied):
        save(agreed, cast.user(who), {keys(agreed)["Eigen project"]: ("4", "")})
    assert not Realisation.objects.exists()


def test_nothing_is_recorded_before_the_package_is_agreed(cast):
    package = add_package_a(cast)
    cast.board_a.realisation_mid_year = "1-8"
    cast.board_a.save()
    with pytest.raises(ValidationError):
        save(package, cast.ib_a, {})


def test_a_moment_opens_on_its_date_and_closes_on_31_october_after_the_year(cast, agreed):
    key = keys(agreed)["Eigen project"]
    cast.board_a.realisation_mid_year = "1-2"
    cast.board_a.save()
    agreed = Package.objects.with_details().get(pk=agreed.pk)
    with pytest.raises(ValidationError):
        save(agreed, cast.ib_a, {key: ("4", "")}, today=year_day(agreed, 1, 31))
    save(agreed, cast.ib_a, {key: ("4", "")}, today=year_day(agreed, 2, 1))
    last_day = datetime.date(agreed.school_year.start_year + 1, 10, 31)
    lock = Realisation.objects.get().lock_version
    save(agreed, cast.ib_a, {key: ("5", "")}, today=last_day, lock=lock)
    with pytest.raises(ValidationError):
        save(
            agreed,
            cast.ib_a,
            {key: ("6", "")},
            today=last_day + datetime.timedelta(days=1),
            lock=lock + 1,
        )
    assert RealisationLine.objects.get().hours == H("5")


def test_a_stale_sheet_is_refused_and_writes_nothing(cast, agreed):
    key = keys(agreed)["Eigen project"]
    save(agreed, cast.ib_a, {key: ("4", "")})  # someone's first save: the page said "none"
    with pytest.raises(StaleEdit), transaction.atomic():
        save(agreed, cast.ib_a, {key: ("8", "")}, lock=None)
    realisation = Realisation.objects.get()
    with pytest.raises(StaleEdit):
        save(agreed, cast.ib_a, {key: ("9", "")}, lock=realisation.lock_version - 1)
    assert RealisationLine.objects.get().hours == H("4")


def test_a_reagreed_package_keeps_its_records_and_a_removed_task_stays_visible(cast, agreed):
    k = keys(agreed)
    save(
        agreed,
        cast.ib_a,
        {k["Groepsbesprekingen voeren"]: ("20", ""), k["Eigen project"]: ("5", "")},
    )
    package_reopen(package=agreed, actor=cast.director_a, **lv(agreed))
    own = current_version(agreed).items.get(title="Eigen project")
    item_remove(item=own, actor=cast.director_a, **lv(agreed))
    agree(agreed, cast.director_a, cast.ib_a)
    package = Package.objects.with_details().get(pk=agreed.pk)
    items = list(current_version(package).items.all())
    lines = RealisationLine.objects.select_related("realisation")
    comparison = rs.compare(package, items, lines, list(Domain.objects.all()))
    rows = {row.title: row for block in comparison.domains for row in block.rows}
    assert rows["Groepsbesprekingen voeren"].in_package
    assert rows["Groepsbesprekingen voeren"].figures.realised == {MID: H("20")}
    assert not rows["Eigen project"].in_package
    assert rows["Eigen project"].figures.realised == {MID: H("5")}


# ---------------------------------------------------------------------------------------------
# planned against realised
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "realised", "far"),
    [
        ("40", "50", False),  # 25% exactly: not more
        ("40", "50.1", True),
        ("10", "15", False),  # 50%, but 5 hours exactly
        ("10", "15.1", True),
        ("100", "74.9", True),
        ("100", "76", False),
        ("4", "0", False),  # all of it, but only 4 hours
    ],
)
def test_far_off_means_more_than_25_percent_and_more_than_5_hours(expected, realised, far):
    assert rs.is_far_off(H(expected), H(realised)) is far


def test_the_figures_per_task_and_domain_at_the_latest_moment(cast, agreed):
    k = keys(agreed)
    cast.board_a.realisation_mid_year = "1-2"
    cast.board_a.save()
    package = Package.objects.with_details().get(pk=agreed.pk)
    mid_day = year_day(package, 2, 1)
    save(package, cast.ib_a, {k["Groepsbesprekingen voeren"]: ("30", "Meer")}, today=mid_day)
    share = rs.expected_share(package, MID)
    assert share == H("0.50")  # 184 of 365 days
    items = list(current_version(package).items.all())
    domains = list(Domain.objects.all())
    lines = list(RealisationLine.objects.select_related("realisation"))
    comparison = rs.compare(package, items, lines, domains)
    assert comparison.latest == MID
    rows = {row.title: row for block in comparison.domains for row in block.rows}
    task = rows["Groepsbesprekingen voeren"].figures
    assert (task.planned, task.expected, task.latest, task.difference) == (
        H("40"),
        H("20.0"),
        H("30"),
        H("10.0"),
    )
    assert task.far_off
    own = rows["Eigen project"].figures
    assert own.latest is None and not own.far_off  # not recorded: no difference
    # The total counts the plan due of the recorded tasks only.
    assert (comparison.total.planned, comparison.total.expected, comparison.total.latest) == (
        H("50"),
        H("20.0"),
        H("30"),
    )
    # At the year end the whole plan is due.
    save(
        package,
        cast.ib_a,
        {k["Groepsbesprekingen voeren"]: ("42", ""), k["Eigen project"]: ("2", "")},
        moment=END,
        today=year_day(package, 7, 1),
    )
    lines = list(RealisationLine.objects.select_related("realisation"))
    comparison = rs.compare(package, items, lines, domains)
    assert comparison.latest == END
    rows = {row.title: row for block in comparison.domains for row in block.rows}
    assert rows["Groepsbesprekingen voeren"].figures.by_moment() == [H("30"), H("42")]
    assert not rows["Groepsbesprekingen voeren"].figures.far_off
    assert rows["Eigen project"].figures.far_off  # 2 of 10: -8 hours, -80%
    data = next(block for block in comparison.domains if block.domain.code == "data")
    assert (data.figures.planned, data.figures.latest) == (H("10"), H("2"))


# ---------------------------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------------------------


def page(package: Package, moment=MID) -> str:
    return reverse("tasks:package-realisation", args=[package.pk, moment])


def save_url(package: Package, moment=MID) -> str:
    return reverse("tasks:realisation-save", args=[package.pk, moment])


def rows_post(package: Package, values: dict[str, tuple[str, str]], lock: str = "") -> dict:
    items = {item.title: item for item in current_version(package).items.all()}
    data = {"lock_version": lock}
    for title, (hours, note) in values.items():
        data[f"realised_{items[title].pk}"] = hours
        data[f"rnote_{items[title].pk}"] = note
    return data


def test_the_ib_saves_the_sheet_with_dutch_decimals(client, cast, agreed):
    client.force_login(cast.ib_a)
    response = client.get(page(agreed))
    assert response.context["recording"]
    response = client.post(
        save_url(agreed),
        rows_post(
            agreed, {"Groepsbesprekingen voeren": ("12,5", "Schatting"), "Eigen project": ("", "")}
        ),
    )
    assert response.status_code == 302
    assert RealisationLine.objects.get().hours == H("12.5")
    response = client.get(page(agreed))
    assert 'value="12,5"' in response.content.decode()


def test_a_refused_sheet_keeps_what_was_typed_with_the_error_at_the_task(client, cast, agreed):
    client.force_login(cast.ib_a)
    response = client.post(
        save_url(agreed),
        rows_post(
            agreed, {"Groepsbesprekingen voeren": ("12,55", ""), "Eigen project": ("7,5", "")}
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="12,55"' in html and 'value="7,5"' in html
    assert nl("Give hours with at most one decimal.") in html
    assert not Realisation.objects.exists()


def test_a_stale_sheet_shows_the_saved_values_beside_the_input(client, cast, agreed):
    save(agreed, cast.ib_a, {keys(agreed)["Eigen project"]: ("4", "")})
    client.force_login(cast.ib_a)
    response = client.post(save_url(agreed), rows_post(agreed, {"Eigen project": ("9", "")}))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="9"' in html and nl("not saved") in html
    assert RealisationLine.objects.get().hours == H("4")
    # The form now carries the current version: saving again is a deliberate choice.
    assert response.context["form"].data["lock_version"] == str(
        Realisation.objects.get().lock_version
    )


@pytest.mark.parametrize("who", ["director_a", "staff_a"])
def test_director_and_board_staff_read_without_inputs(client, cast, agreed, who):
    save(agreed, cast.ib_a, {keys(agreed)["Eigen project"]: ("4", "Bijna niets")})
    client.force_login(cast.user(who))
    response = client.get(page(agreed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bijna niets" in html and 'name="realised_' not in html
    assert client.post(save_url(agreed), {}).status_code == 403


def test_an_unknown_moment_is_404(client, cast, agreed):
    client.force_login(cast.ib_a)
    assert (
        client.get(reverse("tasks:package-realisation", args=[agreed.pk, "zomer"])).status_code
        == 404
    )


def test_the_package_page_shows_planned_against_realised(client, cast, agreed):
    save(agreed, cast.ib_a, {keys(agreed)["Groepsbesprekingen voeren"]: ("35", "Veel extra")})
    client.force_login(cast.director_a)
    response = client.get(reverse("tasks:package-detail", args=[agreed.pk]))
    comparison = response.context["realisation"]
    assert comparison.latest == MID
    html = response.content.decode()
    assert nl("Planned against realised") in html and "Veel extra" in html


def test_hours_have_one_decimal_throughout_the_realisation(client, cast, agreed):
    """43,6 beside 4,0, never beside 4: on the package page, the realisation sheet (read by the
    director) and the evaluation's table per domain (both use the same cells)."""
    save(
        agreed,
        cast.ib_a,
        {
            keys(agreed)["Groepsbesprekingen voeren"]: ("43.6", ""),
            keys(agreed)["Eigen project"]: ("4", ""),
        },
    )
    client.force_login(cast.director_a)
    html = client.get(reverse("tasks:package-detail", args=[agreed.pk])).content.decode()
    start = html.index('id="realisation-heading"')
    section = html[start : html.index("</section>", start)]
    assert ">43,6<" in section and ">4,0<" in section and ">40,0<" in section
    assert ">4<" not in section and ">40<" not in section
    sheet = client.get(page(agreed)).content.decode()
    start = sheet.index("realisation-sheet")
    table = sheet[start : sheet.index("</table>", start)]
    assert ">43,6<" in table and ">4,0<" in table and ">10,0<" in table
    assert ">4<" not in table and ">10<" not in table


def test_a_draft_package_page_has_no_realisation(client, cast):
    package = add_package_a(cast)
    client.force_login(cast.director_a)
    response = client.get(reverse("tasks:package-detail", args=[package.pk]))
    assert "realisation" not in response.context


@pytest.mark.parametrize("size", [1, 15])
def test_package_page_query_count_with_realisation(
    client, cast, agreed, django_assert_num_queries, size
):
    """An agreed package with realisation at both moments costs the same for 1 or 15 tasks."""
    package = Package.objects.get(pk=agreed.pk)
    package_reopen(package=package, actor=cast.director_a, **lv(package))
    for n in range(size):
        item_add(
            package=package,
            actor=cast.director_a,
            hours=H("8"),
            title=f"Taak {n}",
            domain=Domain.objects.get(code="leren"),
            **lv(package),
        )
    agree(package, cast.director_a, cast.ib_a)
    package = Package.objects.with_details().get(pk=package.pk)
    values = {key: ("3", "") for key in keys(package).values()}
    save(package, cast.ib_a, values, today=year_day(package, 8, 2))
    save(package, cast.ib_a, values, moment=END, today=year_day(package, 7, 2))
    client.force_login(cast.director_a)
    url = reverse("tasks:package-detail", args=[package.pk])
    with django_assert_num_queries(
        3  # the session, the user, the user's memberships
        + 1  # the package with share, school, board, appointment, IB and school year
        + 1  # its versions
        + 1  # the items of the version shown
        + 1  # the LBBO domains
        + 1  # the werkplan: goals with their development point and tasks
        + 1  # the cells its catalogue tasks ask (task_a's; the board has no framework)
        + 1  # realisation: every recorded line of the package, with its moment
        + 1  # the IB's own hours on the appointment, part of the budget
    ):
        response = client.get(url)
    assert len(response.context["realisation"].total.by_moment()) == 2
    # Reading an earlier version: the agreed version's tasks cost one query more.
    with django_assert_num_queries(3 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1):  # + the werkplan
        client.get(url + "?versie=1")


# ---------------------------------------------------------------------------------------------
# the demo, seeded on different days
# ---------------------------------------------------------------------------------------------


def seed_on(monkeypatch, day: datetime.date) -> None:
    from django.core.management import call_command

    monkeypatch.setattr(timezone, "localdate", lambda *args: day)
    call_command("seed_demo", verbosity=0)


def moments_of(brin: str, start_year: int) -> set[str]:
    return set(
        Realisation.objects.filter(
            package__share__school__brin=brin, package__school_year__start_year=start_year
        ).values_list("moment", flat=True)
    )


def test_the_demo_on_5_december_2026(db, monkeypatch):
    seed_on(monkeypatch, datetime.date(2026, 12, 5))
    # Last year: both moments of every agreed package, some tasks far off the plan.
    assert moments_of("11AA", 2025) == {MID, END}
    assert moments_of("22BA", 2025) == {MID, END}
    package = Package.objects.with_details().get(
        share__school__brin="11AA", school_year__start_year=2025
    )
    items = list(current_version(package).items.all())
    lines = RealisationLine.objects.filter(realisation__package=package).select_related(
        "realisation"
    )
    comparison = rs.compare(package, items, lines, list(Domain.objects.all()))
    assert len(comparison.far_off_rows) == 2
    # This year: board B's mid-year moment (1 December) has passed, board A's (1 February) not.
    assert moments_of("22BA", 2026) == {MID}
    assert moments_of("11AA", 2026) == set()
    # Seeding again adds nothing.
    count = RealisationLine.objects.count()
    seed_on(monkeypatch, datetime.date(2026, 12, 5))
    assert RealisationLine.objects.count() == count


def test_the_demo_seeded_before_any_moment_has_no_realisation(db, monkeypatch):
    seed_on(monkeypatch, datetime.date(2025, 11, 1))
    assert not Realisation.objects.exists()


@pytest.mark.parametrize("value", ["abc", "1/7"])
def test_a_moment_not_written_as_day_month_gets_only_the_format_message(cast, value):
    form = policy_form(cast.board_a, "1-2", value)
    assert not form.is_valid()
    assert len(form.errors["realisation_year_end"]) == 1
    assert "dag-maand" in form.errors["realisation_year_end"][0]


def test_a_moment_moved_across_today_is_explained():
    from schools.views import moment_change_notices

    before = {"mid": datetime.date(2027, 2, 1), "end": datetime.date(2027, 7, 1)}
    today = datetime.date(2027, 3, 1)
    with translation.override("nl"):
        # The year end brought forward into the past: due at once.
        (notice,) = moment_change_notices(
            before, {**before, "end": datetime.date(2027, 2, 20)}, today
        )
        assert "20 februari 2027" in notice and "vanaf vandaag" in notice
        # The mid-year moment moved past today: asked again from its new date.
        (notice,) = moment_change_notices(
            before, {**before, "mid": datetime.date(2027, 4, 1)}, today
        )
        assert "1 april 2027" in notice
    # A change that stays on one side of today needs no word.
    assert moment_change_notices(before, {**before, "end": datetime.date(2027, 6, 1)}, today) == []
    assert moment_change_notices(before, before, today) == []
