"""E-mail notices go through a queue: a mail server that is down never breaks a user's action.

The workflow steps (submit, accept, return, withdraw) and the password reset are posted while
the mail backend refuses every message; the step succeeds, the notice waits in the database
queue, is retried later with a growing delay, and once the mail server is back the worker
(``manage.py db_worker``) sends it exactly once. Logs name package and user by id only.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import mail as core_mail
from schools.models import display_name
from tasks.models import PackageStatus
from tasks.packages import current_version

from . import factories as f
from .test_package_views import lv, message_texts, nl, review, submit

S = PackageStatus
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class MailServerDown(BaseEmailBackend):
    """A mail backend whose server is unreachable: every message raises ``error``."""

    error: type[OSError] = smtplib.SMTPServerDisconnected

    def send_messages(self, email_messages) -> int:
        raise self.error("Connection unexpectedly closed")


class ConnectionRefused(MailServerDown):
    error = ConnectionRefusedError


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = "tests.test_notices.MailServerDown"
    return settings


def mail_back(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def run_worker() -> None:
    """One pass of the production worker over the tasks that are due, then it stops."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0
    )


def make_due(tasks) -> None:
    """Fast-forward: the retries planned for later are due now."""
    tasks.update(run_after=timezone.now() - timedelta(seconds=1))


def mail_tasks():
    return DBTaskResult.objects.filter(task_path="core.mail.send_user_mail")


def waiting():
    """Queued mail not yet run, due now or later."""
    return mail_tasks().filter(status=TaskResultStatus.READY)


def post_step(client, cast, step: str) -> tuple[object, object]:
    """Post one workflow step as the user who takes it: (response, who is told)."""
    package = cast.package_a
    if step == "submit":
        client.force_login(cast.director_a)
        url = reverse("tasks:package-submit", args=[package.pk])
        data = {"lock_version": lv(package), "comment": "Graag voor vrijdag."}
        told = cast.ib_a
    elif step == "withdraw":
        submit(cast)
        client.force_login(cast.director_a)
        url = reverse("tasks:package-withdraw", args=[package.pk])
        data = {"lock_version": lv(package), "comment": "Taak vergeten", "confirmed": "1"}
        told = cast.ib_a
    else:
        submit(cast)
        client.force_login(cast.ib_a)
        url = reverse("tasks:package-review", args=[package.pk])
        data = {"lock_version": lv(package), "decision": step, "comment": "Zie opmerkingen"}
        told = cast.director_a
    mail.outbox.clear()
    mail_tasks().delete()  # the notice of the submission before the step
    return client.post(url, data), told


EXPECTED = {
    "submit": S.SUBMITTED,
    "accept": S.AGREED,
    "return": S.RETURNED,
    "withdraw": S.CONCEPT,
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", ["submit", "accept", "return", "withdraw"])
def test_step_succeeds_with_mail_down_and_the_notice_follows_once(
    client, cast, package_a, mail_down, step, caplog
):
    mail_down.TASKS = DATABASE_QUEUE
    response, told = post_step(client, cast, step)

    assert response.status_code == 302
    assert current_version(package_a).status == EXPECTED[step]
    (queued,) = mail_tasks()
    assert queued.args_kwargs["kwargs"]["user_id"] == told.pk
    assert told.email not in str(queued.args_kwargs)  # the address is looked up when sending

    with caplog.at_level(logging.INFO, logger="core.mail"):
        run_worker()  # the mail server is still down: a retry is planned
    assert mail.outbox == []
    retry = waiting().get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now()
    failure = next(r for r in caplog.records if r.name == "core.mail")
    assert failure.levelno == logging.WARNING
    assert f"package {package_a.pk}" in failure.getMessage()
    assert f"user {told.pk}" in failure.getMessage()
    assert told.email not in caplog.text and told.username not in caplog.text

    mail_back(mail_down)
    run_worker()
    assert mail.outbox == []  # not due yet
    make_due(waiting())
    run_worker()
    run_worker()
    (message,) = mail.outbox
    assert message.to == [told.email]
    assert f"/pakketten/{package_a.pk}/" in message.body
    assert not waiting().exists()


@pytest.mark.parametrize("backend", [MailServerDown, ConnectionRefused])
def test_submit_with_mail_down_and_no_queue_worker_is_no_error(
    client, cast, package_a, settings, backend, django_capture_on_commit_callbacks, caplog
):
    """The immediate backend (the demo) sends inside the request: a failure is logged."""
    settings.EMAIL_BACKEND = f"tests.test_notices.{backend.__name__}"
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.ERROR):
        response, told = post_step(client, cast, "submit")
    assert response.status_code == 302
    assert cast.package_a.versions.get().status == S.SUBMITTED
    (record,) = [r for r in caplog.records if r.name == "core.mail"]
    assert (
        f"user {told.pk}" in record.getMessage() and backend.error.__name__ in record.getMessage()
    )


def test_the_page_says_who_will_be_told(
    client, cast, package_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, told = post_step(client, cast, "submit")
    assert message_texts(response) == [
        nl("The package has been submitted to %(ib)s, who will be told by e-mail.")
        % {"ib": display_name(told)}
    ]
    (message,) = mail.outbox
    assert message.to == [told.email]


@pytest.mark.django_db(transaction=True)
def test_password_reset_with_mail_down_is_queued(client, cast, mail_down):
    mail_down.TASKS = DATABASE_QUEUE
    response = client.post(reverse("password_reset"), {"email": cast.ib_a.email})
    assert response["Location"] == reverse("password_reset_done")
    (queued,) = mail_tasks()
    assert queued.args_kwargs["kwargs"]["user_id"] == cast.ib_a.pk
    mail_back(mail_down)
    run_worker()
    (message,) = mail.outbox
    assert message.to == [cast.ib_a.email] and "/account/reset/" in message.body


@pytest.mark.django_db(transaction=True)
def test_retries_wait_longer_each_time_and_stop_after_the_last_attempt(cast, mail_down, caplog):
    mail_down.TASKS = DATABASE_QUEUE
    core_mail.queue_mail(user_id=cast.ib_a.pk, subject="Test", body="Body", about="package 7")
    waits = []
    with caplog.at_level(logging.INFO, logger="core.mail"):
        for _attempt in range(core_mail.MAX_ATTEMPTS):
            started = timezone.now()
            assert waiting().count() == 1
            make_due(waiting())
            run_worker()
            later = waiting().first()
            if later is not None:
                waits.append((later.run_after - started).total_seconds())
    assert len(waits) == core_mail.MAX_ATTEMPTS - 1
    assert waits == sorted(waits) and waits[0] >= core_mail.RETRY_DELAYS[0]
    assert not waiting().exists()
    assert mail_tasks().count() == core_mail.MAX_ATTEMPTS
    last = [r for r in caplog.records if r.name == "core.mail"][-1]
    assert last.levelno == logging.ERROR and "given up" in last.getMessage()
    assert f"attempt {core_mail.MAX_ATTEMPTS}" in last.getMessage()
    mail_back(mail_down)
    run_worker()
    assert mail.outbox == []  # given up means no surprise mail days later


def test_mail_to_a_user_without_address_is_dropped_and_logged(cast, caplog):
    cast.ib_a.email = ""
    cast.ib_a.save()
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        sent = core_mail.send_user_mail.call(
            user_id=cast.ib_a.pk, subject="Test", body="Body", about="package 7"
        )
    assert sent is False and mail.outbox == []
    assert f"user {cast.ib_a.pk}" in caplog.text


def test_notice_is_not_queued_when_the_step_is_rolled_back(cast, package_a, settings):
    """With the database queue the notice is written in the step's own transaction."""
    settings.TASKS = DATABASE_QUEUE
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(cast)
        assert mail_tasks().count() == 1
        raise RuntimeError("something after the step fails: all is rolled back")
    assert not mail_tasks().exists()
    assert cast.package_a.versions.get().status == S.CONCEPT


def test_review_queues_one_mail_per_director(cast, package_a, settings):
    settings.TASKS = DATABASE_QUEUE
    second = f.director(cast.school_a1, username="adjunct_a1")
    submit(cast)
    mail_tasks().delete()
    review(cast, accept=True)
    assert sorted(t.args_kwargs["kwargs"]["user_id"] for t in mail_tasks()) == sorted(
        [cast.director_a.pk, second.pk]
    )
