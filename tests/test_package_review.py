"""The IB's review and what surrounds it: the director's note, accepting over budget, the
return note on the director's draft, the draft task letter, confirmations before actions that
cannot be undone, and messages that do not outlive the next action.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tasks.models import Domain, PackageEvent, PackageStatus
from tasks.packages import (
    current_version,
    item_add,
    package_reopen,
    package_review,
    package_submit,
)

from .test_package_views import detail, item_of, lv, nl, save_url, sheet

H = Decimal
S = PackageStatus


def make_over_budget(cast) -> None:
    """Package A: 40 h + 700 h + 629,7 h = 1369,7 h against a budget of 1327,2 h: 42,5 over."""
    for title, hours in (("Trendanalyses", H("700")), ("Schoolplan", H("629.7"))):
        item_add(
            package=cast.package_a,
            actor=cast.director_a,
            lock_version=lv(cast.package_a),
            hours=hours,
            title=title,
            domain=Domain.objects.get(code="data"),
        )


def submit(cast, comment: str = "") -> None:
    package_submit(
        package=cast.package_a,
        actor=cast.director_a,
        lock_version=lv(cast.package_a),
        comment=comment,
    )


def review_url(cast) -> str:
    return reverse("tasks:package-review", args=[cast.package_a.pk])


def letter(client, cast, **query) -> str:
    url = reverse("tasks:package-letter", args=[cast.package_a.pk])
    return client.get(url, query).text


def dutch(text: str, **values) -> str:
    with translation.override("nl"):
        return gettext(text) % values


@pytest.fixture
def ib(client, cast, package_a):
    client.force_login(cast.ib_a)
    return client


# ---------------------------------------------------------------------------------------------
# the IB's review page
# ---------------------------------------------------------------------------------------------


def test_ib_reads_the_directors_note_and_the_hours_over_budget(ib, cast):
    make_over_budget(cast)
    submit(cast, "Graag voor de herfstvakantie; de trendanalyses zijn nieuw.")
    response = ib.get(detail(cast.package_a))
    assert response.context["reviewing"]
    html = response.text
    assert "Graag voor de herfstvakantie; de trendanalyses zijn nieuw." in html
    assert 'id="submission-note"' in html
    assert "Dit takenpakket is 42,5 uur boven het urenbudget." in html
    # The over-budget confirmation and the decision buttons come before the task comments.
    item = item_of_title(cast, "Schoolplan")
    positions = [
        html.index('name="confirm_over_budget"'),
        html.index('name="decision" value="accept"'),
        html.index('name="decision" value="return"'),
        html.index(f'name="item_{item.pk}"'),
    ]
    assert positions == sorted(positions)
    # The task's title is the label of its comment field.
    assert re.search(rf'<label[^>]*for="id_item_{item.pk}"[^>]*>Schoolplan', html)


def item_of_title(cast, title: str):
    return current_version(cast.package_a).items.get(title=title)


def test_review_page_within_budget_asks_no_confirmation(ib, cast):
    submit(cast)
    html = ib.get(detail(cast.package_a)).text
    assert 'name="confirm_over_budget"' not in html
    assert "boven het urenbudget" not in html
    # No note given: the page says so instead of an empty quote.
    assert nl("(no note)") in html


def test_accepting_over_budget_needs_the_confirmation(ib, cast):
    make_over_budget(cast)
    submit(cast)
    before = lv(cast.package_a)
    response = ib.post(
        review_url(cast), {"lock_version": before, "decision": "accept", "comment": "Goed zo"}
    )
    assert response.status_code == 200
    errors = response.context["review_form"].errors["confirm_over_budget"]
    assert errors == [
        dutch(
            "This package is %(hours)s over the budget. Confirm that you agree to it as it is, "
            "or return it.",
            hours="42,5 uur",
        )
    ]
    assert current_version(cast.package_a).status == S.SUBMITTED and lv(cast.package_a) == before
    assert "Goed zo" in response.text  # the comment is kept
    response = ib.post(
        review_url(cast),
        {"lock_version": before, "decision": "accept", "confirm_over_budget": "on"},
    )
    assert response.status_code == 302
    version = current_version(cast.package_a)
    assert (version.status, version.agreed_over_budget_hours) == (S.AGREED, H("42.5"))
    event = cast.package_a.events.get(kind=PackageEvent.Kind.AGREED)
    assert event.detail == dutch("agreed %(hours)s over the budget", hours="42,5 uur")


def test_returning_over_budget_needs_no_confirmation(ib, cast):
    make_over_budget(cast)
    submit(cast)
    response = ib.post(
        review_url(cast),
        {"lock_version": lv(cast.package_a), "decision": "return", "comment": "Te veel"},
    )
    assert response.status_code == 302
    version = current_version(cast.package_a)
    assert (version.status, version.agreed_over_budget_hours) == (S.RETURNED, H("0"))


def test_the_service_refuses_an_unconfirmed_accept_over_budget(cast, package_a):
    make_over_budget(cast)
    submit(cast)
    with pytest.raises(ValidationError) as refused:
        package_review(package=package_a, actor=cast.ib_a, lock_version=lv(package_a), accept=True)
    assert set(refused.value.error_dict) == {"confirm_over_budget"}
    assert current_version(package_a).status == S.SUBMITTED


# ---------------------------------------------------------------------------------------------
# the task letter
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_a_letter_that_is_not_agreed_is_a_draft_without_signatures(ib, cast, state):
    if state != "draft":
        submit(cast)
    if state == "returned":
        package_review(
            package=cast.package_a,
            actor=cast.ib_a,
            lock_version=lv(cast.package_a),
            accept=False,
            comment="Nee",
        )
    html = letter(ib, cast)
    assert 'id="letter-concept"' in html and "CONCEPT" in html
    assert 'data-watermark="CONCEPT"' in html
    assert "signature-box" not in html


def test_the_agreed_letter_is_signed_and_says_it_was_agreed_over_budget(ib, cast):
    make_over_budget(cast)
    submit(cast)
    ib.post(
        review_url(cast),
        {"lock_version": lv(cast.package_a), "decision": "accept", "confirm_over_budget": "on"},
    )
    html = letter(ib, cast)
    assert 'id="letter-concept"' not in html and "signature-box" in html
    assert 'id="letter-over-budget"' in html and "42,5 uur" in html
    # Version 2 (reopened) is a draft; version 1 stays the signed, agreed letter.
    package_reopen(package=cast.package_a, actor=cast.director_a, lock_version=lv(cast.package_a))
    assert 'id="letter-concept"' in letter(ib, cast)
    old = letter(ib, cast, versie=1)
    assert 'id="letter-concept"' not in old and 'id="letter-over-budget"' in old


def test_an_agreed_letter_within_budget_says_nothing_about_the_budget(ib, cast):
    submit(cast)
    ib.post(review_url(cast), {"lock_version": lv(cast.package_a), "decision": "accept"})
    html = letter(ib, cast)
    assert "signature-box" in html and 'id="letter-over-budget"' not in html


# ---------------------------------------------------------------------------------------------
# the IB's return note on the director's page
# ---------------------------------------------------------------------------------------------


def test_the_return_note_stays_on_the_directors_draft_until_the_next_submission(client, cast):
    from .conftest import add_package_a

    package = add_package_a(cast)
    item = item_of(package)
    submit(cast)
    package_review(
        package=package,
        actor=cast.ib_a,
        lock_version=lv(package),
        accept=False,
        comment="Ik mis de tijd voor het schoolplan.",
        item_comments={item.pk: "Kan naar 30 uur."},
    )
    client.force_login(cast.director_a)
    # The director changes a task: the package is a draft again, the note stays in view.
    client.post(save_url(package), sheet(package, {item: ("30", "")}))
    assert current_version(package).status == S.CONCEPT
    response = client.get(detail(package))
    html = response.text
    assert response.context["return_note"].comment == "Ik mis de tijd voor het schoolplan."
    assert 'id="return-note"' in html
    assert "Ik mis de tijd voor het schoolplan." in html and "Kan naar 30 uur." in html
    # Submitted again: the note has been answered.
    submit(cast, "Aangepast")
    package_withdrawn_to_draft(client, cast)
    html = client.get(detail(package)).text
    assert 'id="return-note"' not in html


def package_withdrawn_to_draft(client, cast) -> None:
    url = reverse("tasks:package-withdraw", args=[cast.package_a.pk])
    response = client.post(url, {"lock_version": lv(cast.package_a), "confirmed": "1"})
    assert response.status_code == 302
    assert current_version(cast.package_a).status == S.CONCEPT


def test_a_draft_never_returned_shows_no_return_note(client, cast, package_a):
    client.force_login(cast.director_a)
    response = client.get(detail(package_a))
    assert "return_note" not in response.context
    assert 'id="return-note"' not in response.text


# ---------------------------------------------------------------------------------------------
# asking first
# ---------------------------------------------------------------------------------------------


def test_withdrawing_asks_first_and_keeps_the_comment(client, cast, package_a):
    submit(cast)
    client.force_login(cast.director_a)
    url = reverse("tasks:package-withdraw", args=[package_a.pk])
    before = lv(package_a)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["question"] == dutch(
        "Do you want to withdraw the package of %(ib)s at %(school)s?",
        ib=cast.ib_a.get_full_name() or cast.ib_a.username,
        school="School A1",
    )
    assert f'name="lock_version" value="{before}"' in page.text
    assert 'name="confirmed" value="1"' in page.text
    # The package page's form posts without "confirmed": the question, with the comment kept.
    page = client.post(url, {"lock_version": before, "comment": "Taak vergeten"})
    assert page.status_code == 200 and "Taak vergeten" in page.text
    assert current_version(package_a).status == S.SUBMITTED and lv(package_a) == before
    response = client.post(
        url, {"lock_version": before, "comment": "Taak vergeten", "confirmed": "1"}
    )
    assert response.status_code == 302
    assert current_version(package_a).status == S.CONCEPT
    assert cast.package_a.events.first().comment == "Taak vergeten"


def test_withdrawing_a_draft_is_refused_without_asking(client, cast, package_a):
    client.force_login(cast.director_a)
    response = client.get(reverse("tasks:package-withdraw", args=[package_a.pk]), follow=True)
    assert response.redirect_chain[-1][0] == detail(package_a)
    assert nl("Only a package that waits for the IB's review can be withdrawn.") in [
        str(message) for message in response.context["messages"]
    ]


def test_the_ib_cannot_open_the_withdraw_question(client, cast, package_a):
    submit(cast)
    client.force_login(cast.ib_a)
    assert client.get(reverse("tasks:package-withdraw", args=[package_a.pk])).status_code == 403


def test_deactivating_a_catalogue_task_asks_first_and_keeps_the_filters(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("tasks:task-toggle-active", args=[cast.task_a.pk])
    page = client.get(url, {"q": "Groep"})
    assert page.status_code == 200
    assert page.context["question"] == dutch(
        "Do you want to deactivate “%(task)s”?", task="Groepsbesprekingen voeren"
    )
    # The list's button posts without "confirmed": the question, nothing changed.
    page = client.post(url, {"q": "Groep", "inactief": "on"})
    assert page.status_code == 200
    assert '<input type="hidden" name="q" value="Groep">' in page.text
    assert '<input type="hidden" name="inactief" value="on">' in page.text
    cast.task_a.refresh_from_db()
    assert cast.task_a.is_active
    response = client.post(url, {"q": "Groep", "inactief": "on", "confirmed": "1"})
    list_url = reverse("tasks:catalogue", args=[cast.board_a.pk])
    assert response["Location"] == f"{list_url}?q=Groep&inactief=on"
    cast.task_a.refresh_from_db()
    assert not cast.task_a.is_active
    # Activating again is harmless: at once, without a question.
    response = client.post(url)
    assert response.status_code == 302
    cast.task_a.refresh_from_db()
    assert cast.task_a.is_active


def test_a_director_cannot_open_the_deactivate_question(client, cast):
    client.force_login(cast.director_a)
    url = reverse("tasks:task-toggle-active", args=[cast.task_a.pk])
    assert client.get(url).status_code == 403
    client.force_login(cast.director_b)
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------
# messages
# ---------------------------------------------------------------------------------------------

OOB_MESSAGES = '<template><div id="messages" data-hx-swap-oob="true">'


def saved_one() -> str:
    return nl("Your change to %(count)s task has been saved.") % {"count": 1}


def test_an_htmx_request_replaces_the_messages_of_the_previous_page(client, cast, package_a):
    client.force_login(cast.director_a)
    item = item_of(package_a)
    # A full-page action: its message shows on the next page, once.
    client.post(save_url(package_a), sheet(package_a, {item: ("45", "")}))
    assert saved_one() in client.get(detail(package_a)).text
    assert saved_one() not in client.get(detail(package_a)).text
    # Loading the catalogue in place (htmx) swaps the messages block: the old message leaves
    # the screen.
    response = client.get(
        reverse("tasks:package-catalogue", args=[package_a.pk]), headers={"HX-Request": "true"}
    )
    html = response.text
    assert OOB_MESSAGES in html
    block = html[html.index(OOB_MESSAGES) :]
    assert 'class="alert' not in block
    assert int(response["Content-Length"]) == len(response.content)


def test_a_message_waiting_shows_in_an_htmx_answer_and_not_again(client, cast, package_a):
    client.force_login(cast.director_a)
    item = item_of(package_a)
    # A message waiting from an action whose page the user never saw (no redirect followed).
    client.post(save_url(package_a), sheet(package_a, {item: ("45", "")}))
    response = client.get(
        reverse("tasks:package-catalogue", args=[package_a.pk]), headers={"HX-Request": "true"}
    )
    block = response.text[response.text.index(OOB_MESSAGES) :]
    assert saved_one() in block
    assert saved_one() not in client.get(detail(package_a)).text


# ---------------------------------------------------------------------------------------------
# valid HTML (the matrix in test_html sees neither these states nor the questions)
# ---------------------------------------------------------------------------------------------


def test_review_pages_and_questions_are_valid_html(client, cast, package_a, tmp_path):
    from .test_html import check, html_of, java

    java()
    pages = {}
    make_over_budget(cast)
    submit(cast, "Graag <snel> terug")
    client.force_login(cast.director_a)
    pages["withdraw question"] = client.get(reverse("tasks:package-withdraw", args=[package_a.pk]))
    pages["draft letter"] = client.get(reverse("tasks:package-letter", args=[package_a.pk]))
    client.force_login(cast.staff_a)
    pages["deactivate question"] = client.get(
        reverse("tasks:task-toggle-active", args=[cast.task_a.pk]), {"q": "Groep"}
    )
    client.force_login(cast.ib_a)
    pages["review refused"] = client.post(
        review_url(cast), {"lock_version": lv(package_a), "decision": "accept"}
    )
    assert pages["review refused"].context["review_form"].errors
    client.post(
        review_url(cast),
        {"lock_version": lv(package_a), "decision": "return", "comment": "Te veel uren"},
    )
    client.force_login(cast.director_a)
    draft_url = reverse("tasks:package-draft", args=[package_a.pk])
    client.post(draft_url, {"lock_version": lv(package_a)})
    pages["return note"] = client.get(detail(package_a))
    assert 'id="return-note"' in pages["return note"].text
    for name, response in pages.items():
        assert response.status_code == 200, name
        (tmp_path / f"{name.replace(' ', '_')}.html").write_text(html_of(response))
    assert check(tmp_path) == []
