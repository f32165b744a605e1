"""Password-reset mails are limited per address and per client, without telling who exists."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import TestCase
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.translation import gettext

from ibportal import password_reset

from . import factories as f

URL = "/account/password_reset/"


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


@pytest.fixture(autouse=True)
def _empty_counts(db):
    caches["throttle"].clear()


@pytest.fixture
def person(db):
    return f.UserFactory(email="ilse.kempelaar@example.nl")


def ask(client, email: str, ip: str = "192.0.2.10", **extra):
    # The mail is queued on commit (core/mail.py): run those callbacks as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, {"email": email}, REMOTE_ADDR=ip, **extra)


def test_the_page_is_ours(client):
    assert reverse("password_reset") == URL
    assert resolve(URL).func.view_class is password_reset.ThrottledPasswordResetView
    assert client.get(URL).status_code == 200


def test_at_most_three_mails_per_address_and_the_same_answer_every_time(client, person):
    answers = [ask(client, person.email, ip=f"192.0.2.{n}") for n in range(5)]
    assert len(mail.outbox) == 3
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {reverse("password_reset_done")}


def test_address_limit_ignores_case_and_spaces(client, person):
    for variant in ("Ilse.Kempelaar@example.nl", " ilse.kempelaar@EXAMPLE.nl", person.email):
        ask(client, variant)
    ask(client, person.email.upper())
    assert len(mail.outbox) == 3


def test_unknown_address_is_answered_like_a_known_one(client, person):
    known = [ask(client, person.email) for _ in range(4)]
    unknown = [ask(client, "niemand@example.nl") for _ in range(4)]
    assert [(a.status_code, a["Location"]) for a in known] == [
        (a.status_code, a["Location"]) for a in unknown
    ]
    assert len(mail.outbox) == 3  # only the known address gets mail, and only three


def test_at_most_ten_requests_per_client_then_a_clear_message(client, person):
    for n in range(10):
        assert ask(client, f"iemand{n}@example.nl").status_code == 302
    response = ask(client, person.email)
    assert response.status_code == 429
    assert nl("Too many requests; please try again later.") in response.content.decode()
    assert mail.outbox == []
    # Another client is not affected.
    assert ask(client, person.email, ip="198.51.100.7").status_code == 302
    assert len(mail.outbox) == 1


def test_client_behind_proxies_is_counted_by_its_own_address(client, person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(10):
        ask(client, f"iemand{n}@example.nl", ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    refused = ask(client, person.email, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert refused.status_code == 429
    # Someone else behind the same proxy still gets their mail.
    other = ask(client, person.email, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302
    assert len(mail.outbox) == 1


def test_limits_end_with_the_window(client, person, monkeypatch):
    now = 1_800_000_000.0
    monkeypatch.setattr(password_reset.time, "time", lambda: now)
    for _ in range(4):
        ask(client, person.email)
    assert len(mail.outbox) == 3
    now += 3601
    ask(client, person.email)
    assert len(mail.outbox) == 4


def test_throttling_is_logged_without_personal_data(client, person, caplog):
    with caplog.at_level(logging.WARNING, logger="ibportal.security"):
        for _ in range(4):
            ask(client, person.email, ip="192.0.2.99")
        for n in range(10):
            ask(client, f"iemand{n}@example.nl", ip="192.0.2.99")
    text = caplog.text
    assert "password reset mail not sent" in text
    assert "password reset refused" in text
    assert person.email not in text and "192.0.2.99" not in text
    assert password_reset.pseudonym("address", person.email)[:8] in text
