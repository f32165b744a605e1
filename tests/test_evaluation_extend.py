"""Board staff give a late year-end evaluation more time (issue 14): who, how far, the lock,
the history, and the page that offers it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from schools.models import SchoolYear
from tasks import evaluation as ev
from tasks.models import Package, PackageEvent, PackageStatus
from tasks.packages import PackageConflict

from . import factories as f
from .conftest import add_package_a
from .test_evaluation import ALL_RATED, add_goal, agree, fresh, hold, lv, rate, start, year_end_open

Y = SchoolYear.current_start_year()


@pytest.fixture
def agreed_now(cast) -> Package:
    """This year's package with a goal, agreed_now; its evaluation open today."""
    package = add_package_a(cast)
    add_goal(package, "Beter begrijpend lezen")
    add_goal(package, "Data bespreken met het team", "data")
    agree(package, cast.director_a, cast.ib_a)
    year_end_open(cast.board_a)
    return fresh(package)


def late_package(cast) -> Package:
    """An agreed_now package of two school years ago: its evaluation closed long ago."""
    package = f.PackageFactory(
        share=cast.appointment_a.shares.get(),
        school_year=f.SchoolYearFactory(start_year=Y - 2),
        status=PackageStatus.AGREED,
    )
    return fresh(package)


def extend(package, actor, until, **kwargs) -> None:
    ev.extend(package=package, actor=actor, until=until, **(lv(package) | kwargs))


def test_board_staff_give_more_time_and_the_history_says_so(cast, agreed_now):
    usual = ev.open_until(agreed_now)
    until = usual + datetime.timedelta(days=30)
    extend(agreed_now, cast.staff_a, until)
    package = fresh(agreed_now)
    assert package.evaluation_until == until and ev.open_until(package) == until
    event = package.events.get(kind=PackageEvent.Kind.EVALUATION_EXTENDED)
    assert event.actor == cast.staff_a
    # After the usual close the IB still rates, until the new last day and not after it.
    start(package, cast.ib_a)
    rate(package, cast.ib_a, ALL_RATED, ready=True, today=usual + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        rate(package, cast.ib_a, ALL_RATED, today=until + datetime.timedelta(days=1))
    version = rs_agreed(package)
    assert "de datum die het bestuur gaf" in ev.closed_reason(
        package, version, until + datetime.timedelta(days=1)
    )


def rs_agreed(package):
    from tasks import realisation as rs

    return rs.agreed_version(package.versions.all())


@pytest.mark.parametrize("who", ["ib_a", "director_a", "staff_b"])
def test_only_the_boards_staff_give_more_time(cast, agreed_now, who):
    with pytest.raises(PermissionDenied):
        extend(
            agreed_now, getattr(cast, who), ev.open_until(agreed_now) + datetime.timedelta(days=9)
        )
    assert fresh(agreed_now).evaluation_until is None


def test_the_new_day_is_later_than_the_usual_one_and_within_the_next_school_year(cast, agreed_now):
    usual = ev.open_until(agreed_now)
    with pytest.raises(ValidationError) as early:
        extend(agreed_now, cast.staff_a, usual)
    assert "until" in early.value.error_dict
    latest = ev.latest_extension(agreed_now)
    with pytest.raises(ValidationError) as late:
        extend(agreed_now, cast.staff_a, latest + datetime.timedelta(days=1))
    assert "until" in late.value.error_dict
    extend(agreed_now, cast.staff_a, latest)
    assert fresh(agreed_now).evaluation_until == latest


def test_a_closed_evaluation_needs_no_more_time(cast, agreed_now):
    start(agreed_now, cast.ib_a)
    rate(agreed_now, cast.ib_a, ALL_RATED, ready=True)
    hold(agreed_now, cast.director_a)
    with pytest.raises(ValidationError):
        extend(
            fresh(agreed_now), cast.staff_a, ev.open_until(agreed_now) + datetime.timedelta(days=9)
        )


def test_a_stale_form_is_refused_and_writes_nothing(cast, agreed_now):
    until = ev.open_until(agreed_now) + datetime.timedelta(days=9)
    stale = lv(agreed_now)["lock_version"]
    extend(agreed_now, cast.staff_a, until)
    with pytest.raises(PackageConflict):
        extend(
            fresh(agreed_now), cast.staff_a, until + datetime.timedelta(days=1), lock_version=stale
        )
    assert fresh(agreed_now).evaluation_until == until


def test_a_stale_page_keeps_the_typed_day_beside_the_saved_one(client, cast, agreed_now):
    until = ev.open_until(agreed_now) + datetime.timedelta(days=9)
    stale = lv(agreed_now)
    extend(agreed_now, cast.staff_a, until)
    client.force_login(cast.staff_a)
    typed = until + datetime.timedelta(days=5)
    response = client.post(
        reverse("tasks:evaluation-extend", args=[agreed_now.pk]),
        {"until": typed.isoformat(), **stale},
    )
    assert response.status_code == 409
    assert f'value="{typed.isoformat()}"' in response.text
    assert fresh(agreed_now).evaluation_until == until


def test_the_page_offers_it_to_board_staff_and_tells_the_school_whom_to_ask(client, cast):
    """Last year's evaluation, closed on 31 October: the director reads whom to ask, board
    staff give a later day, and the director can start it again."""
    package = fresh(
        f.PackageFactory(
            share=cast.appointment_a.shares.get(),
            school_year=f.SchoolYearFactory(start_year=Y - 1),
            status=PackageStatus.AGREED,
        )
    )
    url = reverse("tasks:package-evaluation", args=[package.pk])
    target = reverse("tasks:evaluation-extend", args=[package.pk])
    client.force_login(cast.director_a)
    page = client.get(url)
    assert page.status_code == 200 and 'id="extend-form"' not in page.text
    assert "bestuursbureau kan de evaluatie meer tijd geven" in page.text
    assert client.post(target, {"until": "2099-01-01", **lv(package)}).status_code == 403

    client.force_login(cast.staff_a)
    assert 'id="extend-form"' in client.get(url).text
    too_late = client.post(target, {"until": "2099-01-01", **lv(package)})
    assert too_late.status_code == 200 and 'value="2099-01-01"' in too_late.text
    assert "einde van het volgende schooljaar" in too_late.text
    until = ev.latest_extension(package)
    done = client.post(target, {"until": until.isoformat(), **lv(package)})
    assert done.status_code == 302 and fresh(package).evaluation_until == until

    client.force_login(cast.director_a)
    page = client.get(url)
    assert 'id="evaluation-start"' in page.text
    assert "Het bestuur gaf deze evaluatie tot" in page.text


def test_nothing_to_give_once_the_next_school_year_has_ended_too(client, cast):
    package = fresh(
        f.PackageFactory(
            share=cast.appointment_a.shares.get(),
            school_year=f.SchoolYearFactory(start_year=Y - 2),
            status=PackageStatus.AGREED,
        )
    )
    client.force_login(cast.staff_a)
    page = client.get(reverse("tasks:package-evaluation", args=[package.pk]))
    assert page.status_code == 200 and 'id="extend-form"' not in page.text
    assert "meer tijd geven" not in page.text


def test_the_director_and_the_ib_are_reminded_until_the_later_day(cast):
    """After 31 October the evaluation drops off the to-do lists, unless board staff gave it
    a later day: then the director is asked to hold it and the IB to rate, until that day."""
    from schools.todo import items_for

    package = fresh(
        f.PackageFactory(
            share=cast.appointment_a.shares.get(),
            school_year=f.SchoolYearFactory(start_year=Y - 1),
            status=PackageStatus.AGREED,
        )
    )
    usual = ev.open_until(package)
    after = usual + datetime.timedelta(days=10)

    def kinds(user, day):
        return {item.kind for item in items_for(user, day)}

    assert "evaluation-hold" not in kinds(cast.director_a, after)
    ev.extend(
        package=package,
        actor=cast.staff_a,
        lock_version=package.lock_version,
        until=usual + datetime.timedelta(days=30),
        today=after,
    )
    assert "evaluation-hold" in kinds(cast.director_a, after)
    assert "evaluation-hold" not in kinds(cast.director_a, usual + datetime.timedelta(days=31))


def test_the_date_picker_offers_only_the_days_the_board_may_give(client, cast, agreed_now):
    client.force_login(cast.staff_a)
    page = client.get(reverse("tasks:package-evaluation", args=[agreed_now.pk]))
    earliest = ev.open_until(agreed_now) + datetime.timedelta(days=1)
    assert f'min="{earliest.isoformat()}"' in page.text
    assert f'max="{ev.latest_extension(agreed_now).isoformat()}"' in page.text
