"""The partnership's copy of agreed task packages (issue 14, seed 001: "een afschrift van het
takenpakket").

A board that shares with its partnership gives the partnership's staff a read-only copy of each
agreed package: decided when the IB agrees (agreed while not sharing: private for good), hidden
while the board does not share. Never drafts, earlier versions, comments, notes or names.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from schools.models import Board
from tasks.models import CatalogueTask, Domain, PackageVersion
from tasks.packages import (
    item_add,
    package_reopen,
    package_review,
    package_submit,
    package_to_draft,
)
from tasks.services import catalogue_copy_standard
from tasks.standard_catalogue import PARTNERSHIP_TASKS

from . import factories as f
from .conftest import add_package_a

COPY_URLS = ("tasks:copy-detail", "tasks:copy-letter")


def fresh(package):
    return type(package).objects.with_details().get(pk=package.pk)


def set_sharing(board: Board, shares: bool) -> None:
    Board.objects.filter(pk=board.pk).update(shares_with_partnership=shares)


def submit(c, comment: str = "") -> None:
    package = fresh(c.package_a)
    package_submit(
        package=package, actor=c.director_a, lock_version=package.lock_version, comment=comment
    )


def agree(c, comment: str = "") -> None:
    submit(c, comment="Voorleggen: notitie van de directeur")
    package = fresh(c.package_a)
    package_review(
        package=package,
        actor=c.ib_a,
        lock_version=package.lock_version,
        accept=True,
        comment=comment,
    )


@pytest.fixture
def world(cast):
    add_package_a(cast)
    return cast


def copy_status(client, c, name: str = "tasks:copy-detail") -> int:
    client.force_login(c.partnership_staff)
    return client.get(reverse(name, args=[c.package_a.pk])).status_code


def listed(client, c) -> bool:
    client.force_login(c.partnership_staff)
    return "School A1" in client.get(reverse("tasks:copy-list")).text


def test_agreed_while_sharing_is_the_partnerships_copy(client, world):
    set_sharing(world.board_a, True)
    agree(world)
    assert PackageVersion.objects.get(package=world.package_a).shared_with_partnership
    for name in COPY_URLS:
        assert copy_status(client, world, name) == 200
    assert listed(client, world)


def test_a_draft_or_submitted_package_is_never_shown(client, world):
    set_sharing(world.board_a, True)
    assert copy_status(client, world) == 404
    assert not listed(client, world)
    submit(world)
    assert copy_status(client, world) == 404
    assert not listed(client, world)


def test_agreed_while_not_sharing_stays_private_after_sharing_starts(client, world):
    agree(world)
    set_sharing(world.board_a, True)
    for name in COPY_URLS:
        assert copy_status(client, world, name) == 404
    assert not listed(client, world)


def test_stopping_sharing_hides_every_copy_and_starting_again_shows_it(client, world):
    set_sharing(world.board_a, True)
    agree(world)
    set_sharing(world.board_a, False)
    for name in COPY_URLS:
        assert copy_status(client, world, name) == 404
    assert not listed(client, world)
    set_sharing(world.board_a, True)
    assert copy_status(client, world) == 200


def test_a_reopened_package_shows_the_agreed_version_not_the_draft(client, world):
    set_sharing(world.board_a, True)
    agree(world)
    package = fresh(world.package_a)
    package_reopen(package=package, actor=world.director_a, lock_version=package.lock_version)
    package = fresh(world.package_a)
    item_add(
        package=package,
        actor=world.director_a,
        lock_version=package.lock_version,
        hours=Decimal("8"),
        title="Conceptproject Zwaluw",
        domain=Domain.objects.get(code="leren"),
    )
    client.force_login(world.partnership_staff)
    page = client.get(reverse("tasks:copy-detail", args=[world.package_a.pk])).text
    assert "Groepsbesprekingen voeren" in page
    assert "Conceptproject Zwaluw" not in page
    # Agreed again while the board no longer shares: the new version is private, and the
    # partnership does not fall back to the older one (it would be out of date).
    submit(world)
    set_sharing(world.board_a, False)
    package = fresh(world.package_a)
    package_review(
        package=package, actor=world.ib_a, lock_version=package.lock_version, accept=True
    )
    set_sharing(world.board_a, True)
    assert copy_status(client, world) == 404


def test_no_comments_notes_or_names_in_the_copy(client, world):
    world.director_a.last_name = "Aartsenbroek"
    world.director_a.save()
    world.ib_a.last_name = "Aalbersdijk"
    world.ib_a.save()
    set_sharing(world.board_a, True)
    package = fresh(world.package_a)
    item = package.versions.get().items.get()
    item.note = "Notitie-van-directeur"
    item.save()
    submit(world)
    package = fresh(world.package_a)
    package_review(
        package=package,
        actor=world.ib_a,
        lock_version=package.lock_version,
        accept=False,
        comment="Terug-commentaar",
        item_comments={item.pk: "Taakcommentaar-IB"},
    )
    package = fresh(world.package_a)
    package_to_draft(package=package, actor=world.director_a, lock_version=package.lock_version)
    submit(world, comment="Voorleggen: notitie van de directeur")
    package = fresh(world.package_a)
    package_review(
        package=package,
        actor=world.ib_a,
        lock_version=package.lock_version,
        accept=True,
        comment="Akkoord-commentaar-IB",
        item_comments={item.pk: "Akkoord-taakcommentaar"},
    )
    assert PackageVersion.objects.get(package=world.package_a).items.get().ib_comment
    client.force_login(world.partnership_staff)
    for name in (*COPY_URLS, "tasks:copy-list"):
        args = [] if name == "tasks:copy-list" else [world.package_a.pk]
        body = client.get(reverse(name, args=args)).text
        for secret in (
            "Notitie-van-directeur",
            "Taakcommentaar-IB",
            "Terug-commentaar",
            "Akkoord-commentaar-IB",
            "Akkoord-taakcommentaar",
            "Voorleggen: notitie",
            "Aartsenbroek",
            "Aalbersdijk",
        ):
            assert secret not in body, (name, secret)


def test_other_partnership_and_non_sharing_board_see_nothing(client, world, non_sharing_board):
    set_sharing(world.board_a, True)
    agree(world)
    # Board C's package agreed: C does not share.
    c = non_sharing_board
    package = fresh(c.package)
    package_submit(package=package, actor=c.director, lock_version=package.lock_version)
    package = fresh(c.package)
    package_review(package=package, actor=c.ib, lock_version=package.lock_version, accept=True)
    client.force_login(world.partnership_staff)
    assert client.get(reverse("tasks:copy-detail", args=[c.package.pk])).status_code == 404
    assert "School C1" not in client.get(reverse("tasks:copy-list")).text
    other = f.partnership_staff(f.PartnershipFactory())
    client.force_login(other)
    assert client.get(reverse("tasks:copy-detail", args=[world.package_a.pk])).status_code == 404
    assert "School A1" not in client.get(reverse("tasks:copy-list")).text


def test_existing_package_pages_stay_closed_to_the_partnership(client, world):
    set_sharing(world.board_a, True)
    agree(world)
    client.force_login(world.partnership_staff)
    pk = world.package_a.pk
    for name in ("tasks:package-detail", "tasks:package-letter", "tasks:package-history"):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name


@pytest.mark.parametrize("who", ["director_a", "ib_a", "staff_a"])
def test_ib_director_and_board_see_whether_the_copy_is_shared(client, world, who):
    client.force_login(getattr(world, who))
    set_sharing(world.board_a, True)
    agree(world)
    for name in ("tasks:package-detail", "tasks:package-letter"):
        page = client.get(reverse(name, args=[world.package_a.pk])).text
        assert 'data-copy="shared"' in page, name
    set_sharing(world.board_a, False)
    page = client.get(reverse("tasks:package-detail", args=[world.package_a.pk])).text
    assert 'data-copy="stopped"' in page


def test_agreed_while_not_sharing_says_private(client, world):
    agree(world)
    client.force_login(world.director_a)
    page = client.get(reverse("tasks:package-detail", args=[world.package_a.pk])).text
    assert 'data-copy="private"' in page


def test_partnership_tasks_are_marked_in_the_catalogue_and_the_copy(client, world):
    catalogue_copy_standard(board=world.board_a)
    marked = set(
        CatalogueTask.objects.filter(board=world.board_a, concerns_partnership=True).values_list(
            "standard_key", flat=True
        )
    )
    assert marked == PARTNERSHIP_TASKS
    iot = CatalogueTask.objects.get(board=world.board_a, standard_key="intern-ondersteuningsteam")
    package = fresh(world.package_a)
    item = item_add(
        package=package,
        actor=world.director_a,
        lock_version=package.lock_version,
        hours=Decimal("30"),
        task=iot,
    )
    assert item.concerns_partnership
    set_sharing(world.board_a, True)
    agree(world)
    client.force_login(world.partnership_staff)
    page = client.get(reverse("tasks:copy-detail", args=[world.package_a.pk])).text
    assert page.count('class="concerns-partnership"') == 1
    assert iot.title in page
    # The list: 70 hours assigned, of which 30 for the partnership.
    rows = client.get(reverse("tasks:copy-list")).text
    assert '<td class="num" data-label="Toegewezen">70</td>' in rows
    assert '<td class="num" data-label="Waarvan voor het SWV">30</td>' in rows


def test_the_catalogue_form_edits_the_marking(client, world):
    from .test_access import catalogue_task_data, version

    client.force_login(world.staff_a)
    task = world.task_a
    data = {**catalogue_task_data(), **version(task), "concerns_partnership": "on"}
    response = client.post(reverse("tasks:task-edit", args=[task.pk]), data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.concerns_partnership


# ---------------------------------------------------------------------------------------------
# Query counts: the same with 1 or 6 copies (list) and 1 or 6 tasks (a copy), pinned.
# ---------------------------------------------------------------------------------------------


def agreed_package_at_new_school(c, tasks: int = 1):
    from tasks.packages import package_create

    school = f.SchoolFactory(board=c.board_a, partnership=c.partnership)
    appointment = f.AppointmentFactory(board=c.board_a, shares=[(school, Decimal("0.4"))])
    director = f.director(school)
    package = package_create(
        share=appointment.shares.get(), school_year=f.SchoolYearFactory(), actor=director
    )
    for number in range(tasks):
        item_add(
            package=package,
            actor=director,
            lock_version=fresh(package).lock_version,
            hours=Decimal("5"),
            title=f"Taak {number}",
            domain=Domain.objects.get(code="zorg"),
        )
    package = fresh(package)
    package_submit(package=package, actor=director, lock_version=package.lock_version)
    package = fresh(package)
    package_review(
        package=package, actor=appointment.ib, lock_version=package.lock_version, accept=True
    )
    return package


# The request (session, user, memberships), then the page's own queries.
COPY_LIST_QUERIES = 3 + 2  # the copies with their hours; the school years of the picker
# the copy; its items; the domains; the IB's own hours (their total only, in the budget)
COPY_DETAIL_QUERIES = 3 + 3 + 1


@pytest.mark.parametrize("size", [1, 6])
def test_copy_list_query_count(client, cast, django_assert_num_queries, size):
    set_sharing(cast.board_a, True)
    for _ in range(size):
        agreed_package_at_new_school(cast)
    client.force_login(cast.partnership_staff)
    with django_assert_num_queries(COPY_LIST_QUERIES):
        response = client.get(reverse("tasks:copy-list"))
    assert response.text.count("/swv/pakketten/") >= size


@pytest.mark.parametrize("size", [1, 6])
def test_copy_detail_query_count(client, cast, django_assert_num_queries, size):
    set_sharing(cast.board_a, True)
    package = agreed_package_at_new_school(cast, tasks=size)
    client.force_login(cast.partnership_staff)
    for name in COPY_URLS:
        # The letter is an export: + the INSERT of its security event (issue 15).
        events = 1 if name == "tasks:copy-letter" else 0
        with django_assert_num_queries(COPY_DETAIL_QUERIES + events):
            response = client.get(reverse(name, args=[package.pk]))
        assert response.status_code == 200
