"""No silent overwrite: every edit form carries the version it was loaded with.

Each form is loaded twice from the same version (two people, or two tabs: two clients). The
first save goes through; the second is refused with HTTP 409, nothing of it is written, the
page shows the saved value beside the user's input, keeps the input in the fields and now
carries the current version, so saving once more is a deliberate choice that goes through.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from competencies.models import AssessmentRound, Framework
from core.versioning import StaleEdit, claim_version
from schools.models import Appointment, Board, School, SchoolFigures
from schools.services import figures_save
from tasks.models import CatalogueTask

from . import factories as f
from .competency_factories import assessment_round, matrix_framework
from .framework_data import framework_edit_data
from .test_access import appointment_form_data, catalogue_task_data
from .test_admin import admin_appointment_data, admin_url


def nl(text: str) -> str:
    """The Dutch text users see for an English message id (the pages are Dutch by default)."""
    with translation.override("nl"):
        return gettext(text)


def page_version(response) -> str:
    """The version in the page's hidden field, as the browser would send it back."""
    pattern = r'<input type="hidden" name="lock_version"(?: value="(\d*)")?'
    found = re.findall(pattern, response.text)
    assert len(found) == 1, found
    return found[0]


def notice_columns(response) -> tuple[str, str]:
    """The saved values and the user's input as the stale notice lists them."""
    text = response.text
    saved = re.findall(r'<td class="stale-saved">(.*?)</td>', text, re.S)
    yours = re.findall(r'<td class="stale-yours">(.*?)</td>', text, re.S)
    return html.unescape(" | ".join(saved)), html.unescape(" | ".join(yours))


def after_notice(response) -> str:
    """The page below the stale notice: the form with the user's input."""
    return response.text.split('id="stale-notice"', 1)[1].split("</table>", 1)[1]


@dataclass(frozen=True)
class EditForm:
    user: str
    url: Callable  # cast -> url
    data: Callable  # (cast, value) -> a valid POST that sets the value
    saved: Callable  # cast -> the value as stored now
    values: tuple[str, str]  # what the first and the second session type
    kept: Callable[[str], str] = lambda value: value  # the input as the form shows it again


def round_cells_data(round_: AssessmentRound, value: str) -> dict:
    level = round_.framework.levels.first()
    data = {"action": "save"}
    for cell in round_.framework.cells.all():
        data[f"level_{cell.pk}"] = level.pk
        data[f"text_{cell.pk}"] = value
    return data


def ib_round(cast) -> AssessmentRound:
    return AssessmentRound.objects.get(ib=cast.ib_a, status=AssessmentRound.Status.DRAFT)


def shared_round(cast) -> AssessmentRound:
    return AssessmentRound.objects.get(shared_with=cast.director_a)


def first_share_fte(cast) -> str:
    share = Appointment.objects.get(pk=cast.appointment_a.pk).shares.get()
    return str(share.fte.normalize()).replace(".", ",")


FORMS = {
    "board": EditForm(
        user="staff_a",
        url=lambda c: reverse("schools:board-edit", args=[c.board_a.pk]),
        data=lambda c, value: {
            "name": value,
            "hours_per_fte": "1659",
            "reserved_hours_per_fte": "0",
            "min_ib_fte": "0,5",
            "salary_scales": "LB, LC",
            **f.BOARD_NORM_POST,
        },
        saved=lambda c: Board.objects.get(pk=c.board_a.pk).name,
        values=("Bestuur A eerst", "Bestuur A daarna"),
    ),
    "school": EditForm(
        user="staff_a",
        url=lambda c: reverse("schools:school-edit", args=[c.school_a1.pk]),
        data=lambda c, value: {
            "name": value,
            "brin": "11AA",
            "location_code": "00",
            "place": "Veldhoven",
            "partnership": c.partnership.pk,
            "directors": [c.director_a.pk],
        },
        saved=lambda c: School.objects.get(pk=c.school_a1.pk).name,
        values=("School A1 eerst", "School A1 daarna"),
    ),
    "figures": EditForm(
        user="staff_a",
        url=lambda c: reverse(
            "schools:figures-edit",
            args=[c.school_a1.pk, c.figures_a1.school_year.start_year],
        ),
        data=lambda c, value: {"pupils": value, "groups": "12"},
        saved=lambda c: str(SchoolFigures.objects.get(pk=c.figures_a1.pk).pupils),
        values=("301", "302"),
    ),
    "appointment": EditForm(
        user="staff_a",
        url=lambda c: reverse("schools:appointment-edit", args=[c.appointment_a.pk]),
        data=lambda c, value: {
            **appointment_form_data(
                c, ib=c.ib_a, start="2025-08-01", shares=[(c.school_a1, value)]
            ),
            "shares-INITIAL_FORMS": "1",
        },
        saved=first_share_fte,
        values=("0,7", "0,6"),
    ),
    "catalogue task": EditForm(
        user="staff_a",
        url=lambda c: reverse("tasks:task-edit", args=[c.task_a.pk]),
        data=lambda c, value: catalogue_task_data(title=value),
        saved=lambda c: CatalogueTask.objects.get(pk=c.task_a.pk).title,
        values=("Groepsbesprekingen eerst", "Groepsbesprekingen daarna"),
    ),
    "framework": EditForm(
        user="staff_a",
        url=lambda c: reverse(
            "competencies:framework-edit",
            args=[Framework.objects.get(board=c.board_a, rounds=None).pk],
        ),
        data=lambda c, value: {
            key: item
            for key, item in framework_edit_data(
                Framework.objects.get(board=c.board_a, rounds=None), name=value
            ).items()
            if key != "lock_version"
        },
        saved=lambda c: Framework.objects.get(board=c.board_a, rounds=None).name,
        values=("Matrix eerst", "Matrix daarna"),
    ),
    "self-assessment": EditForm(
        user="ib_a",
        url=lambda c: reverse("competencies:round-detail", args=[ib_round(c).pk]),
        data=lambda c, value: round_cells_data(ib_round(c), value),
        saved=lambda c: ib_round(c).ratings.first().evidence,
        values=("Klassenbezoek", "Groepsbespreking"),
    ),
    "director's view": EditForm(
        user="director_a",
        url=lambda c: reverse("competencies:round-detail", args=[shared_round(c).pk]),
        data=lambda c, value: round_cells_data(shared_round(c), value),
        saved=lambda c: shared_round(c).director_views.first().note,
        values=("Sterk in gesprekken", "Groeit in analyse"),
    ),
}

# The round page is read with GET; its form posts to its own action.
POST_URLS = {
    "self-assessment": lambda c: reverse("competencies:round-ratings", args=[ib_round(c).pk]),
    "director's view": lambda c: reverse(
        "competencies:round-director-view", args=[shared_round(c).pk]
    ),
}


@pytest.fixture
def with_rounds(cast):
    """A framework of board A, a draft round of its IB and a completed one shared with the
    director."""
    matrix_framework(cast.board_a, rows=1, columns=2, name="Matrix")  # in no round: edited
    framework = matrix_framework(cast.board_a, rows=1, columns=2, name="Rondes")
    assessment_round(cast.ib_a, framework, completed=False)
    assessment_round(cast.ib_a, framework, shared_with=cast.director_a)
    return cast


def session(cast, user: str) -> Client:
    client = Client()
    client.force_login(cast.user(user))
    return client


@pytest.mark.parametrize("name", FORMS)
def test_second_save_from_the_same_version_is_refused(with_rounds, name):
    cast, spec = with_rounds, FORMS[name]
    url = spec.url(cast)
    post_url = POST_URLS.get(name, lambda c: url)(cast)
    first, second = session(cast, spec.user), session(cast, spec.user)
    version = page_version(first.get(url))
    assert page_version(second.get(url)) == version
    mine, theirs = spec.values

    # The happy path: the first save goes through.
    response = first.post(post_url, {**spec.data(cast, mine), "lock_version": version})
    assert response.status_code == 302
    assert spec.saved(cast) == mine

    # The second session's page is now outdated: refused, nothing overwritten.
    response = second.post(post_url, {**spec.data(cast, theirs), "lock_version": version})
    assert response.status_code == 409
    assert spec.saved(cast) == mine
    assert nl("Someone else changed this in the meantime. Nothing of yours has been saved.") in (
        html.unescape(response.text)
    )
    saved_column, your_column = notice_columns(response)
    assert mine in saved_column and theirs not in saved_column
    assert theirs in your_column
    assert theirs in after_notice(response)  # the input stays in the form
    renewed = page_version(response)
    assert renewed != version

    # Saving the kept input once more, on purpose, goes through.
    response = second.post(post_url, {**spec.data(cast, theirs), "lock_version": renewed})
    assert response.status_code == 302
    assert spec.saved(cast) == theirs


def test_form_without_a_version_is_refused_for_an_existing_object(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:school-edit", args=[cast.school_a1.pk])
    data = FORMS["school"].data(cast, "Zonder versie")
    response = client.post(url, data)
    assert response.status_code == 200
    message = nl("The form is incomplete; reload the page and try again.")
    assert response.context["form"].non_field_errors() == [message]
    assert message in html.unescape(response.text)  # shown, not hidden with the field
    garbled = client.post(url, {**data, "lock_version": "-1"})
    assert garbled.context["form"].non_field_errors() == [message]
    assert School.objects.get(pk=cast.school_a1.pk).name != "Zonder versie"


def test_figures_added_meanwhile_refuse_the_second_new_entry(cast):
    """Two people open the figures of a year that has none yet: the second is refused."""
    first, second = session(cast, "staff_a"), session(cast, "staff_a")
    url = reverse("schools:figures-edit", args=[cast.school_a1.pk, 2033])
    assert page_version(first.get(url)) == page_version(second.get(url)) == ""
    assert first.post(url, {"pupils": "200", "groups": "9", "lock_version": ""}).status_code == 302
    response = second.post(url, {"pupils": "210", "groups": "9", "lock_version": ""})
    assert response.status_code == 409
    assert cast.school_a1.figures.get(school_year__start_year=2033).pupils == 200
    assert page_version(response) == "0"


def test_appointment_conflict_lists_the_shares(cast):
    first, second = session(cast, "staff_a"), session(cast, "staff_a")
    spec = FORMS["appointment"]
    url = spec.url(cast)
    version = page_version(first.get(url))
    first.post(url, {**spec.data(cast, "0,7"), "lock_version": version})
    response = second.post(url, {**spec.data(cast, "0,5"), "lock_version": version})
    saved_column, your_column = notice_columns(response)
    assert f"{cast.school_a1} 0,70 fte" in saved_column
    assert f"{cast.school_a1} 0,50 fte" in your_column
    assert nl("Shares per school") in html.unescape(response.text)


def test_framework_row_added_meanwhile_refuses_an_open_edit_page(client, cast):
    framework = matrix_framework(cast.board_a, rows=1, columns=2)
    client.force_login(cast.staff_a)
    url = reverse("competencies:framework-edit", args=[framework.pk])
    data = framework_edit_data(framework, name="Na toevoegen")
    data["lock_version"] = page_version(client.get(url))
    add_url = reverse("competencies:framework-row-add", args=[framework.pk])
    columns = framework.columns.all()
    added = {"title": "Nieuwe rol", "description": "", **{f"cell_{c.pk}": "x" for c in columns}}
    assert client.post(add_url, added).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 409
    assert Framework.objects.get(pk=framework.pk).name == "Matrix"


# ---------------------------------------------------------------------------
# the mechanism itself
# ---------------------------------------------------------------------------


def test_every_save_moves_the_version_on_also_outside_the_forms(cast):
    """The management site saves without a form version: a page opened before is refused."""
    board = Board.objects.get(pk=cast.board_a.pk)
    before = board.lock_version
    board.name = "Via beheer"
    board.save()
    assert board.lock_version == before + 1  # read back from the database
    board.save(update_fields=["name"])
    assert Board.objects.get(pk=board.pk).lock_version == before + 2
    with pytest.raises(StaleEdit), transaction.atomic():
        claim_version(board, before)


def test_stale_claim_writes_nothing(cast):
    figures = SchoolFigures.objects.get(pk=cast.figures_a1.pk)
    with pytest.raises(StaleEdit):
        figures_save(
            school=cast.school_a1,
            start_year=figures.school_year.start_year,
            pupils=999,
            groups=1,
            lock_version=figures.lock_version + 5,
        )
    figures.refresh_from_db()
    assert figures.pupils != 999


@pytest.mark.django_db(transaction=True)
def test_claim_belongs_inside_a_transaction(cast):
    with pytest.raises(RuntimeError):
        claim_version(Board.objects.get(pk=cast.board_a.pk), 0)


def test_claim_moves_the_version_once(cast):
    board = Board.objects.get(pk=cast.board_a.pk)
    version = board.lock_version
    with transaction.atomic():
        claim_version(board, version)
        board.min_ib_fte = D("0.4")
        board.save()
    assert Board.objects.get(pk=board.pk).lock_version == version + 1


def test_a_save_in_the_management_site_refuses_a_portal_form_opened_before(cast):
    """The admin keeps its own behaviour, but its save moves the version on."""
    appointment = cast.appointment_a
    share = appointment.shares.get()
    portal, beheer = session(cast, "staff_a"), session(cast, "admin_a")
    spec = FORMS["appointment"]
    version = page_version(portal.get(spec.url(cast)))
    data = admin_appointment_data(
        cast, ib=cast.ib_a, shares=[(cast.school_a1, "0.8")], start_date="2025-08-01"
    )
    data.update(
        {
            "shares-INITIAL_FORMS": "1",
            "shares-0-id": share.pk,
            "shares-0-appointment": appointment.pk,
            "salary_scale": "LC",
        }
    )
    response = beheer.post(admin_url(Appointment, "change", appointment.pk), data)
    assert response.status_code == 302
    assert Appointment.objects.get(pk=appointment.pk).lock_version > int(version)
    response = portal.post(spec.url(cast), {**spec.data(cast, "0,6"), "lock_version": version})
    assert response.status_code == 409
    assert first_share_fte(cast) == "0,8"


@pytest.mark.django_db(transaction=True)
def test_refusal_holds_with_committed_transactions(cast):
    """The same two sessions outside a test transaction: each save commits on its own."""
    spec = FORMS["board"]
    first, second = session(cast, "staff_a"), session(cast, "staff_a")
    url = spec.url(cast)
    version = page_version(first.get(url))
    assert page_version(second.get(url)) == version
    assert first.post(url, {**spec.data(cast, "Eerst"), "lock_version": version}).status_code == 302
    response = second.post(url, {**spec.data(cast, "Daarna"), "lock_version": version})
    assert response.status_code == 409
    assert spec.saved(cast) == "Eerst"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_one_wins_on_postgresql(cast):
    """Two transactions claim the same version at the same moment: the second UPDATE waits
    for the first one's row lock, then finds the version moved on and writes nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite serialises writers)")
    pk, version = cast.board_a.pk, Board.objects.get(pk=cast.board_a.pk).lock_version
    ready = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def save(name: str) -> None:
        try:
            with transaction.atomic():
                board = Board.objects.get(pk=pk)
                ready.wait()
                claim_version(board, version)
                board.name = name
                board.save()
                time.sleep(0.3)  # hold the row while the other one tries
            outcomes.append(name)
        except StaleEdit:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("Een", "Twee")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) in (["Een", "stale"], ["Twee", "stale"])
    winner = next(name for name in outcomes if name != "stale")
    board = Board.objects.get(pk=pk)
    assert (board.name, board.lock_version) == (winner, version + 1)


def test_a_version_posted_to_a_create_form_is_ignored(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:appointment-create", args=[cast.board_a.pk])
    ib = f.ib(cast.board_a)
    data = appointment_form_data(cast, ib=ib, start="2026-08-01", shares=[(cast.school_a2, "0,4")])
    response = client.post(url, {**data, "lock_version": "7"})
    assert response.status_code == 302
    assert Appointment.objects.filter(ib=ib).exists()
