"""Self-assessment rounds: lifecycle, sharing, the director's view, conversation, trend, privacy."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies import rounds
from competencies.models import (
    AssessmentRound,
    Cell,
    Conversation,
    DirectorView,
    Framework,
    FrameworkColumn,
    FrameworkRow,
    Rating,
)
from schools.models import Role

from . import factories as f
from .competency_factories import add_levels, assessment_round, matrix_framework


@pytest.fixture
def framework(cast) -> Framework:
    return matrix_framework(cast.board_a)


@pytest.fixture
def draft(cast, framework) -> AssessmentRound:
    return rounds.round_start(ib=cast.ib_a, framework=framework)


def level(framework: Framework, number: int):
    return framework.levels.get(number=number)


def all_cells(framework: Framework, number: int, text: str = "Bewijs") -> dict:
    return {cell.pk: (level(framework, number), text) for cell in framework.cells.all()}


def detail(round_: AssessmentRound) -> str:
    return reverse("competencies:round-detail", args=[round_.pk])


# ---------------------------------------------------------------------------------------------
# lifecycle
# ---------------------------------------------------------------------------------------------


def test_start_creates_an_empty_rating_per_cell(cast, draft, framework):
    assert draft.status == AssessmentRound.Status.DRAFT
    assert draft.board == cast.board_a
    assert draft.ratings.count() == framework.cells.count() == 6
    assert not draft.ratings.filter(level__isnull=False).exists()


def test_only_an_ib_of_the_board_starts_a_round(cast, framework):
    with pytest.raises(PermissionDenied):
        rounds.round_start(ib=cast.ib_b, framework=framework)
    with pytest.raises(PermissionDenied):
        rounds.round_start(ib=cast.director_a, framework=framework)


def test_a_replaced_framework_version_cannot_be_started(cast, framework):
    Framework.objects.create(
        board=cast.board_a, name="Matrix", kind="matrix", version=2, previous=framework
    )
    with pytest.raises(ValidationError):
        rounds.round_start(ib=cast.ib_a, framework=framework)


def test_draft_to_completed_then_no_more_edits(cast, draft, framework):
    rounds.ratings_save(round=draft, actor=cast.ib_a, data=all_cells(framework, 3))
    assert set(draft.ratings.values_list("level__number", flat=True)) == {3}
    missing = rounds.round_complete(round=draft, actor=cast.ib_a)
    draft.refresh_from_db()
    assert missing == 0
    assert draft.status == AssessmentRound.Status.COMPLETED and draft.completed_at
    with pytest.raises(ValidationError):
        rounds.ratings_save(round=draft, actor=cast.ib_a, data=all_cells(framework, 1))
    with pytest.raises(ValidationError):
        rounds.round_complete(round=draft, actor=cast.ib_a)


def test_completing_with_empty_cells_is_allowed_and_counted(cast, draft, framework):
    first = framework.cells.first()
    rounds.ratings_save(round=draft, actor=cast.ib_a, data={first.pk: (level(framework, 2), "")})
    assert rounds.round_complete(round=draft, actor=cast.ib_a) == 5


def test_only_the_ib_fills_in(cast, draft, framework):
    with pytest.raises(PermissionDenied):
        rounds.ratings_save(round=draft, actor=cast.director_a, data=all_cells(framework, 2))


def test_cells_of_another_framework_are_refused(cast, draft):
    other = matrix_framework(cast.board_a, name="Ander")
    with pytest.raises(ValidationError):
        rounds.ratings_save(round=draft, actor=cast.ib_a, data=all_cells(other, 2))


def test_completing_with_empty_levels_asks_first(client, cast, draft, framework):
    client.force_login(cast.ib_a)
    cells = list(framework.cells.all())
    data = {"action": "complete", "lock_version": draft.lock_version}
    for cell in cells[:4]:
        data[f"level_{cell.pk}"] = level(framework, 4).pk
        data[f"text_{cell.pk}"] = "Klassenbezoek"
    url = reverse("competencies:round-ratings", args=[draft.pk])
    response = client.post(url, data, follow=True)
    draft.refresh_from_db()
    assert draft.status == AssessmentRound.Status.DRAFT  # not yet: the IB is asked
    assert draft.ratings.filter(level__number=4, evidence="Klassenbezoek").count() == 4
    assert "2 competenties hebben nog geen niveau." in response.text
    assert 'value="complete_anyway"' in response.text

    response = client.post(
        url, {**data, "action": "complete_anyway", "lock_version": draft.lock_version}, follow=True
    )
    draft.refresh_from_db()
    assert draft.status == AssessmentRound.Status.COMPLETED
    assert "2 competenties hebben geen niveau." in response.text


def test_completing_a_full_round_asks_first_too(client, cast, draft, framework):
    client.force_login(cast.ib_a)
    data = {"action": "complete", "lock_version": draft.lock_version}
    for cell in framework.cells.all():
        data[f"level_{cell.pk}"] = level(framework, 3).pk
    url = reverse("competencies:round-ratings", args=[draft.pk])
    response = client.post(url, data, follow=True)
    draft.refresh_from_db()
    # Completing cannot be undone: the levels are saved, the IB is asked once more.
    assert draft.status == AssessmentRound.Status.DRAFT
    assert draft.ratings.filter(level__number=3).count() == framework.cells.count()
    assert response.redirect_chain[-1][0].endswith("?afronden=1")
    assert 'value="complete_anyway"' in response.text
    client.post(url, {**data, "action": "complete_anyway", "lock_version": draft.lock_version})
    draft.refresh_from_db()
    assert draft.status == AssessmentRound.Status.COMPLETED


def test_ratings_form_rerenders_input_on_error(client, cast, draft, framework):
    client.force_login(cast.ib_a)
    cell = framework.cells.first()
    data = {f"level_{cell.pk}": "999999", f"text_{cell.pk}": "Mijn bewijs", "action": "save"}
    response = client.post(reverse("competencies:round-ratings", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "Mijn bewijs" in response.text
    assert response.context["form"].errors
    assert not Rating.objects.filter(round=draft, evidence="Mijn bewijs").exists()


# ---------------------------------------------------------------------------------------------
# sharing
# ---------------------------------------------------------------------------------------------


def test_share_goes_to_the_personnel_responsible_director(cast, framework):
    round_ = assessment_round(cast.ib_a, framework)
    result = rounds.round_share(round=round_, actor=cast.ib_a)
    round_.refresh_from_db()
    assert result.director == cast.director_a and result.others == []
    assert round_.shared_with == cast.director_a and round_.shared_at


def test_a_draft_cannot_be_shared(cast, draft):
    with pytest.raises(ValidationError):
        rounds.round_share(round=draft, actor=cast.ib_a)


def test_only_the_ib_shares(cast, framework):
    round_ = assessment_round(cast.ib_a, framework)
    with pytest.raises(PermissionDenied):
        rounds.round_share(round=round_, actor=cast.director_a)


def test_share_refused_without_a_director(cast, framework):
    cast.director_a.memberships.all().delete()
    round_ = assessment_round(cast.ib_a, framework)
    with pytest.raises(ValidationError, match="geen personeelsverantwoordelijke directeur"):
        rounds.round_share(round=round_, actor=cast.ib_a)


def test_share_refused_without_a_current_appointment(cast, framework):
    cast.appointment_a.end_date = datetime.date(2025, 12, 31)
    cast.appointment_a.save()
    round_ = assessment_round(cast.ib_a, framework)
    with pytest.raises(ValidationError):
        rounds.round_share(round=round_, actor=cast.ib_a)


def test_several_directors_share_with_the_first_and_say_so(client, cast, framework):
    second = f.director(cast.school_a1, username="director_a2")
    round_ = assessment_round(cast.ib_a, framework)
    client.force_login(cast.ib_a)
    response = client.post(reverse("competencies:round-share", args=[round_.pk]), follow=True)
    round_.refresh_from_db()
    assert round_.shared_with in (cast.director_a, second)
    assert "meerdere personeelsverantwoordelijke co-directeuren" in response.text


def test_the_largest_share_decides(cast, framework):
    other = f.director(cast.school_a2, username="director_a2")
    cast.appointment_a.shares.all().delete()
    cast.appointment_a.shares.create(school=cast.school_a1, fte=Decimal("0.2"))
    cast.appointment_a.shares.create(school=cast.school_a2, fte=Decimal("0.6"))
    round_ = assessment_round(cast.ib_a, framework)
    assert rounds.round_share(round=round_, actor=cast.ib_a).director == other


def test_two_schools_of_one_director_decide_over_a_larger_single_share(cast, framework):
    school_a3 = f.SchoolFactory(board=cast.board_a)
    cast.director_a.memberships.create(role=Role.DIRECTOR, school=school_a3)
    f.director(cast.school_a2, username="director_a2")
    cast.appointment_a.shares.all().delete()
    cast.appointment_a.shares.create(school=cast.school_a1, fte=Decimal("0.2"))
    cast.appointment_a.shares.create(school=school_a3, fte=Decimal("0.2"))
    cast.appointment_a.shares.create(school=cast.school_a2, fte=Decimal("0.3"))
    round_ = assessment_round(cast.ib_a, framework)
    assert rounds.round_share(round=round_, actor=cast.ib_a).director == cast.director_a


def test_share_refused_while_the_director_is_to_be_chosen(cast, framework):
    f.director(cast.school_a2, username="director_a2")
    cast.appointment_a.shares.all().update(fte=Decimal("0.4"))
    cast.appointment_a.shares.create(school=cast.school_a2, fte=Decimal("0.4"))
    round_ = assessment_round(cast.ib_a, framework)
    with pytest.raises(ValidationError, match="nog te kiezen"):
        rounds.round_share(round=round_, actor=cast.ib_a)
    round_.refresh_from_db()
    assert round_.shared_with is None


def test_unshare_hides_the_round_and_the_directors_views(client, cast, framework):
    round_ = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)
    rounds.director_views_save(
        round=round_, actor=cast.director_a, data=all_cells(framework, 4, "Zie ik anders")
    )
    rounds.round_unshare(round=round_, actor=cast.ib_a)
    assert DirectorView.objects.filter(round=round_).count() == 6  # stored, not deleted
    client.force_login(cast.director_a)
    assert client.get(detail(round_)).status_code == 404
    client.force_login(cast.ib_a)
    response = client.get(detail(round_))
    assert "Zie ik anders" not in response.text
    assert not any(entry["differs"] for entry in response.context["entries"])


def test_a_second_director_does_not_overwrite_the_first_ones_views(client, cast, framework):
    round_ = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)
    rounds.director_views_save(
        round=round_, actor=cast.director_a, data=all_cells(framework, 4, "Visie van A")
    )
    # The IB withdraws and shares with another director (say the appointment moved).
    other = f.director(cast.school_a1, username="director_other")
    rounds.round_unshare(round=round_, actor=cast.ib_a)
    round_.shared_with = other
    round_.save(update_fields=["shared_with"])
    rounds.director_views_save(round=round_, actor=other, data=all_cells(framework, 1, "Visie B"))

    assert round_.director_views.filter(author=cast.director_a, note="Visie van A").count() == 6
    assert round_.director_views.filter(author=other, note="Visie B").count() == 6
    client.force_login(other)
    response = client.get(detail(round_))
    assert "Visie B" in response.text and "Visie van A" not in response.text


# ---------------------------------------------------------------------------------------------
# the director's view and the conversation
# ---------------------------------------------------------------------------------------------


def test_director_view_only_when_shared(cast, framework):
    round_ = assessment_round(cast.ib_a, framework)
    with pytest.raises(PermissionDenied):
        rounds.director_views_save(
            round=round_, actor=cast.director_a, data=all_cells(framework, 3)
        )
    rounds.round_share(round=round_, actor=cast.ib_a)
    rounds.director_views_save(round=round_, actor=cast.director_a, data=all_cells(framework, 3))
    assert round_.director_views.filter(level__number=3, author=cast.director_a).count() == 6
    with pytest.raises(PermissionDenied):
        rounds.director_views_save(round=round_, actor=cast.ib_a, data=all_cells(framework, 3))


def test_differences_are_marked_in_text(client, cast, framework):
    round_ = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)  # all level 2
    cell = framework.cells.first()
    rounds.director_views_save(
        round=round_, actor=cast.director_a, data={cell.pk: (level(framework, 3), "")}
    )
    client.force_login(cast.ib_a)
    response = client.get(detail(round_))
    assert response.context["differences"] == 1
    assert response.text.count("round-difference") == 1
    assert "Andere visie" in response.text


def test_director_view_form(client, cast, framework):
    round_ = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)
    client.force_login(cast.director_a)
    data = {"lock_version": round_.lock_version}
    for cell in framework.cells.all():
        data[f"level_{cell.pk}"] = level(framework, 1).pk
        data[f"text_{cell.pk}"] = "Mijn beeld"
    url = reverse("competencies:round-director-view", args=[round_.pk])
    assert client.post(url, data).status_code == 302
    assert round_.director_views.filter(note="Mijn beeld").count() == 6


def test_conversation_by_ib_and_director_only_when_shared(cast, framework):
    round_ = assessment_round(cast.ib_a, framework)
    day = datetime.date(2026, 11, 2)
    with pytest.raises(PermissionDenied):
        rounds.conversation_add(round=round_, actor=cast.ib_a, date=day, agreements="x")
    rounds.round_share(round=round_, actor=cast.ib_a)
    rounds.conversation_add(round=round_, actor=cast.ib_a, date=day, agreements="Plan A")
    rounds.conversation_add(round=round_, actor=cast.director_a, date=day, agreements="Plan B")
    with pytest.raises(PermissionDenied):
        rounds.conversation_add(round=round_, actor=cast.director_b, date=day, agreements="x")
    assert Conversation.objects.filter(round=round_).count() == 2


def test_conversation_form_rerenders_on_error(client, cast, framework):
    round_ = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)
    client.force_login(cast.director_a)
    url = reverse("competencies:round-conversation", args=[round_.pk])
    response = client.post(url, {"date": "", "agreements": "Afspraak zonder datum"})
    assert response.status_code == 200
    assert "Afspraak zonder datum" in response.text
    assert not Conversation.objects.exists()
    assert client.post(url, {"date": "2026-11-02", "agreements": "Ok"}).status_code == 302
    assert client.get(detail(round_)).text.count("Ok") >= 1


# ---------------------------------------------------------------------------------------------
# trend
# ---------------------------------------------------------------------------------------------


def new_version(framework: Framework) -> Framework:
    """Version 2: the same rows and columns (new objects), plus an extra row."""
    v2 = Framework.objects.create(
        board=framework.board, name=framework.name, kind="matrix", version=2, previous=framework
    )
    add_levels(v2)
    columns = [
        FrameworkColumn.objects.create(framework=v2, title=c.title, order=c.order)
        for c in framework.columns.all()
    ]
    for order, title in enumerate([*framework.rows.values_list("title", flat=True), "Nieuw"]):
        row = FrameworkRow.objects.create(framework=v2, title=title, order=order)
        for column in columns:
            Cell.objects.create(framework=v2, row=row, column=column, descriptor="d")
    return v2


def test_trend_matches_cells_over_versions(cast, framework):
    first_cell = framework.cells.select_related("row", "column").first()
    assessment_round(cast.ib_a, framework, date=datetime.date(2025, 10, 1), levels={first_cell: 1})
    v2 = new_version(framework)
    same = v2.cells.get(row__title=first_cell.row.title, column__title=first_cell.column.title)
    assessment_round(cast.ib_a, v2, date=datetime.date(2026, 10, 1), levels={same: 3})
    assessment_round(cast.ib_a, v2, completed=False)  # drafts are not in the trend
    assessment_round(cast.ib_b, matrix_framework(cast.board_b))  # nor other IBs' rounds

    [trend] = rounds.trends_for(cast.ib_a)
    assert trend.framework == v2
    assert [r.date for r in trend.rounds] == [
        datetime.date(2025, 10, 1),
        datetime.date(2026, 10, 1),
    ]
    rows = dict(trend.rows)
    assert rows["Rol 1 / Context 1"] == [1, 3]
    assert rows["Rol 1 / Context 2"] == [2, 2]
    assert rows["Nieuw / Context 1"] == [None, 2]


def test_round_list_shows_frameworks_and_trend(client, cast, framework):
    assessment_round(cast.ib_a, framework)
    client.force_login(cast.ib_a)
    response = client.get(reverse("competencies:round-list"))
    assert list(response.context["frameworks"]) == [framework]
    assert len(response.context["trends"]) == 1
    assert "Rol 1 / Context 1" in response.text


def test_start_from_the_list(client, cast, framework):
    client.force_login(cast.ib_a)
    response = client.post(reverse("competencies:round-start", args=[framework.pk]))
    round_ = AssessmentRound.objects.get(ib=cast.ib_a)
    assert response["Location"] == detail(round_)


# ---------------------------------------------------------------------------------------------
# visibility
# ---------------------------------------------------------------------------------------------


VISIBILITY_BEFORE = {
    "ib_a": 200,
    "ib_b": 404,
    "director_a": 404,
    "director_b": 404,
    "staff_a": 404,
    "admin_a": 404,
    "staff_b": 404,
    "partnership_staff": 404,
}
VISIBILITY_AFTER = {**VISIBILITY_BEFORE, "director_a": 200}


@pytest.mark.parametrize("user", VISIBILITY_BEFORE)
def test_visibility_before_and_after_sharing(client, cast, framework, user):
    round_ = assessment_round(cast.ib_a, framework)
    client.force_login(cast.user(user))
    assert client.get(detail(round_)).status_code == VISIBILITY_BEFORE[user]
    rounds.round_share(round=round_, actor=cast.ib_a)
    assert client.get(detail(round_)).status_code == VISIBILITY_AFTER[user]


def test_another_ib_of_the_same_board_sees_nothing(client, cast, framework):
    colleague = f.ib(cast.board_a, username="ib_a2")
    round_ = assessment_round(cast.ib_a, framework)
    client.force_login(colleague)
    assert client.get(detail(round_)).status_code == 404


def test_a_draft_is_never_visible_to_the_director(client, cast, framework):
    round_ = assessment_round(cast.ib_a, framework, completed=False)
    client.force_login(cast.director_a)
    assert client.get(detail(round_)).status_code == 404


def test_shared_list_shows_only_rounds_shared_with_me(client, cast, framework):
    shared = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)
    assessment_round(cast.ib_a, framework, date=datetime.date(2025, 1, 1))
    client.force_login(cast.director_a)
    response = client.get(reverse("competencies:shared-rounds"))
    assert list(response.context["rounds"]) == [shared]
    client.force_login(cast.staff_a)
    assert list(client.get(reverse("competencies:shared-rounds")).context["rounds"]) == []


# ---------------------------------------------------------------------------------------------
# query counts
# ---------------------------------------------------------------------------------------------


def count_detail_queries(client, user, round_) -> int:
    client.force_login(user)
    client.get(detail(round_))  # warm up (session, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail(round_))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["ib_a", "director_a"])
def test_detail_queries_do_not_grow_with_cells(client, cast, viewer):
    """Session, user, memberships (scope), round, cells, levels, ratings, director views,
    conversations: the same for 1 cell and for 12."""
    small = assessment_round(
        cast.ib_a, matrix_framework(cast.board_a, rows=1, columns=1), shared_with=cast.director_a
    )
    big = assessment_round(
        cast.ib_a,
        matrix_framework(cast.board_a, rows=4, columns=3, name="Groot"),
        shared_with=cast.director_a,
    )
    assert big.ratings.count() == 12
    user = cast.user(viewer)
    assert count_detail_queries(client, user, small) == count_detail_queries(client, user, big)


def test_draft_form_queries_do_not_grow_with_cells(client, cast):
    small = rounds.round_start(
        ib=cast.ib_a, framework=matrix_framework(cast.board_a, rows=1, columns=1)
    )
    big = rounds.round_start(
        ib=cast.ib_a, framework=matrix_framework(cast.board_a, rows=4, columns=3, name="Groot")
    )
    assert count_detail_queries(client, cast.ib_a, small) == count_detail_queries(
        client, cast.ib_a, big
    )


def test_list_framework_renders_as_a_list(client, cast):
    from .competency_factories import list_framework

    round_ = rounds.round_start(ib=cast.ib_a, framework=list_framework(cast.board_a))
    client.force_login(cast.ib_a)
    response = client.get(detail(round_))
    assert response.status_code == 200
    assert "list-group-numbered" in response.text
    assert "Competentie 3" in response.text
    assert 'form="cells-form"' in response.text


def test_no_difference_count_before_the_director_has_a_view(client, cast, framework):
    round_ = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)
    client.force_login(cast.ib_a)
    assert "verschillen van mening" not in client.get(detail(round_)).text
    cell = framework.cells.first()
    rounds.director_views_save(
        round=round_, actor=cast.director_a, data={cell.pk: (level(framework, 3), "")}
    )
    assert "verschillen van mening over 1 competentie" in client.get(detail(round_)).text


def test_a_director_who_rates_one_cell_differs_on_that_cell_at_most(client, cast, framework):
    """The director's form posts every cell, so saving a view on one indicator stores a view
    without a level for all the others: those are no "different view" (the page said the IB
    and the director differed on every indicator the director had not yet rated)."""
    round_ = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)  # all level 2
    client.force_login(cast.director_a)
    cells = list(framework.cells.all())
    data = {"lock_version": round_.lock_version}
    for cell in cells:
        data[f"level_{cell.pk}"] = ""
        data[f"text_{cell.pk}"] = ""
    data[f"level_{cells[0].pk}"] = level(framework, 2).pk  # the IB's level: no difference
    data[f"text_{cells[1].pk}"] = "Daar wil ik het over hebben."  # a note without a level
    url = reverse("competencies:round-director-view", args=[round_.pk])
    assert client.post(url, data).status_code == 302
    response = client.get(detail(round_))
    assert response.context["differences"] == 0
    assert "Andere visie" not in response.text
    data[f"level_{cells[2].pk}"] = level(framework, 3).pk
    data["lock_version"] = AssessmentRound.objects.get(pk=round_.pk).lock_version
    assert client.post(url, data).status_code == 302
    assert client.get(detail(round_)).context["differences"] == 1


def test_starting_twice_continues_the_one_draft(client, cast, framework):
    """Pressing "Start" twice (or in two tabs) gives one draft, not two; once it is completed,
    a new start makes a new round."""
    first = rounds.round_start(ib=cast.ib_a, framework=framework)
    assert rounds.round_start(ib=cast.ib_a, framework=framework) == first
    client.force_login(cast.ib_a)
    response = client.post(reverse("competencies:round-start", args=[framework.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("competencies:round-detail", args=[first.pk])
    assert AssessmentRound.objects.filter(ib=cast.ib_a).count() == 1
    AssessmentRound.objects.filter(pk=first.pk).update(status=AssessmentRound.Status.COMPLETED)
    assert rounds.round_start(ib=cast.ib_a, framework=framework) != first
