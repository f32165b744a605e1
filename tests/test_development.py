"""The development portfolio: goals and actions (personal), training records with certificates
(validated by their content, served only through an access-checked view) and the board's
judgement of the certificates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from competencies import development
from competencies.models import Goal, GoalAction, Training

from . import factories as f
from .competency_factories import GoalFactory, TrainingFactory, matrix_framework

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def framework_a(cast):
    return matrix_framework(cast.board_a)


@pytest.fixture
def goal(cast):
    goal = GoalFactory(ib=cast.ib_a, board=cast.board_a, title="Trendanalyse")
    GoalAction.objects.create(goal=goal, kind="coaching", description="Coaching door collega")
    return goal


def training_of(ib, board, content: bytes = PDF, name: str = "abc.pdf", **fields) -> Training:
    return TrainingFactory(
        ib=ib, board=board, certificate=ContentFile(content, name=name), **fields
    )


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


# ---------------------------------------------------------------------------
# goals and actions
# ---------------------------------------------------------------------------


def test_ib_creates_goal_linked_to_cells_of_current_framework(client, cast, framework_a):
    cells = list(framework_a.cells.all()[:2])
    client.force_login(cast.ib_a)
    response = client.post(
        reverse("competencies:goal-create"),
        {
            "title": "Beter data analyseren",
            "description": "Trendanalyses per groep",
            "cells": [cell.pk for cell in cells],
            "due_date": "2027-06-30",
            "status": "open",
            "evidence": "",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(title="Beter data analyseren")
    assert (goal.ib, goal.board) == (cast.ib_a, cast.board_a)
    assert set(goal.cells.all()) == set(cells)
    page = client.get(reverse("competencies:plan"))
    assert "Beter data analyseren" in page.text


def test_goal_cannot_link_cells_of_other_board_or_old_version(client, cast, framework_a):
    other = matrix_framework(cast.board_b)
    old = matrix_framework(cast.board_a, name="Oud")
    newer = matrix_framework(cast.board_a, name="Oud")
    newer.previous = old
    newer.save()
    client.force_login(cast.ib_a)
    for cell in (other.cells.first(), old.cells.first()):
        response = client.post(
            reverse("competencies:goal-create"),
            {"title": "Doel", "cells": [cell.pk], "status": "open"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["cells"]
    assert not Goal.objects.exists()


def test_goal_save_refuses_cells_outside_board(cast, framework_a):
    other = matrix_framework(cast.board_b)
    goal = Goal(ib=cast.ib_a, board=cast.board_a, title="Doel")
    with pytest.raises(development.ValidationError):
        development.goal_save(goal=goal, cells=[other.cells.first()])
    assert not Goal.objects.exists()


def test_ib_edits_goal_and_adds_and_edits_action(client, cast, goal):
    client.force_login(cast.ib_a)
    response = client.post(
        reverse("competencies:goal-edit", args=[goal.pk]),
        {"title": "Trendanalyse, bijgesteld", "status": "in_progress", "evidence": "Verslag"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.status, goal.evidence) == (
        "Trendanalyse, bijgesteld",
        "in_progress",
        "Verslag",
    )
    response = client.post(
        reverse("competencies:action-create", args=[goal.pk]),
        {"kind": "class_visit", "description": "Drie klassenbezoeken", "status": "open"},
    )
    assert response.status_code == 302
    action = goal.actions.get(kind="class_visit")
    response = client.post(
        reverse("competencies:action-edit", args=[action.pk]),
        {
            "kind": "class_visit",
            "description": "Drie klassenbezoeken",
            "due_date": "2027-01-31",
            "status": "achieved",
            "evidence": "Verslagen in map",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.due_date) == ("achieved", datetime.date(2027, 1, 31))


@pytest.mark.parametrize("user", ["ib_b", "staff_a", "admin_a", "director_a", "staff_b"])
def test_goals_are_private_to_their_ib(client, cast, goal, user):
    action = goal.actions.get()
    client.force_login(cast.user(user))
    for url in (
        reverse("competencies:goal-edit", args=[goal.pk]),
        reverse("competencies:action-create", args=[goal.pk]),
        reverse("competencies:action-edit", args=[action.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "Gekaapt", "kind": "other"}).status_code == 404
    goal.refresh_from_db()
    assert goal.title == "Trendanalyse"


def test_colleague_ib_of_same_board_gets_404(client, cast, goal):
    colleague = f.ib(cast.board_a, username="collega")
    client.force_login(colleague)
    assert client.get(reverse("competencies:goal-edit", args=[goal.pk])).status_code == 404
    assert "Trendanalyse" not in client.get(reverse("competencies:plan")).text


@pytest.mark.parametrize("user", ["staff_a", "director_a", "partnership_staff"])
def test_portfolio_pages_are_for_ibs(client, cast, user):
    client.force_login(cast.user(user))
    assert client.get(reverse("competencies:plan")).status_code == 403
    assert client.get(reverse("competencies:training-list")).status_code == 403


# ---------------------------------------------------------------------------
# certificate uploads
# ---------------------------------------------------------------------------


def post_training(client, upload, **fields):
    data = {
        "course": "Post-hbo Intern Begeleider",
        "provider": "Fontys",
        "hours": "120",
        "start_date": "2025-09-01",
        "end_date": "2026-06-30",
        **fields,
    }
    if upload is not None:
        data["certificate"] = upload
    return client.post(reverse("competencies:training-create"), data)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "code"),
    [
        ("certificaat.docx", b"PK\x03\x04word/document.xml", "application/pdf", "wrong_type"),
        ("certificaat.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60, "application/pdf", "program"),
        ("certificaat.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "application/pdf", "program"),
        ("foto.png", b"<?php system($_GET['c']); ?>", "image/png", "program"),
        ("foto.png", b"<html><script>alert(1)</script></html>", "image/png", "program"),
        ("certificaat.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf", "program"),
        ("certificaat.pdf", b"", "application/pdf", "empty"),
    ],
)
def test_bad_certificate_is_refused_and_nothing_saved(
    client, cast, media, name, content, content_type, code
):
    client.force_login(cast.ib_a)
    response = post_training(client, SimpleUploadedFile(name, content, content_type))
    assert response.status_code == 200
    codes = [error.code for error in response.context["form"].errors.as_data()["certificate"]]
    assert codes == [code]
    assert not Training.objects.exists()
    assert stored_files(media) == []


def test_too_large_certificate_is_refused(client, cast, media, settings):
    settings.CERTIFICATE_MAX_BYTES = 1024
    client.force_login(cast.ib_a)
    upload = SimpleUploadedFile("groot.pdf", PDF + b"0" * 2000, "application/pdf")
    response = post_training(client, upload)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["certificate"]
    assert [error.code for error in errors] == ["too_large"]
    assert not Training.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("../../etc/Certificaat Fontys.PDF", PDF, "pdf"),
        ("scan.png", PNG, "png"),
        # The name lies (".pdf"), the content is a PNG: stored and served as what it is.
        ("scan.pdf", PNG, "png"),
        ("foto.jpeg", JPEG, "jpg"),
    ],
)
def test_valid_certificate_is_stored_under_a_random_name(
    client, cast, media, name, content, extension
):
    client.force_login(cast.ib_a)
    response = post_training(client, SimpleUploadedFile(name, content, "application/x-whatever"))
    assert response.status_code == 302
    training = Training.objects.get()
    stored = training.certificate.name
    assert stored.startswith(f"certificates/{cast.board_a.pk}/{cast.ib_a.pk}/")
    filename = stored.rsplit("/", 1)[-1]
    assert filename.endswith(f".{extension}")
    assert len(filename.split(".")[0]) == 32
    assert "Fontys" not in stored and ".." not in stored
    assert (media / stored).read_bytes() == content


def test_ib_with_one_board_gets_it_without_choosing(client, cast):
    client.force_login(cast.ib_a)
    response = client.get(reverse("competencies:training-create"))
    assert "board" not in response.context["form"].fields
    assert post_training(client, None).status_code == 302
    assert Training.objects.get().board == cast.board_a


def test_end_before_start_is_refused(client, cast):
    client.force_login(cast.ib_a)
    response = post_training(client, None, start_date="2026-01-01", end_date="2025-01-01")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_date": ["De einddatum kan niet vóór de begindatum liggen."]
    }
    assert "training_end_not_before_start" not in response.text
    assert not Training.objects.exists()


def test_a_certificate_of_a_course_that_has_not_ended_is_refused(client, cast, media):
    today = timezone.localdate()
    client.force_login(cast.ib_a)
    later = {
        "course": "Intervisie en reflectie",
        "start_date": (today + datetime.timedelta(days=30)).isoformat(),
        "end_date": (today + datetime.timedelta(days=60)).isoformat(),
    }
    response = post_training(client, SimpleUploadedFile("c.pdf", PDF, "application/pdf"), **later)
    assert response.status_code == 200
    assert "certificate" in response.context["form"].errors
    assert 'value="Intervisie en reflectie"' in response.text  # the input is kept
    no_end = {"start_date": "2025-09-01", "end_date": ""}
    response = post_training(client, SimpleUploadedFile("c.pdf", PDF, "application/pdf"), **no_end)
    assert "end_date" in response.context["form"].errors
    assert not Training.objects.exists()
    assert post_training(client, None, **later).status_code == 302  # planned: no certificate


def test_only_courses_that_ended_count_in_the_training_hours(client, cast):
    today = timezone.localdate()
    TrainingFactory(ib=cast.ib_a, board=cast.board_a, hours=Decimal("12"), end_date=today)
    TrainingFactory(  # recorded ahead: planned
        ib=cast.ib_a,
        board=cast.board_a,
        hours=Decimal("16"),
        start_date=today + datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=30),
    )
    TrainingFactory(ib=cast.ib_a, board=cast.board_a, hours=Decimal("5"), end_date=None)
    client.force_login(cast.ib_a)
    response = client.get(reverse("competencies:training-list"))
    assert response.context["total_hours"] == Decimal("12")
    assert response.context["coming_hours"] == Decimal("21")
    assert 'data-training-state="planned"' in response.text
    assert 'data-training-state="running"' in response.text


def test_board_staff_judge_no_certificate_of_a_course_still_to_end(cast):
    training = training_of(cast.ib_a, cast.board_a)
    later = timezone.localdate() + datetime.timedelta(days=30)
    Training.objects.filter(pk=training.pk).update(end_date=later)  # as older data may hold
    training.refresh_from_db()
    with pytest.raises(ValidationError):
        development.training_judge(training=training, actor=cast.staff_a, judgement="accepted")
    assert Training.objects.get(pk=training.pk).judgement == "pending"
    from schools.todo import items_for

    assert "certificate" not in {item.kind for item in items_for(cast.staff_a)}


def test_new_certificate_replaces_the_old_and_resets_judgement(
    client, cast, media, django_capture_on_commit_callbacks
):
    training = training_of(cast.ib_a, cast.board_a)
    development.training_judge(training=training, actor=cast.staff_a, judgement="accepted")
    old = media / training.certificate.name
    assert old.exists()
    client.force_login(cast.ib_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("competencies:training-edit", args=[training.pk]),
            {
                "course": training.course,
                "provider": training.provider,
                "hours": "120",
                "start_date": "2025-09-01",
                "end_date": "2026-06-30",
                "certificate": SimpleUploadedFile("nieuw.png", PNG, "image/png"),
            },
        )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.certificate.name.endswith(".png")
    assert training.judgement == Training.Judgement.PENDING
    assert training.judged_by is None
    assert not old.exists()
    assert (media / training.certificate.name).read_bytes() == PNG


def test_edit_without_new_file_keeps_the_certificate(client, cast):
    training = training_of(cast.ib_a, cast.board_a)
    name = training.certificate.name
    client.force_login(cast.ib_a)
    response = client.post(
        reverse("competencies:training-edit", args=[training.pk]),
        {
            "course": "Andere naam",
            "hours": "100",
            "start_date": "2025-09-01",
            "end_date": "2026-06-30",
        },
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.course, training.hours, training.certificate.name) == (
        "Andere naam",
        Decimal("100"),
        name,
    )


# ---------------------------------------------------------------------------
# certificate download
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("ib_a", 200),
        ("staff_a", 200),
        ("admin_a", 200),
        ("director_a", 404),
        ("ib_b", 404),
        ("staff_b", 404),
        ("director_b", 404),
        ("partnership_staff", 404),
    ],
)
def test_certificate_download_access(client, cast, user, status):
    training = training_of(cast.ib_a, cast.board_a)
    client.force_login(cast.user(user))
    response = client.get(reverse("competencies:training-certificate", args=[training.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_certificate_download_anonymous_goes_to_login(client, cast):
    training = training_of(cast.ib_a, cast.board_a)
    response = client.get(reverse("competencies:training-certificate", args=[training.pk]))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_record_without_certificate_has_nothing_to_download(client, cast):
    training = TrainingFactory(ib=cast.ib_a, board=cast.board_a)
    client.force_login(cast.ib_a)
    url = reverse("competencies:training-certificate", args=[training.pk])
    assert client.get(url).status_code == 404


def test_pages_link_the_view_not_the_media_url(client, cast, settings):
    training = training_of(cast.ib_a, cast.board_a)
    client.force_login(cast.ib_a)
    page = client.get(reverse("competencies:training-list")).text
    assert reverse("competencies:training-certificate", args=[training.pk]) in page
    assert training.certificate.name not in page
    assert settings.MEDIA_URL not in page


# ---------------------------------------------------------------------------
# the board's judgement
# ---------------------------------------------------------------------------


def test_review_lists_board_certificates_pending_first(client, cast):
    accepted = training_of(
        cast.ib_a, cast.board_a, course="Oud", start_date=datetime.date(2026, 1, 1)
    )
    development.training_judge(training=accepted, actor=cast.staff_a, judgement="accepted")
    pending = training_of(
        cast.ib_a, cast.board_a, course="Nieuw", start_date=datetime.date(2020, 1, 1)
    )
    TrainingFactory(ib=cast.ib_a, board=cast.board_a, course="Zonder certificaat")
    training_of(cast.ib_b, cast.board_b, course="Van bestuur B")
    client.force_login(cast.staff_a)
    response = client.get(reverse("competencies:training-review", args=[cast.board_a.pk]))
    assert response.status_code == 200
    assert list(response.context["trainings"]) == [pending, accepted]


def test_review_page_shows_no_goals(client, cast, goal):
    training_of(cast.ib_a, cast.board_a)
    client.force_login(cast.staff_a)
    response = client.get(reverse("competencies:training-review", args=[cast.board_a.pk]))
    assert "Trendanalyse" not in response.text


def test_board_staff_accepts_and_ib_sees_it(client, cast):
    training = training_of(cast.ib_a, cast.board_a)
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("competencies:training-judge", args=[training.pk]), {"judgement": "accepted"}
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.judgement == Training.Judgement.ACCEPTED
    assert training.judged_by == cast.staff_a
    assert training.judged_at is not None
    client.force_login(cast.ib_a)
    assert "Geaccepteerd" in client.get(reverse("competencies:training-list")).text


def test_further_training_needs_a_note(client, cast):
    training = training_of(cast.ib_a, cast.board_a)
    client.force_login(cast.staff_a)
    url = reverse("competencies:training-judge", args=[training.pk])
    response = client.post(url, {"judgement": "further", "judgement_note": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["judgement_note"]
    training.refresh_from_db()
    assert training.judgement == Training.Judgement.PENDING
    response = client.post(url, {"judgement": "further", "judgement_note": "Module trendanalyse"})
    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.judgement, training.judgement_note) == ("further", "Module trendanalyse")
    client.force_login(cast.ib_a)
    assert "Module trendanalyse" in client.get(reverse("competencies:training-list")).text


def test_service_refuses_further_without_note(cast):
    training = training_of(cast.ib_a, cast.board_a)
    with pytest.raises(development.ValidationError):
        development.training_judge(training=training, actor=cast.staff_a, judgement="further")


@pytest.mark.parametrize(("user", "status"), [("ib_a", 403), ("director_a", 404), ("staff_b", 404)])
def test_only_board_staff_judge(client, cast, user, status):
    training = training_of(cast.ib_a, cast.board_a)
    client.force_login(cast.user(user))
    response = client.post(
        reverse("competencies:training-judge", args=[training.pk]), {"judgement": "accepted"}
    )
    assert response.status_code == status
    training.refresh_from_db()
    assert training.judgement == Training.Judgement.PENDING
    assert training.judged_by is None


def test_service_refuses_judge_of_other_board(cast):
    training = training_of(cast.ib_a, cast.board_a)
    with pytest.raises(development.PermissionDenied):
        development.training_judge(training=training, actor=cast.staff_b, judgement="accepted")


# ---------------------------------------------------------------------------
# deleting goals, actions and training records
# ---------------------------------------------------------------------------


def test_deleting_a_goal_asks_first_and_takes_its_actions(client, cast, goal):
    client.force_login(cast.ib_a)
    url = reverse("competencies:goal-delete", args=[goal.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Wilt u “Trendanalyse” verwijderen?" in response.text
    assert "De 1 actie ervan wordt ook verwijderd." in response.text
    assert Goal.objects.filter(pk=goal.pk).exists()  # asking deletes nothing

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("competencies:plan")
    assert "Het ontwikkeldoel “Trendanalyse” is verwijderd." in response.text
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert not GoalAction.objects.filter(goal_id=goal.pk).exists()


def test_deleting_an_action_keeps_its_goal(client, cast, goal):
    action = goal.actions.get()
    client.force_login(cast.ib_a)
    response = client.post(reverse("competencies:action-delete", args=[action.pk]))
    assert response.status_code == 302
    assert not GoalAction.objects.filter(pk=action.pk).exists()
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_edit_pages_link_to_delete(client, cast, goal):
    client.force_login(cast.ib_a)
    response = client.get(reverse("competencies:goal-edit", args=[goal.pk]))
    assert reverse("competencies:goal-delete", args=[goal.pk]) in response.text
    action = goal.actions.get()
    response = client.get(reverse("competencies:action-edit", args=[action.pk]))
    assert reverse("competencies:action-delete", args=[action.pk]) in response.text
    # A new goal has nothing to delete yet.
    response = client.get(reverse("competencies:goal-create"))
    assert "verwijderen/" not in response.text


def test_deleting_a_training_record_removes_its_certificate(
    client, cast, media, django_capture_on_commit_callbacks
):
    training = training_of(cast.ib_a, cast.board_a)
    stored = media / training.certificate.name
    assert stored.exists()
    client.force_login(cast.ib_a)
    edit = client.get(reverse("competencies:training-edit", args=[training.pk]))
    url = reverse("competencies:training-delete", args=[training.pk])
    assert url in edit.text
    assert "Het certificaat wordt ook verwijderd." in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("competencies:training-list")
    assert not Training.objects.filter(pk=training.pk).exists()
    assert not stored.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_judged_training_record_is_not_deleted(client, cast, media, method):
    training = training_of(cast.ib_a, cast.board_a)
    development.training_judge(training=training, actor=cast.staff_a, judgement="accepted")
    client.force_login(cast.ib_a)
    edit_url = reverse("competencies:training-edit", args=[training.pk])
    assert (
        reverse("competencies:training-delete", args=[training.pk]) not in client.get(edit_url).text
    )
    response = getattr(client, method)(
        reverse("competencies:training-delete", args=[training.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == edit_url
    assert "Het bestuur heeft deze opleiding beoordeeld" in response.text
    assert Training.objects.filter(pk=training.pk).exists()
    assert (media / training.certificate.name).exists()


def test_others_cannot_delete_a_goal_or_training(client, cast, goal):
    training = training_of(cast.ib_a, cast.board_a)
    for user, status in ((cast.ib_b, 404), (cast.staff_a, 404), (cast.director_a, 404)):
        client.force_login(user)
        assert client.post(reverse("competencies:goal-delete", args=[goal.pk])).status_code == (
            status
        )
    client.force_login(cast.staff_a)  # judges certificates, does not delete them
    assert (
        client.post(reverse("competencies:training-delete", args=[training.pk])).status_code == 403
    )
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert Training.objects.filter(pk=training.pk).exists()
