"""The school's task division (issue 16): the matrix, the IB's package as its column, the
signals, the print and export, and what each role may do."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tasks import division as dv
from tasks.models import (
    DivisionAssignment,
    HolderRole,
    Package,
    PackageEvent,
    PackageItem,
    RoleHolder,
    TaskDivision,
)
from tasks.packages import package_review, package_submit

from . import factories as f


@pytest.fixture
def world(cast, package_a):
    """package_a (task_a 40 h for ib_a) and a division of A1 with a maths coordinator."""
    cast.division = dv.division_create(
        school=cast.school_a1, school_year=package_a.school_year, actor=cast.director_a
    )
    cast.maths = RoleHolder.objects.create(
        division=cast.division, role=HolderRole.MATHS, name="Mirjam", hours=Decimal("60")
    )
    return cast


def matrix_of(c) -> dv.Matrix:
    obj = TaskDivision.objects.get(pk=c.division.pk)
    return dv.build_matrix(obj.school, obj.school_year, obj)


def page_url(c) -> str:
    return reverse("tasks:division", args=[c.school_a1.pk, c.division.school_year.start_year])


def save_post(c, cells: dict[tuple, str]) -> dict:
    """The matrix form as a fresh page posts it, with ``cells`` changed: (task, column)."""
    matrix = matrix_of(c)
    data = {"lock_version": str(matrix.division.lock_version)}
    for column in matrix.columns:
        if column.is_ib:
            data[f"pkg_{column.package.pk}"] = str(column.package.lock_version)
    for row in matrix.rows:
        for column in matrix.columns:
            saved = row.cells.get(column.key)
            data[dv.cell_field(row, column)] = "" if saved is None else str(saved)
    for (task, column_key), value in cells.items():
        row = next(r for r in matrix.rows if r.task == task)
        data[dv.cell_field(row, matrix.column(column_key))] = value
    return data


def ib_key(c) -> str:
    return f"p{c.package_a.pk}"


def test_new_division_starts_with_director_and_teachers(world):
    roles = list(world.division.holders.values_list("role", flat=True))
    assert roles[:2] == [HolderRole.DIRECTOR, HolderRole.TEACHERS]


def test_the_ib_column_is_the_package(world):
    matrix = matrix_of(world)
    ib = matrix.column(ib_key(world))
    assert ib.is_ib and ib.total == Decimal("40")
    row = next(r for r in matrix.rows if r.task == world.task_a)
    assert row.cells == {ib_key(world): Decimal("40")}


def test_director_assigns_a_task_to_the_ib_and_the_package_follows(world, client):
    task = f.CatalogueTaskFactory(board=world.board_a, title="Trendanalyse rekenen")
    client.force_login(world.director_a)
    response = client.post(
        reverse("tasks:division-save", args=[world.division.pk]),
        save_post(world, {(task, ib_key(world)): "12,5"}),
    )
    assert response.status_code == 302
    item = PackageItem.objects.get(version__package=world.package_a, task=task)
    assert item.hours == Decimal("12.5")
    assert PackageEvent.objects.filter(
        package=world.package_a, kind=PackageEvent.Kind.ITEM_ADDED, detail__contains="Trend"
    ).exists()


def test_moving_a_task_from_the_ib_to_a_coordinator_leaves_the_package_with_history(world, client):
    client.force_login(world.director_a)
    response = client.post(
        reverse("tasks:division-save", args=[world.division.pk]),
        save_post(
            world, {(world.task_a, ib_key(world)): "", (world.task_a, f"h{world.maths.pk}"): "30"}
        ),
    )
    assert response.status_code == 302
    assert not PackageItem.objects.filter(version__package=world.package_a).exists()
    event = PackageEvent.objects.get(package=world.package_a, kind=PackageEvent.Kind.ITEM_REMOVED)
    assert "Rekencoördinator" in event.detail or "Maths coordinator" in event.detail
    assignment = DivisionAssignment.objects.get(holder=world.maths)
    assert (assignment.task, assignment.hours) == (world.task_a, Decimal("30"))


def test_an_agreed_package_is_not_changed_from_the_division(world, client):
    lock = lambda: Package.objects.get(pk=world.package_a.pk).lock_version  # noqa: E731
    package_submit(package=world.package_a, actor=world.director_a, lock_version=lock())
    package_review(package=world.package_a, actor=world.ib_a, accept=True, lock_version=lock())
    client.force_login(world.director_a)
    data = save_post(world, {})
    row = next(r for r in matrix_of(world).rows if r.task == world.task_a)
    # A page loaded while the package was a draft: the IB's cell emptied, a coordinator's set.
    data[f"c_{row.field}_{ib_key(world)}"] = ""
    data[f"c_{row.field}_h{world.maths.pk}"] = "40"
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    assert response.status_code == 200  # refused as a whole, the input kept
    assert f'id="c_{row.field}_{ib_key(world)}-error"' not in response.text  # no input there
    # Nothing saved, and why: the package is agreed now (the page has no input there).
    assert len(list(response.context["messages"])) == 2
    assert PackageItem.objects.filter(version__package=world.package_a).count() == 1
    assert not DivisionAssignment.objects.exists()
    page = client.get(page_url(world)).content.decode()
    assert f'name="c_{row.field}_{ib_key(world)}"' not in page


def test_bad_hours_keep_the_input_and_save_nothing(world, client):
    client.force_login(world.director_a)
    response = client.post(
        reverse("tasks:division-save", args=[world.division.pk]),
        save_post(world, {(world.task_a, f"h{world.maths.pk}"): "veel"}),
    )
    assert response.status_code == 200
    assert 'value="veel"' in response.content.decode()
    assert not DivisionAssignment.objects.exists()


def test_a_stale_matrix_is_refused_with_the_differences(world, client):
    stale = save_post(world, {(world.task_a, f"h{world.maths.pk}"): "10"})
    client.force_login(world.director_a)
    fresh = save_post(world, {(world.task_a, f"h{world.maths.pk}"): "20"})
    assert (
        client.post(reverse("tasks:division-save", args=[world.division.pk]), fresh).status_code
        == 302
    )
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), stale)
    assert response.status_code == 200
    assert 'id="stale-notice"' in response.content.decode()
    assert DivisionAssignment.objects.get().hours == Decimal("20")


def test_a_package_changed_elsewhere_refuses_the_matrix(world, client):
    from tasks.packages import item_update

    stale = save_post(world, {(world.task_a, ib_key(world)): "20"})
    item = PackageItem.objects.get(version__package=world.package_a)
    item_update(
        item=item,
        actor=world.director_a,
        lock_version=world.package_a.lock_version,
        hours=Decimal("30"),
        note="",
    )
    client.force_login(world.director_a)
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), stale)
    assert 'id="stale-notice"' in response.content.decode()
    assert PackageItem.objects.get(pk=item.pk).hours == Decimal("30")


def test_the_ib_reads_the_division_without_inputs(world, client):
    client.force_login(world.ib_a)
    page = client.get(page_url(world)).content.decode()
    assert "Mirjam" in page and "division-cell" not in page
    response = client.post(
        reverse("tasks:division-save", args=[world.division.pk]), save_post(world, {})
    )
    assert response.status_code == 403


def test_purity_names_the_role_present_at_the_school(world):
    task = f.CatalogueTaskFactory(
        board=world.board_a,
        standard_key="remedial-teaching-leerlingen",
        usual_role=HolderRole.REMEDIAL,
        is_ib_task=False,
        not_ib_reason="De IB'er werkt niet met leerlingen.",
    )
    RoleHolder.objects.create(division=world.division, role=HolderRole.REMEDIAL, hours=100)
    from tasks.packages import item_add

    item_add(
        package=world.package_a,
        actor=world.director_a,
        lock_version=Package.objects.get(pk=world.package_a.pk).lock_version,
        hours=Decimal("20"),
        task=task,
    )
    row = next(r for r in matrix_of(world).rows if r.task == task)
    assert "Remedial teacher" in row.purity or "Remedial teacher" in str(row.purity)


def test_tasks_nobody_does_are_listed(world):
    task = f.CatalogueTaskFactory(board=world.board_a, title="Zorgplan bijhouden")
    nobody = [row.task for row in matrix_of(world).nobody]
    assert task in nobody and world.task_a not in nobody


def test_a_role_with_tasks_is_removed_only_after_the_confirmation(world, client):
    DivisionAssignment.objects.create(
        division=world.division,
        holder=world.maths,
        task=world.task_a,
        key=f"task:{world.task_a.pk}",
        title=world.task_a.title,
        domain=world.task_a.domain,
        hours=5,
    )
    client.force_login(world.director_a)
    url = reverse("tasks:division-holder-remove", args=[world.maths.pk])
    client.post(url)  # no confirmation: nothing removed
    assert RoleHolder.objects.filter(pk=world.maths.pk).exists()
    page = client.get(url).content.decode()
    # The confirmation says what goes: the tasks and hours of the column.
    assert world.task_a.title in page and "Mirjam" in page
    shown = dv.holder_loss(world.maths).fingerprint
    response = client.post(url, {"shown": shown})
    assert response.status_code == 302 and response.url == page_url(world)
    assert not RoleHolder.objects.filter(pk=world.maths.pk).exists()
    assert not DivisionAssignment.objects.filter(division=world.division).exists()


def test_a_removal_confirmed_on_another_list_is_asked_again(world, client):
    client.force_login(world.director_a)
    url = reverse("tasks:division-holder-remove", args=[world.maths.pk])
    shown = dv.holder_loss(world.maths).fingerprint
    DivisionAssignment.objects.create(  # a task given to the role after the page was shown
        division=world.division,
        holder=world.maths,
        task=world.task_a,
        key=f"task:{world.task_a.pk}",
        title=world.task_a.title,
        domain=world.task_a.domain,
        hours=5,
    )
    response = client.post(url, {"shown": shown})
    assert response.status_code == 302 and response.url == url
    assert RoleHolder.objects.filter(pk=world.maths.pk).exists()


def test_the_removal_page_is_the_directors(world, client):
    url = reverse("tasks:division-holder-remove", args=[world.maths.pk])
    client.force_login(world.ib_a)
    assert client.get(url).status_code == 403
    client.force_login(world.director_a)
    assert client.get(url).status_code == 200


def test_own_task_for_the_ib_goes_into_the_package(world, client):
    client.force_login(world.director_a)
    matrix = matrix_of(world)
    response = client.post(
        reverse("tasks:division-own-task", args=[world.division.pk]),
        {
            "task-title": "Leesproject begeleiden",
            "task-domain": world.task_a.domain_id,
            "task-column": ib_key(world),
            "task-hours": "8",
            f"pkg_{world.package_a.pk}": str(matrix.column(ib_key(world)).package.lock_version),
        },
    )
    assert response.status_code == 302
    assert PackageItem.objects.filter(title="Leesproject begeleiden", task=None).exists()


def test_xlsx_export_has_roles_and_totals(world, client):
    client.force_login(world.staff_a)
    response = client.get(reverse("tasks:division-export", args=[world.division.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(str(value).startswith("IB") for value in rows[0])
    assert any(row[1] == world.task_a.title for row in rows)


def test_the_matrix_costs_the_same_for_1_and_many_tasks_and_roles(
    world, client, django_assert_num_queries
):
    client.force_login(world.director_a)
    client.get(page_url(world))  # warm the caches (session, scope)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(world)).status_code == 200
        return len(captured)

    few = count()
    for number in range(15):
        f.CatalogueTaskFactory(board=world.board_a, title=f"Extra {number}")
    for role in (HolderRole.LANGUAGE, HolderRole.REMEDIAL, HolderRole.YOUTH_NURSE):
        RoleHolder.objects.create(division=world.division, role=role, hours=10)
    assert count() == few


def test_other_schools_director_and_other_ib_of_the_board_get_404(world, client):
    """Board A's director of A2 and an IB of board A working elsewhere: not their division."""
    other_ib = f.AppointmentFactory(board=world.board_a, shares=[(world.school_a2, "0.5")]).ib
    for user in (f.director(world.school_a2), other_ib, world.partnership_staff):
        client.force_login(user)
        assert client.get(page_url(world)).status_code == 404
        print_url = reverse("tasks:division-print", args=[world.division.pk])
        assert client.get(print_url).status_code == 404


def test_each_ib_of_the_school_is_a_column(world):
    second = f.AppointmentFactory(board=world.board_a, shares=[(world.school_a1, "0.4")])
    from tasks.packages import package_create

    package = package_create(
        share=second.shares.get(), school_year=world.package_a.school_year, actor=world.director_a
    )
    columns = [column for column in matrix_of(world).columns if column.is_ib]
    assert [column.package.pk for column in columns] == [world.package_a.pk, package.pk]
    assert columns[1].available == package.budget_hours


def test_next_year_starts_from_this_years_roles_and_their_tasks(world):
    DivisionAssignment.objects.create(
        division=world.division,
        holder=world.maths,
        task=world.task_a,
        key=f"task:{world.task_a.pk}",
        title=world.task_a.title,
        domain=world.task_a.domain,
        hours=Decimal("12"),
    )
    next_year = f.SchoolYearFactory(start_year=world.division.school_year.start_year + 1)
    new = dv.division_create(school=world.school_a1, school_year=next_year, actor=world.director_a)
    maths = new.holders.get(role=HolderRole.MATHS)
    assert (maths.name, maths.hours) == ("Mirjam", Decimal("60"))
    assert maths.assignments.get().hours == Decimal("12")


def test_board_staff_read_the_division_but_do_not_change_it(world, client):
    client.force_login(world.staff_a)
    page = client.get(page_url(world)).content.decode()
    assert "Mirjam" in page and "division-cell" not in page
    response = client.post(
        reverse("tasks:division-holder-add", args=[world.division.pk]),
        {"role": "coordinator_taal", "hours": "10", "lock_version": ""},
    )
    assert response.status_code == 403


def test_matrix_query_count(world, client, django_assert_num_queries):
    client.force_login(world.director_a)
    client.get(page_url(world))
    with django_assert_num_queries(
        3  # the session, the user, the user's memberships (get_scope)
        + 1  # the school, through the schools whose division the user reads
        + 1  # the school year
        + 1  # the division, through TaskDivision.for_user
        + 1  # the school's IB packages of the year with share, IB, school, board
        + 1  # the IBs' own hours (prefetched: the IB column's available hours)
        + 1  # their versions (the newest of each is the column)
        + 1  # the current versions' items
        + 1  # the LBBO domains
        + 1  # the division's roles
        + 1  # its tasks of roles
        + 1  # the board's catalogue (active and used tasks)
        + 1  # the school's IB shares of the year without a package (no column yet)
    ):
        assert client.get(page_url(world)).status_code == 200


def test_an_ib_without_a_package_is_named(world, client):
    other = f.AppointmentFactory(board=world.board_a, shares=[(world.school_a1, "0.2")])
    other.ib.first_name, other.ib.last_name = "Wies", "Zonderpakket"
    other.ib.save()
    client.force_login(world.director_a)
    page = client.get(page_url(world)).content.decode()
    assert 'id="without-package"' in page and "Wies Zonderpakket" in page


def test_a_stale_role_form_is_refused_with_the_saved_values(world, client):
    url = reverse("tasks:division-holder-edit", args=[world.maths.pk])
    old_version = RoleHolder.objects.get(pk=world.maths.pk).lock_version
    client.force_login(world.director_a)
    fresh = {"role": HolderRole.MATHS, "name": "Mirjam", "hours": "70", "lock_version": old_version}
    assert client.post(url, fresh).status_code == 302
    stale = {**fresh, "hours": "90"}
    response = client.post(url, stale)
    assert response.status_code == 409 and 'id="stale-notice"' in response.text
    assert 'value="90"' in response.text  # the user's input is kept beside the saved 70
    assert RoleHolder.objects.get(pk=world.maths.pk).hours == Decimal("70")


# --- the other buttons save the typed hours first (tester 5, #5) ------------------------------


def test_adding_a_role_saves_the_typed_hours_first(world, client):
    client.force_login(world.director_a)
    data = save_post(world, {(world.task_a, f"h{world.maths.pk}"): "9"})
    data.update({"then": "add-role", "role": "coordinator_taal", "name": "Sanne", "hours": "20"})
    data.update({"task-title": "", "task-hours": ""})  # the empty task form posts along
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    assert response.status_code == 302
    assert DivisionAssignment.objects.get(holder=world.maths).hours == Decimal("9")
    assert RoleHolder.objects.filter(division=world.division, name="Sanne").exists()


def test_adding_a_task_saves_the_typed_hours_first_even_in_the_same_package(world, client):
    client.force_login(world.director_a)
    data = save_post(world, {(world.task_a, ib_key(world)): "9"})
    data.update(
        {
            "then": "add-task",
            "role": "",  # the empty role form posts along
            "name": "",
            "hours": "",
            "task-title": "Leesproject begeleiden",
            "task-domain": world.task_a.domain_id,
            "task-column": ib_key(world),
            "task-hours": "8",
        }
    )
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    assert response.status_code == 302
    items = PackageItem.objects.filter(version__package=world.package_a)
    assert items.get(task=world.task_a).hours == Decimal("9")
    assert items.get(title="Leesproject begeleiden").hours == Decimal("8")


def test_removing_a_role_and_printing_save_the_typed_hours_first(world, client):
    client.force_login(world.director_a)
    empty = RoleHolder.objects.create(
        division=world.division, role=HolderRole.LANGUAGE, name="Leeg", hours=Decimal("5")
    )
    data = save_post(world, {(world.task_a, f"h{world.maths.pk}"): "7"})
    data["then"] = f"remove-{empty.pk}"
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    # The hours are saved; the removal asks first.
    remove_url = reverse("tasks:division-holder-remove", args=[empty.pk])
    assert response.status_code == 302 and response.url == remove_url
    assert DivisionAssignment.objects.get(holder=world.maths).hours == Decimal("7")
    assert RoleHolder.objects.filter(pk=empty.pk).exists()
    client.post(remove_url, {"shown": dv.holder_loss(empty).fingerprint})
    assert not RoleHolder.objects.filter(pk=empty.pk).exists()
    data = save_post(world, {(world.task_a, f"h{world.maths.pk}"): "8"})
    data["then"] = "print"
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    assert response.url == reverse("tasks:division-print", args=[world.division.pk])
    assert DivisionAssignment.objects.get(holder=world.maths).hours == Decimal("8")


def test_bad_typed_hours_stop_the_other_button_and_keep_both_inputs(world, client):
    client.force_login(world.director_a)
    data = save_post(world, {(world.task_a, f"h{world.maths.pk}"): "abc"})
    data.update({"then": "add-role", "role": "coordinator_taal", "name": "Sanne", "hours": "20"})
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not RoleHolder.objects.filter(name="Sanne").exists()
    assert 'value="abc"' in page and 'value="Sanne"' in page


def test_the_other_buttons_belong_to_the_matrix_form(world, client):
    client.force_login(world.director_a)
    page = client.get(page_url(world)).content.decode()
    for then in ("add-role", "add-task", f"remove-{world.maths.pk}", "print"):
        assert f'form="division-form" name="then" value="{then}"' in page
    assert 'name="name"' in page and 'form="division-form"' in page
    assert "js/division.js" in page


@pytest.mark.parametrize("typed", ["1e3", "1E2", "Infinity", "NaN", "1_000", "+5", "٣"])
def test_a_cell_refuses_what_is_no_dutch_number(world, client, typed):
    client.force_login(world.director_a)
    response = client.post(
        reverse("tasks:division-save", args=[world.division.pk]),
        save_post(world, {(world.task_a, f"h{world.maths.pk}"): typed}),
    )
    assert response.status_code == 200
    assert "Give the hours as a number" in response.content.decode() or (
        "Geef de uren op als getal" in response.content.decode()
    )
    assert not DivisionAssignment.objects.filter(holder=world.maths).exists()


@pytest.mark.parametrize(("typed", "hours"), [("12,5", "12.5"), ("12.5", "12.5"), (" 7 ", "7")])
def test_a_cell_takes_dutch_and_plain_decimals(world, client, typed, hours):
    client.force_login(world.director_a)
    client.post(
        reverse("tasks:division-save", args=[world.division.pk]),
        save_post(world, {(world.task_a, f"h{world.maths.pk}"): typed}),
    )
    assert DivisionAssignment.objects.get(holder=world.maths).hours == Decimal(hours)


# --- what moving says (tester 5, #17) -----------------------------------------------------------


def test_moving_a_task_out_of_the_ib_column_names_the_goal_it_served(world, client):
    from tasks.models import Domain, WerkplanGoal

    item = PackageItem.objects.get(version__package=world.package_a, task=world.task_a)
    goal = WerkplanGoal.objects.create(
        version=item.version,
        title="Beter begrijpend lezen",
        domain=Domain.objects.get(code="leren"),
        success_criterion="80% haalt het streefniveau",
        source_text="Eigen",
    )
    goal.items.set([item])
    client.force_login(world.director_a)
    response = client.post(
        reverse("tasks:division-save", args=[world.division.pk]),
        save_post(
            world, {(world.task_a, ib_key(world)): "", (world.task_a, f"h{world.maths.pk}"): "40"}
        ),
        follow=True,
    )
    page = response.content.decode()
    assert "Beter begrijpend lezen" in page  # the confirmation tells the director
    event = PackageEvent.objects.get(package=world.package_a, kind=PackageEvent.Kind.ITEM_REMOVED)
    assert "Beter begrijpend lezen" in event.detail


def test_a_split_names_where_the_hours_went_in_the_history(world, client):
    client.force_login(world.director_a)
    client.post(
        reverse("tasks:division-save", args=[world.division.pk]),
        save_post(
            world, {(world.task_a, ib_key(world)): "28", (world.task_a, f"h{world.maths.pk}"): "12"}
        ),
    )
    event = PackageEvent.objects.get(package=world.package_a, kind=PackageEvent.Kind.ITEM_CHANGED)
    assert "Mirjam" in event.detail and "12" in event.detail.split(";", 1)[1]


def test_the_ib_reads_words_for_a_reader(world, client):
    client.force_login(world.ib_a)
    page = client.get(page_url(world)).content.decode()
    assert "what you change there" not in page and "wat u daar verandert" not in page
    client.force_login(world.director_a)
    page = client.get(page_url(world)).content.decode()
    assert "what you change there" in page or "wat u daar verandert" in page


def test_purity_points_to_the_usual_role_of_a_boards_own_task(world):
    """Not only the standard catalogue's tasks: a board's own task names its role too."""
    task = f.CatalogueTaskFactory(
        board=world.board_a,
        usual_role=HolderRole.LANGUAGE,
        is_ib_task=False,
        not_ib_reason="Dit is het werk van de taalcoördinator.",
    )
    from tasks.packages import item_add

    item_add(
        package=world.package_a,
        actor=world.director_a,
        lock_version=Package.objects.get(pk=world.package_a.pk).lock_version,
        hours=Decimal("10"),
        task=task,
    )
    row = next(r for r in matrix_of(world).rows if r.task == task)
    assert str(HolderRole.LANGUAGE.label) in row.purity
    RoleHolder.objects.create(
        division=world.division, role=HolderRole.LANGUAGE, name="Sanne", hours=20
    )
    row = next(r for r in matrix_of(world).rows if r.task == task)
    assert "Sanne" in row.purity


def enter_post(world, **fields) -> dict:
    """The matrix form as Enter in a field sends it without JavaScript: the default button."""
    data = save_post(world, {(world.task_a, f"h{world.maths.pk}"): "6"})
    data.update({"then": "enter", "role": "", "name": "", "hours": "0", "task-title": ""})
    data.update(fields)
    return data


def test_enter_in_the_role_fields_adds_the_role_after_the_hours(world, client):
    client.force_login(world.director_a)
    data = enter_post(world, role="coordinator_taal", name="Sanne", hours="20")
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    assert response.status_code == 302
    assert RoleHolder.objects.get(name="Sanne").hours == Decimal("20")
    assert DivisionAssignment.objects.get(holder=world.maths).hours == Decimal("6")


def test_enter_in_the_task_fields_adds_the_task_after_the_hours(world, client):
    client.force_login(world.director_a)
    data = enter_post(
        world,
        **{
            "task-title": "Leesproject begeleiden",
            "task-domain": str(world.task_a.domain_id),
            "task-column": f"h{world.maths.pk}",
            "task-hours": "8",
        },
    )
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    assert response.status_code == 302
    assert DivisionAssignment.objects.get(title="Leesproject begeleiden").hours == Decimal("8")
    assert DivisionAssignment.objects.get(task=world.task_a).hours == Decimal("6")


def test_enter_with_nothing_else_typed_saves_the_hours(world, client):
    client.force_login(world.director_a)
    response = client.post(
        reverse("tasks:division-save", args=[world.division.pk]), enter_post(world)
    )
    assert response.status_code == 302 and response.url == page_url(world)
    assert world.division.holders.count() == 3
    assert DivisionAssignment.objects.get(holder=world.maths).hours == Decimal("6")


def test_enter_with_a_role_and_a_task_typed_keeps_both(world, client):
    client.force_login(world.director_a)
    data = enter_post(world, role="coordinator_taal", name="Sanne", hours="20")
    data["task-title"] = "Leesproject begeleiden"
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Sanne"' in page and 'value="Leesproject begeleiden"' in page
    assert not RoleHolder.objects.filter(name="Sanne").exists()
    assert DivisionAssignment.objects.get(holder=world.maths).hours == Decimal("6")


def test_enter_with_an_incomplete_role_keeps_it_with_its_errors(world, client):
    client.force_login(world.director_a)
    data = enter_post(world, name="Sanne")  # no role chosen
    response = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Sanne"' in page and 'id="holder-role_error"' in page
    assert DivisionAssignment.objects.get(holder=world.maths).hours == Decimal("6")


def test_the_default_button_is_the_enter_button(world, client):
    client.force_login(world.director_a)
    page = client.get(page_url(world)).content.decode()
    first = page.index('form="division-form"')
    assert page[first:].startswith('form="division-form" name="then" value="enter" hidden')


def test_the_role_and_task_fields_escape_what_was_typed(world, client):
    client.force_login(world.director_a)
    data = save_post(world, {(world.task_a, f"h{world.maths.pk}"): "abc"})
    data.update({"then": "add-role", "role": "", "name": '"><script>x</script>', "hours": "1"})
    page = client.post(reverse("tasks:division-save", args=[world.division.pk]), data)
    text = page.content.decode()
    assert "<script>x</script>" not in text
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in text


def test_the_division_years_are_the_portals_not_any_number(client, cast):
    """1990 or 2051 through the URL is 404 and cannot be started; the year links stop at
    the years the portal holds (and this one and the next)."""
    from schools.models import SchoolYear as Year

    current = Year.current_start_year()
    school = cast.school_a1
    client.force_login(cast.director_a)
    assert client.get(reverse("tasks:division", args=[school.pk, 1990])).status_code == 404
    response = client.post(reverse("tasks:division-start", args=[school.pk, 2051]))
    assert response.status_code == 302 and not Year.objects.filter(start_year=2051).exists()
    page = client.get(reverse("tasks:division", args=[school.pk, current + 1]))
    assert page.status_code == 200
    assert reverse("tasks:division", args=[school.pk, current + 2]) not in page.text
    assert reverse("tasks:division", args=[school.pk, current]) in page.text
