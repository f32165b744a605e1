"""Task package services: the workflow, budget, versions, copying, rights, conflicts, notices.

Everything goes through ``tasks.packages``; the pages on top of it are tested elsewhere.
Budget figures are worked out by hand in the comments, so a wrong formula cannot pass by
computing the expectation the same wrong way.
"""

from __future__ import annotations

import datetime
import threading
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from schools.models import AppointmentShare, Board, School, SchoolYear
from tasks import packages as services
from tasks.models import (
    EDITABLE_STATUSES,
    TRANSITIONS,
    CatalogueTask,
    Domain,
    Package,
    PackageEvent,
    PackageItem,
    PackageStatus,
    PackageVersion,
)
from tasks.packages import (
    ItemValues,
    PackageConflict,
    current_version,
    item_add,
    item_remove,
    item_update,
    items_update,
    over_budget_hours,
    package_copy_previous,
    package_create,
    package_reopen,
    package_review,
    package_submit,
    package_to_draft,
    package_withdraw,
    previous_package,
    summarize,
    version_diff,
)
from tasks.services import catalogue_copy_standard

from . import factories as f

S = PackageStatus
Kind = PackageEvent.Kind
H = Decimal


# ---------------------------------------------------------------------------
# fixtures and helpers
# ---------------------------------------------------------------------------


@pytest.fixture
def year(db) -> SchoolYear:
    return f.SchoolYearFactory(start_year=2025)


@pytest.fixture
def catalogue(cast) -> dict[str, CatalogueTask]:
    """Board A's copy of the standard catalogue, by standard key."""
    catalogue_copy_standard(board=cast.board_a)
    return {
        task.standard_key: task
        for task in CatalogueTask.objects.filter(board=cast.board_a).exclude(standard_key="")
    }


@pytest.fixture
def package(cast, year) -> Package:
    """Board A, school A1, ib_a at 0.8 fte, 2025-2026: 0.8 x 1659 = 1327.2 h, nothing reserved."""
    return package_create(
        share=cast.appointment_a.shares.get(), school_year=year, actor=cast.director_a
    )


def lv(package: Package) -> int:
    """The lock version as stored now (what a freshly loaded page would carry)."""
    return Package.objects.values_list("lock_version", flat=True).get(pk=package.pk)


def status_of(package: Package) -> str:
    return current_version(package).status


def add(package, actor, task=None, hours="40", **kwargs) -> PackageItem:
    return item_add(
        package=package, actor=actor, lock_version=lv(package), hours=H(hours), task=task, **kwargs
    )


def submit(package, actor, comment="Graag je reactie voor 1 oktober.") -> None:
    package_submit(package=package, actor=actor, lock_version=lv(package), comment=comment)


def review(package, actor, accept, comment="", item_comments=None) -> None:
    package_review(
        package=package,
        actor=actor,
        lock_version=lv(package),
        accept=accept,
        comment=comment,
        item_comments=item_comments,
    )


def bring_to(status: str, package: Package, cast) -> Package:
    """Put a fresh package with one task in ``status`` through the services."""
    add(package, cast.director_a, task=cast.task_a, hours="48")
    if status in (S.SUBMITTED, S.RETURNED, S.AGREED):
        submit(package, cast.director_a)
    if status == S.RETURNED:
        review(package, cast.ib_a, accept=False, comment="Er mist tijd voor de trendanalyse.")
    if status == S.AGREED:
        review(package, cast.ib_a, accept=True, comment="Akkoord.")
    assert status_of(package) == status
    return package


PACKAGE_MODELS = (Package, PackageVersion, PackageItem, PackageEvent)


def package_state() -> dict[str, list[tuple]]:
    """Every row of every package table, every column: equal before and after = nothing changed."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in PACKAGE_MODELS
    }


def kinds(package: Package) -> list[str]:
    return list(package.events.order_by("id").values_list("kind", flat=True))


def last_event(package: Package) -> PackageEvent:
    return package.events.order_by("-id").first()


def make_board(hours_per_fte="1659", reserved="0") -> Board:
    return Board(hours_per_fte=H(hours_per_fte), reserved_hours_per_fte=H(reserved))


def unsaved_package(fte: str, board: Board) -> Package:
    """A package that only exists to compute a budget (no database needed)."""
    share = AppointmentShare(fte=H(fte), school=School(board=board))
    return Package(share=share)


# ---------------------------------------------------------------------------
# transitions
# ---------------------------------------------------------------------------


def test_transition_table_is_the_documented_one():
    assert {
        S.CONCEPT: {S.SUBMITTED},
        S.SUBMITTED: {S.AGREED, S.RETURNED, S.CONCEPT},
        S.RETURNED: {S.CONCEPT},
        S.AGREED: set(),
    } == TRANSITIONS
    assert {S.CONCEPT, S.RETURNED} == EDITABLE_STATUSES


def test_create_starts_version_1_in_draft_with_an_event(cast, package):
    version = current_version(package)
    assert (version.number, version.status, package.lock_version) == (1, S.CONCEPT, 0)
    event = last_event(package)
    assert (event.kind, event.actor, event.version_number) == (Kind.CREATED, cast.director_a, 1)


def test_create_twice_for_the_same_share_and_year_is_refused(cast, package, year):
    with pytest.raises(ValidationError):
        package_create(
            share=cast.appointment_a.shares.get(), school_year=year, actor=cast.director_a
        )
    assert Package.objects.count() == 1


def test_create_outside_the_appointment_is_refused(cast):
    # The appointment starts on 1 August 2025: the year 2024-2025 is before it.
    before = f.SchoolYearFactory(start_year=2024)
    with pytest.raises(ValidationError):
        package_create(
            share=cast.appointment_a.shares.get(), school_year=before, actor=cast.director_a
        )
    cast.appointment_a.end_date = datetime.date(2026, 7, 31)
    cast.appointment_a.save()
    with pytest.raises(ValidationError):
        package_create(
            share=cast.appointment_a.shares.get(),
            school_year=f.SchoolYearFactory(start_year=2026),
            actor=cast.director_a,
        )
    assert not Package.objects.exists()


# action name: (who does it, what it does, the status it leads to, the event it writes, comment)
ACTIONS = {
    "submit": (
        "director_a",
        lambda p, u: package_submit(
            package=p, actor=u, lock_version=lv(p), comment="Graag voor 1 oktober."
        ),
        S.SUBMITTED,
        Kind.SUBMITTED,
        "Graag voor 1 oktober.",
    ),
    "accept": (
        "ib_a",
        lambda p, u: package_review(
            package=p, actor=u, lock_version=lv(p), accept=True, comment="Prima zo."
        ),
        S.AGREED,
        Kind.AGREED,
        "Prima zo.",
    ),
    "return": (
        "ib_a",
        lambda p, u: package_review(
            package=p, actor=u, lock_version=lv(p), accept=False, comment="Te weinig zorgtijd."
        ),
        S.RETURNED,
        Kind.RETURNED,
        "Te weinig zorgtijd.",
    ),
    "to_draft": (
        "director_a",
        lambda p, u: package_to_draft(package=p, actor=u, lock_version=lv(p)),
        S.CONCEPT,
        Kind.DRAFT,
        "",
    ),
    "withdraw": (
        "director_a",
        lambda p, u: package_withdraw(
            package=p, actor=u, lock_version=lv(p), comment="Nog een taak vergeten."
        ),
        S.CONCEPT,
        Kind.WITHDRAWN,
        "Nog een taak vergeten.",
    ),
}
# Two steps lead back to draft: each from its own status only.
ONLY_FROM = {"to_draft": S.RETURNED, "withdraw": S.SUBMITTED}

MATRIX = [(status, action) for status in S.values for action in ACTIONS]


@pytest.mark.parametrize(("status", "action"), MATRIX)
def test_every_transition_is_allowed_or_refused_as_the_table_says(cast, package, status, action):
    bring_to(status, package, cast)
    who, do, to, kind, comment = ACTIONS[action]
    actor = getattr(cast, who)
    before, stale = package_state(), lv(package)
    if to in TRANSITIONS[status] and ONLY_FROM.get(action, status) == status:
        do(package, actor)
        version = current_version(package)
        assert version.status == to
        assert version.number == 1
        event = last_event(package)
        assert (event.kind, event.actor, event.comment) == (kind, actor, comment)
        assert lv(package) == stale + 1
    else:
        with pytest.raises(ValidationError):
            do(package, actor)
        assert package_state() == before


def test_withdrawing_tells_the_ib_and_refuses_their_pending_review(
    cast, package, django_capture_on_commit_callbacks
):
    bring_to(S.SUBMITTED, package, cast)
    review_lock = lv(package)  # the IB's review page was loaded now
    with django_capture_on_commit_callbacks(execute=True):
        package_withdraw(package=package, actor=cast.director_a, lock_version=lv(package))
    assert status_of(package) == S.CONCEPT
    assert current_version(package).submitted_at is None
    assert mail.outbox[-1].to == [cast.ib_a.email]
    assert "teruggetrokken" in mail.outbox[-1].body or "withdrawn" in mail.outbox[-1].body
    with pytest.raises(PackageConflict):
        package_review(package=package, actor=cast.ib_a, lock_version=review_lock, accept=True)
    assert status_of(package) == S.CONCEPT
    # The director changes it and submits again: still version 1.
    add(package, cast.director_a, task=None, title="Leesproject", domain=cast.task_a.domain)
    submit(package, cast.director_a)
    assert current_version(package).number == 1


def test_history_writes_hours_the_dutch_way_and_skips_unchanged_saves(cast, package):
    item = add(package, cast.director_a, task=cast.task_a, hours="12.5")
    assert last_event(package).detail.endswith(": 12,5 uur")
    item_update(item=item, actor=cast.director_a, lock_version=lv(package), hours=H("30"), note="")
    assert last_event(package).detail.endswith(": 12,5 uur → 30 uur")
    before, lock = package_state(), lv(package)
    item.refresh_from_db()
    item_update(item=item, actor=cast.director_a, lock_version=lock, hours=H("30"), note="")
    assert package_state() == before  # no event, no new lock version


def test_task_comments_belong_to_their_review_round(cast, package):
    bring_to(S.SUBMITTED, package, cast)
    item = current_version(package).items.get()
    package_review(
        package=package,
        actor=cast.ib_a,
        lock_version=lv(package),
        accept=False,
        item_comments={item.pk: "Graag toelichten"},
    )
    assert last_event(package).detail == f"{item.title}: Graag toelichten"
    item.refresh_from_db()
    assert item.ib_comment == "Graag toelichten"  # the director reads it while revising
    package_to_draft(package=package, actor=cast.director_a, lock_version=lv(package))
    submit(package, cast.director_a)
    item.refresh_from_db()
    assert item.ib_comment == ""  # a new review starts clean; the history keeps the old one
    assert package.events.filter(kind=Kind.RETURNED, detail__contains="Graag toelichten").exists()


def test_a_whole_round_trip_keeps_version_1(cast, package):
    add(package, cast.director_a, task=cast.task_a, hours="48")
    submit(package, cast.director_a)
    review(package, cast.ib_a, accept=False, comment="Meer tijd voor data graag.")
    assert current_version(package).ib_comment == "Meer tijd voor data graag."
    package_to_draft(package=package, actor=cast.director_a, lock_version=lv(package))
    submit(package, cast.director_a)
    review(package, cast.ib_a, accept=True, comment="")
    version = current_version(package)
    assert (version.number, version.status) == (1, S.AGREED)
    assert version.submitted_at is not None and version.agreed_at is not None
    assert version.agreed_at >= version.submitted_at


def test_submit_without_tasks_is_refused(cast, package):
    before = package_state()
    with pytest.raises(ValidationError):
        submit(package, cast.director_a)
    assert package_state() == before


def test_a_refused_change_leaves_the_callers_lock_version_alone(cast, package):
    lock = package.lock_version
    with pytest.raises(ValidationError):
        submit(package, cast.director_a)  # no tasks yet: refused after the bump
    assert package.lock_version == lock
    package.refresh_from_db()
    assert package.lock_version == lock
    # The same object can be used for the next change.
    add(package, cast.director_a, task=cast.task_a)
    assert package.lock_version == lock + 1


def test_return_needs_a_reason(cast, package):
    bring_to(S.SUBMITTED, package, cast)
    before = package_state()
    item = current_version(package).items.get()
    for comment, item_comments in (("", None), ("   ", {}), ("", {item.pk: "  "})):
        with pytest.raises(ValidationError):
            review(package, cast.ib_a, accept=False, comment=comment, item_comments=item_comments)
        assert package_state() == before


def test_return_with_only_a_task_comment_saves_it(cast, package):
    bring_to(S.SUBMITTED, package, cast)
    item = current_version(package).items.get()
    review(package, cast.ib_a, accept=False, item_comments={item.pk: "  48 uur is te veel.  "})
    item.refresh_from_db()
    assert item.ib_comment == "48 uur is te veel."
    assert status_of(package) == S.RETURNED


EDITS = {
    "add": lambda p, u, item: add(p, u, hours="10", title="Eigen taak", domain=item.domain),
    "update": lambda p, u, item: item_update(
        item=item, actor=u, lock_version=lv(p), hours=H("50"), note="meer"
    ),
    "sheet": lambda p, u, item: items_update(
        package=p, actor=u, lock_version=lv(p), changes={item.pk: ItemValues(H("50"), "meer")}
    ),
    "remove": lambda p, u, item: item_remove(item=item, actor=u, lock_version=lv(p)),
}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("status", [S.SUBMITTED, S.AGREED])
def test_a_submitted_or_agreed_package_cannot_be_edited(cast, package, status, edit):
    bring_to(status, package, cast)
    item = current_version(package).items.get()
    before = package_state()
    with pytest.raises(ValidationError):
        EDITS[edit](package, cast.director_a, item)
    assert package_state() == before


@pytest.mark.parametrize("edit", EDITS)
def test_editing_a_returned_package_puts_it_back_in_draft(cast, package, edit):
    bring_to(S.RETURNED, package, cast)
    item = current_version(package).items.get()
    EDITS[edit](package, cast.director_a, item)
    assert status_of(package) == S.CONCEPT
    expected = {
        "add": Kind.ITEM_ADDED,
        "update": Kind.ITEM_CHANGED,
        "sheet": Kind.ITEM_CHANGED,
        "remove": Kind.ITEM_REMOVED,
    }
    assert kinds(package)[-2:] == [Kind.DRAFT, expected[edit]]
    assert {e.actor for e in package.events.order_by("-id")[:2]} == {cast.director_a}


@pytest.mark.parametrize("status", [S.CONCEPT, S.SUBMITTED, S.RETURNED])
def test_only_an_agreed_package_can_be_reopened(cast, package, status):
    bring_to(status, package, cast)
    before = package_state()
    with pytest.raises(ValidationError):
        package_reopen(package=package, actor=cast.director_a, lock_version=lv(package))
    assert package_state() == before


def test_reopen_starts_version_2_in_draft_and_records_the_reason(cast, package):
    bring_to(S.AGREED, package, cast)
    new = package_reopen(
        package=package,
        actor=cast.director_a,
        lock_version=lv(package),
        comment="Extra groep erbij.",
    )
    assert (new.number, new.status) == (2, S.CONCEPT)
    assert current_version(package) == new
    event = last_event(package)
    assert (event.kind, event.actor, event.comment, event.version_number) == (
        Kind.REOPENED,
        cast.director_a,
        "Extra groep erbij.",
        2,
    )


# ---------------------------------------------------------------------------
# budget arithmetic and the summary
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fte", "hours_per_fte", "reserved_per_fte", "gross", "reserved", "budget"),
    [
        # 0.6 x 1659 = 995.4; 0.6 x 40 = 24.0; 995.4 - 24.0 = 971.4
        ("0.6", "1659", "40", "995.4", "24.0", "971.4"),
        # 1.0 x 1659 = 1659.0; nothing reserved
        ("1.0", "1659", "0", "1659.0", "0.0", "1659.0"),
        # 0.8 x 1659 = 1327.2; 0.8 x 123 (83 professionalisation + 40 employability) = 98.4
        ("0.8", "1659", "123", "1327.2", "98.4", "1228.8"),
        # 0.3333 x 1659 = 552.9447 -> 552.9; 0.3333 x 40 = 13.332 -> 13.3; 552.9 - 13.3 = 539.6
        ("0.3333", "1659", "40", "552.9", "13.3", "539.6"),
        # 0.45 x 1600.5 = 720.225 -> 720.2; 0.45 x 83 = 37.35 -> 37.4 (half even: 37.4)
        ("0.45", "1600.5", "83", "720.2", "37.4", "682.8"),
    ],
)
def test_budget_is_fte_times_hours_minus_reserved(
    fte, hours_per_fte, reserved_per_fte, gross, reserved, budget
):
    package = unsaved_package(fte, make_board(hours_per_fte, reserved_per_fte))
    assert package.gross_hours == H(gross)
    assert package.reserved_hours == H(reserved)
    assert package.budget_hours == H(budget)
    assert package.budget_hours == package.gross_hours - package.reserved_hours


def domains() -> dict[str, Domain]:
    return {domain.code: domain for domain in Domain.objects.all()}


def test_summary_of_a_package_within_budget(db):
    d = domains()
    package = unsaved_package("0.6", make_board("1659", "40"))  # budget 971.4
    items = [
        PackageItem(title="Klassenbezoeken", domain=d["leren"], hours=H("100")),
        PackageItem(title="Trendanalyse", domain=d["data"], hours=H("48")),
        PackageItem(title="Groepsresultaten", domain=d["data"], hours=H("40")),
        PackageItem(
            title="Remedial teaching",
            domain=d["zorg"],
            hours=H("80"),
            is_ib_task=False,
            not_ib_reason="Geen IB-werk.",
        ),
    ]
    summary = summarize(package, items, list(Domain.objects.all()))
    # 100 + 48 + 40 + 80 = 268 assigned; 971.4 - 268 = 703.4 left
    assert summary.gross_hours == H("995.4")
    assert summary.reserved_hours == H("24.0")
    assert summary.budget_hours == H("971.4")
    assert summary.assigned_hours == H("268")
    assert summary.left_hours == H("703.4")
    assert summary.unassigned_hours == H("703.4")
    assert summary.over_budget_hours == 0
    # leren 100/268 = 37.3 -> 37; data 88/268 = 32.8 -> 33; zorg 80/268 = 29.9 -> 30
    assert [(line.domain.code, line.hours, line.percentage) for line in summary.domains] == [
        ("leren", H("100"), H("37")),
        ("data", H("88"), H("33")),
        ("zorg", H("80"), H("30")),
        ("algemeen", H("0"), H("0")),  # general school duties: outside the LBBO domains
    ]
    assert summary.empty_domains == []
    assert [item.title for item in summary.not_ib_items] == ["Remedial teaching"]
    assert summary.not_ib_hours == H("80")


def test_summary_of_a_package_over_budget_with_an_empty_domain(db):
    d = domains()
    package = unsaved_package("0.6", make_board("1659", "40"))  # budget 971.4
    items = [
        PackageItem(title="Coaching", domain=d["leren"], hours=H("600")),
        PackageItem(title="Consultatie", domain=d["zorg"], hours=H("400.5")),
    ]
    summary = summarize(package, items, list(Domain.objects.all()))
    # 600 + 400.5 = 1000.5 assigned; 971.4 - 1000.5 = -29.1
    assert summary.assigned_hours == H("1000.5")
    assert summary.left_hours == H("-29.1")
    assert summary.over_budget_hours == H("29.1")
    assert summary.unassigned_hours == 0
    assert [domain.code for domain in summary.empty_domains] == ["data"]
    # 600/1000.5 = 59.97 -> 60; 400.5/1000.5 = 40.03 -> 40
    assert [line.percentage for line in summary.domains] == [H("60"), H("0"), H("40"), H("0")]
    assert summary.not_ib_items == []
    assert summary.not_ib_hours == 0


def test_summary_of_an_empty_package(db):
    package = unsaved_package("0.6", make_board("1659", "40"))
    summary = summarize(package, [], list(Domain.objects.all()))
    assert summary.assigned_hours == 0
    assert summary.left_hours == H("971.4")
    assert [line.percentage for line in summary.domains] == [0, 0, 0, 0]
    assert len(summary.empty_domains) == 3  # the LBBO domains; general duties may stay empty


def test_summary_of_a_real_package(cast, package, catalogue):
    add(package, cast.director_a, task=catalogue["klassenbezoeken-met-nagesprek"], hours="100")
    add(package, cast.director_a, task=catalogue["remedial-teaching-leerlingen"], hours="60.5")
    version = current_version(package)
    summary = summarize(package, version.items.all(), list(Domain.objects.all()))
    # budget 0.8 x 1659 = 1327.2; 100 + 60.5 = 160.5 assigned; 1166.7 left
    assert (summary.budget_hours, summary.assigned_hours, summary.left_hours) == (
        H("1327.2"),
        H("160.5"),
        H("1166.7"),
    )
    assert [domain.code for domain in summary.empty_domains] == ["data"]
    assert [item.title for item in summary.not_ib_items] == [
        catalogue["remedial-teaching-leerlingen"].title
    ]


# ---------------------------------------------------------------------------
# hours and tasks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("hours", ["0", "-5", "0.05", "12.34", "1327.3", "5000"])
def test_bad_hours_are_refused_and_nothing_changes(cast, package, hours):
    before = package_state()
    with pytest.raises(ValidationError) as error:
        add(package, cast.director_a, task=cast.task_a, hours=hours)
    assert "hours" in error.value.message_dict
    assert package_state() == before


@pytest.mark.parametrize("hours", ["0.1", "12.5", "40", "1327.2"])
def test_good_hours_up_to_the_whole_budget_are_accepted(cast, package, hours):
    item = add(package, cast.director_a, task=cast.task_a, hours=hours)
    item.refresh_from_db()
    assert item.hours == H(hours)


def test_changing_hours_is_validated_the_same_way(cast, package):
    item = add(package, cast.director_a, task=cast.task_a, hours="40")
    before = package_state()
    for hours in ("0", "7.25", "1400"):
        with pytest.raises(ValidationError):
            item_update(
                item=item, actor=cast.director_a, lock_version=lv(package), hours=H(hours), note=""
            )
        assert package_state() == before


def test_a_catalogue_task_is_copied_into_the_item(cast, package, catalogue):
    task = catalogue["groepsbesprekingen"]
    item = add(package, cast.director_a, task=task, hours="48", note="4 rondes")
    item.refresh_from_db()
    assert (item.task, item.title, item.domain, item.is_ib_task, item.not_ib_reason) == (
        task,
        task.title,
        task.domain,
        True,
        "",
    )
    assert item.note == "4 rondes"
    # A later edit of the catalogue does not rewrite the package.
    task.title = "Nieuwe titel"
    task.save()
    item.refresh_from_db()
    assert item.title != "Nieuwe titel"


def test_a_non_ib_task_is_flagged_with_its_reason(cast, package, catalogue):
    task = catalogue["remedial-teaching-leerlingen"]
    assert task.is_ib_task is False and task.not_ib_reason
    item = add(package, cast.director_a, task=task, hours="80")
    item.refresh_from_db()
    assert item.is_ib_task is False
    assert item.not_ib_reason == task.not_ib_reason


def test_an_own_task_needs_a_title_and_a_domain(cast, package):
    zorg = Domain.objects.get(code="zorg")
    before = package_state()
    for title, domain in (("", zorg), ("   ", zorg), ("Schoolreis mee", None)):
        with pytest.raises(ValidationError):
            add(package, cast.director_a, hours="10", title=title, domain=domain)
        assert package_state() == before
    item = add(package, cast.director_a, hours="10", title="  Leesproject  ", domain=zorg)
    assert (item.task, item.title, item.is_ib_task) == (None, "Leesproject", True)


def test_an_inactive_task_is_refused(cast, package):
    cast.task_a.is_active = False
    cast.task_a.save()
    before = package_state()
    with pytest.raises(ValidationError) as error:
        add(package, cast.director_a, task=cast.task_a)
    assert "task" in error.value.message_dict
    assert package_state() == before


def test_another_boards_task_is_refused(cast, package):
    other = f.CatalogueTaskFactory(board=cast.board_b, title="Taak van B")
    before = package_state()
    with pytest.raises(ValidationError) as error:
        add(package, cast.director_a, task=other)
    assert "task" in error.value.message_dict
    assert package_state() == before


# ---------------------------------------------------------------------------
# versions and their differences
# ---------------------------------------------------------------------------


def test_reopen_gives_a_diff_and_keeps_the_agreed_version(cast, package, catalogue):
    director = cast.director_a
    visits = add(package, director, task=catalogue["klassenbezoeken-met-nagesprek"], hours="100")
    add(package, director, task=catalogue["trendanalyse-twee-keer-per-jaar"], hours="48")
    add(package, director, task=catalogue["groepsbesprekingen"], hours="40")
    add(package, director, hours="12", title="Leesproject", domain=visits.domain)
    submit(package, director)
    review(package, cast.ib_a, accept=True, comment="Akkoord.")
    v1 = current_version(package)
    v1_rows = sorted(v1.items.values_list("title", "hours", "task_id"))

    v2 = package_reopen(package=package, actor=director, lock_version=lv(package))
    assert sorted(v2.items.values_list("title", "hours", "task_id")) == v1_rows
    assert version_diff(v1.items.all(), v2.items.all()).is_empty

    by_title = {item.title: item for item in v2.items.all()}
    item_update(
        item=by_title[visits.title],
        actor=director,
        lock_version=lv(package),
        hours=H("80"),
        note="",
    )
    groups = by_title[catalogue["groepsbesprekingen"].title]
    item_remove(item=groups, actor=director, lock_version=lv(package))
    added = add(package, director, task=catalogue["ib-werkplan"], hours="12")
    # A custom task with the same title (any case) counts as the same task: not in the diff.
    item_update(
        item=by_title["Leesproject"],
        actor=director,
        lock_version=lv(package),
        hours=H("12"),
        note="x",
    )

    diff = version_diff(v1.items.all(), v2.items.all())
    assert [item.pk for item in diff.added] == [added.pk]
    assert [item.title for item in diff.removed] == [groups.title]
    assert [(old.title, old.hours, new.hours) for old, new in diff.changed] == [
        (visits.title, H("100"), H("80"))
    ]
    assert not diff.is_empty

    # The agreed version is untouched and still agreed.
    v1.refresh_from_db()
    assert v1.status == S.AGREED and v1.agreed_at is not None
    assert sorted(v1.items.values_list("title", "hours", "task_id")) == v1_rows
    # Its items cannot be changed any more.
    old_item = v1.items.first()
    before = package_state()
    with pytest.raises(ValidationError):
        item_update(item=old_item, actor=director, lock_version=lv(package), hours=H("1"), note="")
    with pytest.raises(ValidationError):
        item_remove(item=old_item, actor=director, lock_version=lv(package))
    assert package_state() == before


def test_version_diff_matches_own_tasks_by_title(db):
    zorg = Domain.objects.get(code="zorg")
    old = [PackageItem(title="Leesproject", domain=zorg, hours=H("10"))]
    new = [PackageItem(title=" leesPROJECT ", domain=zorg, hours=H("12"))]
    diff = version_diff(old, new)
    assert (diff.added, diff.removed, len(diff.changed)) == ([], [], 1)


# ---------------------------------------------------------------------------
# copying last year's package
# ---------------------------------------------------------------------------


@pytest.fixture
def two_years(cast, catalogue):
    """An agreed 2025 package of ib_a at A1, and a 2026 draft on a NEW appointment and share."""
    director = cast.director_a
    y2025 = f.SchoolYearFactory(start_year=2025)
    y2026 = f.SchoolYearFactory(start_year=2026)
    old = package_create(share=cast.appointment_a.shares.get(), school_year=y2025, actor=director)
    for key, hours in (
        ("klassenbezoeken-met-nagesprek", "100"),
        ("trendanalyse-twee-keer-per-jaar", "48"),
        ("remedial-teaching-leerlingen", "40"),
    ):
        add(old, director, task=catalogue[key], hours=hours)
    add(old, director, hours="12", title="Leesproject", domain=Domain.objects.get(code="leren"))
    submit(old, director)
    review(old, cast.ib_a, accept=True)
    cast.appointment_a.end_date = datetime.date(2026, 7, 31)
    cast.appointment_a.save()
    appointment = f.AppointmentFactory(
        board=cast.board_a,
        ib=cast.ib_a,
        start_date=datetime.date(2026, 8, 1),
        shares=[(cast.school_a1, H("0.6"))],
    )
    new_share = appointment.shares.get()
    assert new_share != cast.appointment_a.shares.get()
    new = package_create(share=new_share, school_year=y2026, actor=director)
    return old, new


def test_previous_package_is_found_through_a_new_share(cast, two_years):
    old, new = two_years
    assert previous_package(new) == old
    assert previous_package(old) is None


def test_previous_package_is_not_another_ibs_or_another_schools(cast, two_years):
    old, new = two_years
    # Another IB at the same school in 2025 does not count ...
    other_ib = f.ib(cast.board_a, username="ib_other")
    other = f.AppointmentFactory(
        board=cast.board_a, ib=other_ib, shares=[(cast.school_a1, H("0.2"))]
    )
    package_create(share=other.shares.get(), school_year=old.school_year, actor=cast.director_a)
    # ... nor ib_a at another school.
    at_a2 = f.AppointmentFactory(
        board=cast.board_a,
        ib=cast.ib_a,
        start_date=datetime.date(2026, 8, 1),
        shares=[(cast.school_a2, H("0.2"))],
    )
    director_a2 = f.director(cast.school_a2, username="director_a2")
    elsewhere = package_create(
        share=at_a2.shares.get(), school_year=new.school_year, actor=director_a2
    )
    assert previous_package(new) == old
    assert previous_package(elsewhere) is None


def test_copy_previous_adds_last_years_tasks_once(cast, two_years):
    old, new = two_years
    added = package_copy_previous(package=new, actor=cast.director_a, lock_version=lv(new))
    assert (added.copied, added.inactive) == (4, [])
    rows = sorted(current_version(new).items.values_list("title", "hours", "task_id", "is_ib_task"))
    assert rows == sorted(
        current_version(old).items.values_list("title", "hours", "task_id", "is_ib_task")
    )
    event = last_event(new)
    assert (event.kind, event.actor) == (Kind.COPIED, cast.director_a)
    assert "4" in event.detail and "2025-2026" in event.detail

    # A second copy adds nothing: no duplicates.
    result = package_copy_previous(package=new, actor=cast.director_a, lock_version=lv(new))
    assert result.copied == 0
    assert current_version(new).items.count() == 4
    # Last year's package is untouched.
    assert current_version(old).status == S.AGREED
    assert current_version(old).items.count() == 4


def test_copy_previous_keeps_tasks_already_in_the_package(cast, two_years, catalogue):
    old, new = two_years
    add(new, cast.director_a, task=catalogue["klassenbezoeken-met-nagesprek"], hours="60")
    result = package_copy_previous(package=new, actor=cast.director_a, lock_version=lv(new))
    assert result.copied == 3
    visits = current_version(new).items.get(task=catalogue["klassenbezoeken-met-nagesprek"])
    assert visits.hours == H("60")


def test_copy_previous_takes_the_agreed_version_not_a_reopened_draft(cast, two_years, catalogue):
    old, new = two_years
    package_reopen(package=old, actor=cast.director_a, lock_version=lv(old))
    add(old, cast.director_a, task=catalogue["ib-werkplan"], hours="12")
    result = package_copy_previous(package=new, actor=cast.director_a, lock_version=lv(new))
    assert result.copied == 4
    titles = set(current_version(new).items.values_list("title", flat=True))
    assert catalogue["ib-werkplan"].title not in titles


def test_copy_previous_leaves_out_tasks_the_board_deactivated(cast, two_years, catalogue):
    old, new = two_years
    retired = catalogue["klassenbezoeken-met-nagesprek"]
    assert current_version(old).items.filter(task=retired).exists()
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    result = package_copy_previous(package=new, actor=cast.director_a, lock_version=lv(new))
    assert (result.copied, result.inactive) == (3, [retired.title])
    assert not current_version(new).items.filter(task=retired).exists()
    assert retired.title in last_event(new).detail


def test_copy_without_a_previous_package_is_refused(cast, package):
    before = package_state()
    with pytest.raises(ValidationError):
        package_copy_previous(package=package, actor=cast.director_a, lock_version=lv(package))
    assert package_state() == before


# ---------------------------------------------------------------------------
# who may do what
# ---------------------------------------------------------------------------


@pytest.fixture
def outsiders(cast):
    """Everyone but the school's own director: they must not build the package."""
    return {
        "ib_a": cast.ib_a,
        "staff_a": cast.staff_a,
        "admin_a": cast.admin_a,
        "director_b": cast.director_b,
        "director_a2": f.director(cast.school_a2, username="director_a2"),
        "swv_staff": cast.partnership_staff,
    }


DIRECTOR_SERVICES = {
    "add": lambda p, u, item: add(p, u, task=item.task, hours="10"),
    "update": lambda p, u, item: item_update(
        item=item, actor=u, lock_version=lv(p), hours=H("50"), note=""
    ),
    "sheet": lambda p, u, item: items_update(
        package=p, actor=u, lock_version=lv(p), changes={item.pk: ItemValues(H("50"), "")}
    ),
    "remove": lambda p, u, item: item_remove(item=item, actor=u, lock_version=lv(p)),
    "submit": lambda p, u, item: submit(p, u),
    "copy": lambda p, u, item: package_copy_previous(package=p, actor=u, lock_version=lv(p)),
}


@pytest.mark.parametrize("service", DIRECTOR_SERVICES)
@pytest.mark.parametrize(
    "who", ["ib_a", "staff_a", "admin_a", "director_b", "director_a2", "swv_staff"]
)
def test_only_the_schools_director_changes_a_draft(cast, package, outsiders, service, who):
    item = add(package, cast.director_a, task=cast.task_a, hours="40")
    before = package_state()
    with pytest.raises(PermissionDenied):
        DIRECTOR_SERVICES[service](package, outsiders[who], item)
    assert package_state() == before


@pytest.mark.parametrize(
    "who", ["ib_a", "staff_a", "admin_a", "director_b", "director_a2", "swv_staff"]
)
def test_only_the_schools_director_reopens_or_returns_to_draft(cast, package, outsiders, who):
    bring_to(S.AGREED, package, cast)
    before = package_state()
    with pytest.raises(PermissionDenied):
        package_reopen(package=package, actor=outsiders[who], lock_version=lv(package))
    assert package_state() == before
    package_reopen(package=package, actor=cast.director_a, lock_version=lv(package))
    add(package, cast.director_a, task=f.CatalogueTaskFactory(board=cast.board_a), hours="5")
    submit(package, cast.director_a)
    review(package, cast.ib_a, accept=False, comment="Nee.")
    before = package_state()
    with pytest.raises(PermissionDenied):
        package_to_draft(package=package, actor=outsiders[who], lock_version=lv(package))
    assert package_state() == before


@pytest.mark.parametrize(
    "who", ["ib_a", "staff_a", "admin_a", "director_b", "director_a2", "swv_staff"]
)
def test_only_the_schools_director_creates_a_package(cast, year, outsiders, who):
    with pytest.raises(PermissionDenied):
        package_create(
            share=cast.appointment_a.shares.get(), school_year=year, actor=outsiders[who]
        )
    assert not Package.objects.exists()


@pytest.mark.parametrize("accept", [True, False])
@pytest.mark.parametrize("who", ["director_a", "staff_a", "ib_b", "other_ib_a", "superuser"])
def test_only_the_shares_ib_reviews(cast, package, superuser, who, accept):
    bring_to(S.SUBMITTED, package, cast)
    users = {
        "director_a": cast.director_a,
        "staff_a": cast.staff_a,
        "ib_b": cast.ib_b,
        "other_ib_a": f.ib(cast.board_a, username="other_ib_a"),
        "superuser": superuser,
    }
    before = package_state()
    with pytest.raises(PermissionDenied):
        review(package, users[who], accept=accept, comment="Zelf beslist.")
    assert package_state() == before
    assert mail.outbox == []


def test_a_second_director_of_the_school_may_edit(cast, package):
    second = f.director(cast.school_a1, username="adjunct_a1")
    add(package, second, task=cast.task_a, hours="10")
    assert last_event(package).actor == second


# ---------------------------------------------------------------------------
# concurrent changes: optimistic locking with lock_version
# ---------------------------------------------------------------------------


@pytest.fixture
def two_directors(cast):
    return cast.director_a, f.director(cast.school_a1, username="adjunct_a1")


STALE_CHANGES = {
    "add": lambda p, u, item, stale: item_add(
        package=p, actor=u, lock_version=stale, hours=H("5"), title="Nog iets", domain=item.domain
    ),
    "update": lambda p, u, item, stale: item_update(
        item=item, actor=u, lock_version=stale, hours=H("70"), note="tweede"
    ),
    "sheet": lambda p, u, item, stale: items_update(
        package=p, actor=u, lock_version=stale, changes={item.pk: ItemValues(H("70"), "tweede")}
    ),
    "remove": lambda p, u, item, stale: item_remove(item=item, actor=u, lock_version=stale),
    "submit": lambda p, u, item, stale: package_submit(package=p, actor=u, lock_version=stale),
    "to_draft": lambda p, u, item, stale: package_to_draft(package=p, actor=u, lock_version=stale),
}


@pytest.mark.parametrize("second_change", STALE_CHANGES)
def test_the_second_of_two_changes_on_the_same_page_state_is_refused(
    cast, package, two_directors, second_change
):
    first, second = two_directors
    item = f.PackageItemFactory(version=current_version(package), task=cast.task_a, hours=H("40"))
    # Both directors load the page: lock_version 0.
    stale = lv(package)
    assert stale == 0
    item_update(item=item, actor=first, lock_version=stale, hours=H("60"), note="eerste")
    before = package_state()
    with pytest.raises(PackageConflict):
        STALE_CHANGES[second_change](package, second, item, stale)
    assert package_state() == before
    item.refresh_from_db()
    assert (item.hours, item.note) == (H("60"), "eerste")
    assert lv(package) == 1


def test_a_stale_review_is_refused(cast, package):
    bring_to(S.SUBMITTED, package, cast)
    stale = lv(package)
    # The IB has the package open in two tabs: the first accepts, the second (loaded before
    # that) tries to return it.
    package_review(package=package, actor=cast.ib_a, lock_version=stale, accept=True)
    before = package_state()
    with pytest.raises(PackageConflict):
        package_review(
            package=package, actor=cast.ib_a, lock_version=stale, accept=False, comment="Toch niet"
        )
    assert package_state() == before
    assert status_of(package) == S.AGREED


def test_every_change_bumps_the_lock_version_once(cast, package):
    assert lv(package) == 0
    item = add(package, cast.director_a, task=cast.task_a, hours="40")
    assert lv(package) == 1 == package.lock_version
    item_update(item=item, actor=cast.director_a, lock_version=1, hours=H("41"), note="")
    submit(package, cast.director_a)
    review(package, cast.ib_a, accept=True)
    package_reopen(package=package, actor=cast.director_a, lock_version=lv(package))
    assert lv(package) == 5


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks need PostgreSQL (DATABASE_URL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_updates_on_postgresql_one_wins(cast, package):
    item = add(package, cast.director_a, task=cast.task_a, hours="40")
    stale = lv(package)
    second = f.director(cast.school_a1, username="adjunct_a1")
    users = {H("60"): cast.director_a.pk, H("70"): second.pk}
    barrier = threading.Barrier(2)
    results: dict[Decimal, object] = {}
    real_editable_version = services._editable_version

    def slow_editable_version(package, actor):
        # Runs right after the conditional UPDATE: hold the row lock a moment, so the other
        # thread's UPDATE really waits for this transaction instead of running after it.
        time.sleep(0.3)
        return real_editable_version(package, actor)

    def worker(hours: Decimal) -> None:
        try:
            user = get_user_model().objects.get(pk=users[hours])
            own_item = PackageItem.objects.select_related("version__package").get(pk=item.pk)
            barrier.wait(timeout=10)
            item_update(item=own_item, actor=user, lock_version=stale, hours=hours, note="")
            results[hours] = "saved"
        except PackageConflict:
            results[hours] = "conflict"
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            results[hours] = error
        finally:
            connection.close()

    with mock.patch.object(services, "_editable_version", slow_editable_version):
        threads = [threading.Thread(target=worker, args=(hours,)) for hours in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(map(str, results.values())) == ["conflict", "saved"], results
    (winner,) = [hours for hours, result in results.items() if result == "saved"]
    item.refresh_from_db()
    assert item.hours == winner
    assert lv(package) == stale + 1
    changes = package.events.filter(kind=Kind.ITEM_CHANGED)
    assert changes.count() == 1
    assert changes.get().actor_id == users[winner]


# ---------------------------------------------------------------------------
# e-mail notices
# ---------------------------------------------------------------------------


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://ib.example.invalid/"
    return "https://ib.example.invalid"


def test_submit_mails_the_ib_a_link_after_commit(
    cast, package, site, django_capture_on_commit_callbacks
):
    add(package, cast.director_a, task=cast.task_a, hours="40")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(package, cast.director_a, comment="Zie de extra tijd voor groep 8.")
    assert len(callbacks) == 1
    (message,) = mail.outbox
    assert message.to == [cast.ib_a.email]
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert f"{site}/pakketten/{package.pk}/" in message.body
    assert "Zie de extra tijd voor groep 8." in message.body
    assert cast.school_a1.name in message.subject


def test_no_mail_before_the_commit_nor_for_a_refused_step(
    cast, package, django_capture_on_commit_callbacks
):
    add(package, cast.director_a, task=cast.task_a, hours="40")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(package, cast.director_a)
    assert len(callbacks) == 1 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):
            submit(package, cast.director_a)  # submitted already
        with pytest.raises(PackageConflict):
            package_review(package=package, actor=cast.ib_a, lock_version=0, accept=True)
    assert callbacks == [] and mail.outbox == []


@pytest.mark.parametrize("accept", [True, False])
def test_review_mails_every_director_of_the_school(
    cast, package, site, accept, django_capture_on_commit_callbacks
):
    second = f.director(cast.school_a1, username="adjunct_a1")
    f.director(cast.school_a2, username="director_a2")  # another school: no mail
    bring_to(S.SUBMITTED, package, cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review(package, cast.ib_a, accept=accept, comment="Graag meer tijd voor observaties.")
    # One mail per director: each is sent (and retried) on its own.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [cast.director_a.email, second.email]
    )
    for message in mail.outbox:
        assert len(message.to) == 1
        assert f"{site}/pakketten/{package.pk}/" in message.body
        assert "Graag meer tijd voor observaties." in message.body


def test_review_without_director_addresses_sends_nothing(
    cast, package, django_capture_on_commit_callbacks
):
    bring_to(S.SUBMITTED, package, cast)
    get_user_model().objects.filter(pk=cast.director_a.pk).update(email="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        review(package, cast.ib_a, accept=True)
    assert callbacks == [] and mail.outbox == []


# ---------------------------------------------------------------------------
# history
# ---------------------------------------------------------------------------


def test_history_records_every_step_in_order_with_actor_and_comment(cast, package, catalogue):
    director, ib = cast.director_a, cast.ib_a
    visits = add(package, director, task=catalogue["klassenbezoeken-met-nagesprek"], hours="100")
    groups = add(package, director, task=catalogue["groepsbesprekingen"], hours="48")
    item_update(item=visits, actor=director, lock_version=lv(package), hours=H("90"), note="")
    item_remove(item=groups, actor=director, lock_version=lv(package))
    submit(package, director, comment="Eerste voorstel.")
    review(package, ib, accept=False, comment="Te weinig zorg.")
    add(package, director, task=catalogue["intern-ondersteuningsteam"], hours="40")
    submit(package, director, comment="Tweede voorstel.")
    review(package, ib, accept=True, comment="Akkoord.")
    package_reopen(package=package, actor=director, lock_version=lv(package), comment="Nieuw")

    events = list(package.events.order_by("id"))
    assert [(e.kind, e.version_number, e.actor, e.comment) for e in events] == [
        (Kind.CREATED, 1, director, ""),
        (Kind.ITEM_ADDED, 1, director, ""),
        (Kind.ITEM_ADDED, 1, director, ""),
        (Kind.ITEM_CHANGED, 1, director, ""),
        (Kind.ITEM_REMOVED, 1, director, ""),
        (Kind.SUBMITTED, 1, director, "Eerste voorstel."),
        (Kind.RETURNED, 1, ib, "Te weinig zorg."),
        (Kind.DRAFT, 1, director, ""),
        (Kind.ITEM_ADDED, 1, director, ""),
        (Kind.SUBMITTED, 1, director, "Tweede voorstel."),
        (Kind.AGREED, 1, ib, "Akkoord."),
        (Kind.REOPENED, 2, director, "Nieuw"),
    ]
    details = [e.detail for e in events]
    assert details[1].startswith(visits.title) and "100" in details[1]
    assert details[3].startswith(visits.title) and "100" in details[3] and "90" in details[3]
    assert details[4].startswith(groups.title) and "48" in details[4]
    # The default order of the history is newest first.
    assert list(package.events.all()) == events[::-1]


def test_refused_steps_leave_no_history(cast, package):
    add(package, cast.director_a, task=cast.task_a, hours="40")
    count = package.events.count()
    for attempt in (
        lambda: add(package, cast.director_a, task=cast.task_a, hours="0"),
        lambda: add(package, cast.ib_a, task=cast.task_a, hours="5"),
        lambda: review(package, cast.ib_a, accept=True),
        lambda: package_reopen(package=package, actor=cast.director_a, lock_version=lv(package)),
    ):
        with pytest.raises((ValidationError, PermissionDenied)):
            attempt()
    assert package.events.count() == count


def test_a_task_is_in_a_version_only_once(cast, package):
    add(package, cast.director_a, task=cast.task_a, hours="40")
    add(package, cast.director_a, hours="10", title="Leesproject", domain=cast.task_a.domain)
    before = package_state()
    with pytest.raises(ValidationError):
        add(package, cast.director_a, task=cast.task_a, hours="5")
    with pytest.raises(ValidationError):
        add(package, cast.director_a, hours="5", title=" leesproject ", domain=cast.task_a.domain)
    assert package_state() == before


# ---------------------------------------------------------------------------
# the sheet: several tasks saved at once
# ---------------------------------------------------------------------------


def three_tasks(package, cast) -> list[PackageItem]:
    data = Domain.objects.get(code="data")
    return [
        add(package, cast.director_a, task=cast.task_a, hours="40"),
        add(package, cast.director_a, hours="10", title="Trendanalyse", domain=data),
        add(package, cast.director_a, hours="5", title="Toetskalender", domain=data),
    ]


def test_the_sheet_saves_changed_tasks_with_one_lock_and_one_entry_each(cast, package):
    first, second, third = three_tasks(package, cast)
    lock = lv(package)
    saved = items_update(
        package=package,
        actor=cast.director_a,
        lock_version=lock,
        changes={
            first.pk: ItemValues(H("42.5"), ""),  # hours changed
            second.pk: ItemValues(H("10"), "met de rekencoördinator"),  # only the note
            third.pk: ItemValues(H("5"), ""),  # unchanged: neither written nor logged
        },
    )
    assert {item.pk for item in saved} == {first.pk, second.pk}
    assert lv(package) == lock + 1 == package.lock_version
    events = list(package.events.order_by("id"))[-2:]
    assert [event.kind for event in events] == [Kind.ITEM_CHANGED, Kind.ITEM_CHANGED]
    assert sorted(event.detail for event in events) == [
        "Groepsbesprekingen voeren: 40 uur → 42,5 uur",
        "Trendanalyse: 10 uur; toelichting: “met de rekencoördinator”",
    ]
    assert package.events.count() == 6  # created, three added and these two changed
    assert {item.pk: (item.hours, item.note) for item in current_version(package).items.all()} == {
        first.pk: (H("42.5"), ""),
        second.pk: (H("10"), "met de rekencoördinator"),
        third.pk: (H("5"), ""),
    }


def test_a_sheet_without_changes_locks_and_logs_nothing(cast, package):
    bring_to(S.RETURNED, package, cast)
    item = current_version(package).items.get()
    before = package_state()
    saved = items_update(
        package=package,
        actor=cast.director_a,
        lock_version=lv(package) - 1,  # even a stale page: nothing to save, nothing refused
        changes={item.pk: ItemValues(item.hours, item.note)},
    )
    assert saved == [] and package_state() == before
    assert status_of(package) == S.RETURNED  # not moved back to draft by an empty save


def test_one_bad_row_refuses_the_whole_sheet(cast, package):
    first, second, third = three_tasks(package, cast)
    before = package_state()
    with pytest.raises(ValidationError) as refused:
        items_update(
            package=package,
            actor=cast.director_a,
            lock_version=lv(package),
            changes={
                first.pk: ItemValues(H("30"), ""),
                second.pk: ItemValues(H("1400"), ""),  # more than the budget of 1327.2 h
                third.pk: ItemValues(H("0"), ""),
            },
        )
    assert set(refused.value.error_dict) == {second.pk, third.pk}
    assert package_state() == before


def test_a_task_of_another_version_is_refused_in_the_sheet(cast, package):
    old = bring_to(S.AGREED, package, cast) and current_version(package).items.get()
    package_reopen(package=package, actor=cast.director_a, lock_version=lv(package))
    before = package_state()
    with pytest.raises(ValidationError):
        items_update(
            package=package,
            actor=cast.director_a,
            lock_version=lv(package),
            changes={old.pk: ItemValues(H("1"), "")},
        )
    assert package_state() == before


def test_over_budget_hours_of_the_current_version(cast, package):
    assert over_budget_hours(package) == 0
    add(package, cast.director_a, task=cast.task_a, hours="1300")
    assert over_budget_hours(package) == 0  # 1300 of 1327.2
    add(package, cast.director_a, hours="70", title="Extra", domain=Domain.objects.first())
    assert over_budget_hours(package) == H("42.8")  # 1370 - 1327.2
