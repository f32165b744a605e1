"""The demo's training offer (ibportal/demo_training.py): what bestuur.a, ib.regenboog and
ib.wegwijzer are promised in the README."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from competencies import training_offer as offer
from competencies.training_models import RepaymentAgreement, TrainingTrack
from schools.models import Board
from schools.todo import items_for


@pytest.mark.django_db
def test_demo_training_offer_and_tracks(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # again: nothing is added twice
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="ib.")}
    board = Board.objects.get(training_tracks__is_mandatory=True)
    assert TrainingTrack.objects.filter(board=board).count() == 2
    assert RepaymentAgreement.objects.get().enrolment.ib == users["ib.regenboog"]

    result = offer.board_overview(board, timezone.localdate())
    by_name = {person.ib.username: person for person in result.people}
    regenboog = by_name["ib.regenboog"]
    assert [t.done for t in regenboog.tracks] == [2, 1] and regenboog.overdue == 0
    assert by_name["ib.wegwijzer"].overdue == 1
    assert by_name["ib.kompas"].overdue == 1
    assert "ib.bron" not in by_name  # board B

    kinds = [item.kind for item in items_for(users["ib.wegwijzer"])]
    assert "training-module-overdue" in kinds
    client.force_login(get_user_model().objects.get(username="bestuur.a"))
    page = client.get(reverse("competencies:track-overview", args=[board.pk]))
    assert "Wantveld" in page.content.decode()
