"""Task package pages: the forms on top of the services, their errors, conflicts and htmx.

The rules themselves are tested in test_packages; access per role in test_access. Here: what a
user sees and what their input does, and that list pages cost the same for 1 or many rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from schools.models import Membership, Role, SchoolYear
from tasks.models import CatalogueTask, Domain, Package, PackageItem, PackageStatus
from tasks.packages import (
    PackageConflict,
    current_version,
    item_add,
    package_create,
    package_reopen,
    package_review,
    package_submit,
)

from . import factories as f
from .competency_factories import assessment_round, matrix_framework
from .test_views import field_value_kept

H = Decimal
S = PackageStatus


def nl(text: str) -> str:
    """The Dutch text users see for an English message id (the pages are Dutch by default)."""
    with translation.override("nl"):
        return gettext(text)


def lv(package: Package) -> int:
    return Package.objects.values_list("lock_version", flat=True).get(pk=package.pk)


def item_of(package: Package) -> PackageItem:
    return current_version(package).items.get()


def detail(package: Package, **query) -> str:
    url = reverse("tasks:package-detail", args=[package.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def save_url(package: Package) -> str:
    return reverse("tasks:package-save", args=[package.pk])


def sheet(package: Package, values: dict) -> dict[str, str]:
    """A sheet as the page posts it: every row of the current version, with the values typed
    (``{item: (hours, note)}``) or else the saved ones."""
    data = {"lock_version": str(lv(package))}
    for item in current_version(package).items.all():
        hours, note = values.get(
            item, (format(item.hours.normalize(), "f").replace(".", ","), item.note)
        )
        data[f"hours_{item.pk}"] = hours
        data[f"note_{item.pk}"] = note
    for item, (hours, note) in values.items():  # rows of another version, too
        data.setdefault(f"hours_{item.pk}", hours)
        data.setdefault(f"note_{item.pk}", note)
    return data


def add_own(cast, title: str, hours: str) -> PackageItem:
    return item_add(
        package=cast.package_a,
        actor=cast.director_a,
        lock_version=lv(cast.package_a),
        hours=H(hours),
        title=title,
        domain=Domain.objects.get(code="data"),
    )


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def submit(cast) -> None:
    package_submit(package=cast.package_a, actor=cast.director_a, lock_version=lv(cast.package_a))


def review(cast, accept: bool, comment: str = "Akkoord") -> None:
    package_review(
        package=cast.package_a,
        actor=cast.ib_a,
        lock_version=lv(cast.package_a),
        accept=accept,
        comment=comment,
    )


@pytest.fixture
def director(client, cast, package_a):
    client.force_login(cast.director_a)
    return client


# ---------------------------------------------------------------------------------------------
# the package page
# ---------------------------------------------------------------------------------------------


def test_director_sees_budget_signals_and_forms(director, cast):
    # Board A: 1659 h per fte, nothing reserved; ib_a has 0.8 fte at A1 -> 1327.2 h.
    response = director.get(detail(cast.package_a))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.budget_hours, summary.assigned_hours) == (H("1327.2"), H("40"))
    html = response.text
    assert "1327,2" in html and "1287,2" in html  # budget and left, Dutch decimals
    assert response.context["editing"] and not response.context["reviewing"]
    assert f'name="lock_version" value="{lv(cast.package_a)}"' in html
    # One sheet form: its own action saves, the other buttons post to theirs (formaction).
    assert f'<form id="sheet" method="post" action="{save_url(cast.package_a)}"' in html
    # Over budget, the answer scrolls to its question (#over-budget-confirm), also without JS.
    submit = reverse("tasks:package-submit", args=[cast.package_a.pk])
    assert f'formaction="{submit}#over-budget-confirm"' in html
    item = item_of(cast.package_a)
    assert field_value_kept(html, f"hours_{item.pk}", "40")
    # The catalogue loads on demand: not on the page until asked for.
    assert reverse("tasks:item-add", args=[cast.package_a.pk]) not in html
    assert reverse("tasks:package-catalogue", args=[cast.package_a.pk]) in html
    # Two of the three domains have no hours: a signal each.
    assert len(summary.empty_domains) == 2


@pytest.mark.parametrize("user", ["ib_a", "staff_a"])
def test_others_read_the_package_without_forms(client, cast, package_a, user):
    client.force_login(cast.user(user))
    html = client.get(detail(package_a)).text
    assert "Groepsbesprekingen voeren" in html
    assert reverse("tasks:item-add", args=[package_a.pk]) not in html
    assert reverse("tasks:package-submit", args=[package_a.pk]) not in html
    assert reverse("tasks:package-review", args=[package_a.pk]) not in html


def test_director_of_another_school_of_the_board_gets_404(client, cast, package_a):
    client.force_login(f.director(cast.school_a2))
    assert client.get(detail(package_a)).status_code == 404


def test_the_catalogue_search_lists_active_tasks_and_marks_others(director, cast):
    f.CatalogueTaskFactory(board=cast.board_a, title="Leesproject begeleiden")
    f.CatalogueTaskFactory(board=cast.board_a, title="Leesmap oud", is_active=False)
    f.CatalogueTaskFactory(
        board=cast.board_a,
        title="Leesles geven",
        is_ib_task=False,
        not_ib_reason="Lesgeven is niet de taak van de IB.",
    )
    f.CatalogueTaskFactory(board=cast.board_b, title="Leesclub van bestuur B")
    response = director.get(detail(cast.package_a, catalogus=1, q="lees"))
    titles = [row["task"].title for row in response.context["task_rows"]]
    assert sorted(titles) == ["Leesles geven", "Leesproject begeleiden"]
    assert "Lesgeven is niet de taak van de IB." in response.text
    # The task already in the package is listed as such, without an Add form.
    rows = director.get(detail(cast.package_a, catalogus=1)).context["task_rows"]
    assert [row["in_package"] for row in rows if row["task"] == cast.task_a] == [True]


# ---------------------------------------------------------------------------------------------
# items: Dutch decimals, errors at the form, conflicts
# ---------------------------------------------------------------------------------------------


def test_hours_are_saved_from_a_dutch_decimal(director, cast):
    item = item_of(cast.package_a)
    response = director.post(save_url(cast.package_a), sheet(cast.package_a, {item: ("12,5", "x")}))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.hours, item.note) == (H("12.5"), "x")


@pytest.mark.parametrize(
    ("hours", "error"),
    [
        ("twaalf", "Give the hours as a number, e.g. 12,5."),
        ("-3", "Hours must be more than 0."),
        ("0", "Hours must be more than 0."),
        ("12,55", "Give hours with at most one decimal."),
        ("99999", "Hoogstens 1659 uur: dat is een heel jaar voltijds werk."),
        # A number the form accepts but the budget (1327,2 h) does not: the service's error.
        ("1400", "1400 uur is meer dan het hele urenbudget van dit takenpakket (1327,2 uur)."),
    ],
)
def test_bad_hours_rerender_with_the_error_at_the_field(director, cast, hours, error):
    item = item_of(cast.package_a)
    before = lv(cast.package_a)
    response = director.post(
        save_url(cast.package_a), sheet(cast.package_a, {item: (hours, "mijn notitie")})
    )
    assert response.status_code == 200
    row = next(
        row
        for group in response.context["row_groups"]
        for row in group["entries"]
        if row.item == item
    )
    assert row.errors == [nl(error)]
    assert field_value_kept(response.text, f"hours_{item.pk}", hours)
    assert field_value_kept(response.text, f"note_{item.pk}", "mijn notitie")
    # Nothing changed, and the page carries the lock version as stored.
    item.refresh_from_db()
    assert item.hours == H("40") and lv(cast.package_a) == before
    assert f'name="lock_version" value="{before}"' in response.text


def test_a_stale_form_shows_the_current_state_and_keeps_the_input(director, cast):
    item = item_of(cast.package_a)
    stale = lv(cast.package_a)
    # Someone else adds a task after the page was loaded.
    item_add(
        package=cast.package_a,
        actor=cast.director_a,
        lock_version=stale,
        hours=H("10"),
        title="Iets nieuws",
        domain=Domain.objects.get(code="data"),
    )
    data = {**sheet(cast.package_a, {item: ("55", "van mij")}), "lock_version": stale}
    response = director.post(save_url(cast.package_a), data)
    assert response.status_code == 200
    with translation.override("nl"):
        conflict = str(PackageConflict())
    assert conflict in message_texts(response)
    assert "Iets nieuws" in response.text  # the current state
    assert field_value_kept(response.text, f"hours_{item.pk}", "55")  # the user's input
    # ... marked as not saved, against the stored value.
    assert 'value="55" data-saved="40"' in response.text
    assert f'name="lock_version" value="{stale + 1}"' in response.text
    item.refresh_from_db()
    assert item.hours == H("40")


def test_a_stale_sheet_shows_the_saved_value_next_to_the_kept_input(director, cast):
    """Two tabs on the same sheet: the second save is refused, and the director sees what the
    first one stored beside what they typed, so that saving again is an informed choice."""
    item = item_of(cast.package_a)
    stale_page = sheet(cast.package_a, {item: ("64", "mijn notitie")})
    director.post(save_url(cast.package_a), sheet(cast.package_a, {item: ("58", "")}))
    response = director.post(save_url(cast.package_a), stale_page)
    assert response.status_code == 200
    assert 'value="64" data-saved="58"' in response.text  # the input kept ...
    assert nl("saved: %(value)s") % {"value": "58"} in response.text  # ... the stored value shown
    assert nl("saved: empty") in response.text  # the note typed against an empty stored note
    assert nl(
        "Your input is still in the rows marked “not saved”, with the saved value "
        "under it. Save again to replace the saved values with yours."
    ) in message_texts(response)
    item.refresh_from_db()
    assert item.hours == H("58")


def test_adding_a_catalogue_task_returns_to_the_same_search(director, cast):
    task = f.CatalogueTaskFactory(board=cast.board_a, title="Leesproject", default_hours=H("20"))
    response = director.post(
        reverse("tasks:item-add", args=[cast.package_a.pk]),
        {
            "lock_version": lv(cast.package_a),
            "task": task.pk,
            f"task_hours_{task.pk}": "22,5",
            "q": "lees",
            "domein": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail(cast.package_a, catalogus=1, q="lees") + "#catalogue"
    assert current_version(cast.package_a).items.get(task=task).hours == H("22.5")


def test_a_task_of_another_board_cannot_be_added(director, cast):
    other = f.CatalogueTaskFactory(board=cast.board_b)
    response = director.post(
        reverse("tasks:item-add", args=[cast.package_a.pk]),
        {"lock_version": lv(cast.package_a), "task": other.pk, "hours": "5"},
    )
    assert response.status_code == 200
    assert response.context["page_errors"]
    assert not current_version(cast.package_a).items.filter(task=other).exists()


def test_an_own_task_needs_a_title(director, cast):
    response = director.post(
        reverse("tasks:item-add", args=[cast.package_a.pk]),
        {"lock_version": lv(cast.package_a), "own-title": "", "own-domain": "", "own-hours": "5"},
    )
    assert response.status_code == 200
    assert set(response.context["own_form"].errors) == {"title", "domain"}
    assert field_value_kept(response.text, "own-hours", "5")


def test_the_same_task_twice_is_refused(director, cast):
    response = director.post(
        reverse("tasks:item-add", args=[cast.package_a.pk]),
        {"lock_version": lv(cast.package_a), "task": cast.task_a.pk, "hours": "5"},
    )
    assert response.status_code == 200
    assert current_version(cast.package_a).items.count() == 1


# ---------------------------------------------------------------------------------------------
# the sheet: all tasks saved at once, and every button saves what was typed first
# ---------------------------------------------------------------------------------------------


def test_the_sheet_saves_changed_tasks_once_and_skips_unchanged_ones(director, cast):
    first = item_of(cast.package_a)
    second = add_own(cast, "Trendanalyse", "10")
    third = add_own(cast, "Toetskalender", "5")
    events = cast.package_a.events.count()
    lock = lv(cast.package_a)
    data = sheet(
        cast.package_a,
        {first: ("45", ""), second: ("10", "met de rekencoördinator"), third: ("5", "")},
    )
    response = director.post(save_url(cast.package_a), data)
    assert response.status_code == 302 and response["Location"] == detail(cast.package_a)
    assert lv(cast.package_a) == lock + 1  # one lock check for the whole sheet
    changed = list(cast.package_a.events.order_by("id"))[events:]
    assert [event.kind for event in changed] == ["item_changed", "item_changed"]
    assert {event.detail.split(":")[0] for event in changed} == {first.title, "Trendanalyse"}
    assert message_texts(response) == ["Uw wijzigingen van 2 taken zijn opgeslagen."]
    # Saving again without changes: nothing written, and the user is told.
    response = director.post(save_url(cast.package_a), sheet(cast.package_a, {}))
    assert lv(cast.package_a) == lock + 1
    assert message_texts(response)[-1] == nl("Nothing has changed, so nothing needed saving.")


def test_one_invalid_row_saves_nothing_and_keeps_every_input(director, cast):
    first = item_of(cast.package_a)
    second = add_own(cast, "Trendanalyse", "10")
    lock = lv(cast.package_a)
    data = sheet(cast.package_a, {first: ("45", "meer"), second: ("tien", "")})
    response = director.post(save_url(cast.package_a), data)
    assert response.status_code == 200
    assert lv(cast.package_a) == lock
    first.refresh_from_db()
    assert (first.hours, first.note) == (H("40"), "")
    # Both rows keep what was typed; the bad one says why, the good one is marked unsaved.
    assert field_value_kept(response.text, f"hours_{first.pk}", "45")
    assert field_value_kept(response.text, f"note_{first.pk}", "meer")
    assert field_value_kept(response.text, f"hours_{second.pk}", "tien")
    rows = {
        row.item.pk: row for group in response.context["row_groups"] for row in group["entries"]
    }
    assert rows[second.pk].errors == [nl("Give the hours as a number, e.g. 12,5.")]
    assert rows[first.pk].errors == [] and rows[first.pk].changed
    assert response.context["unsaved_rows"] == 2
    assert f'aria-invalid="true" aria-describedby="item{second.pk}-error' in response.text
    assert response.context["sheet"].non_field_errors()


def test_submit_saves_the_typed_hours_first_then_submits(director, cast):
    """Without JavaScript "Submit" is a button of the sheet: what was typed is not lost."""
    item = item_of(cast.package_a)
    data = {**sheet(cast.package_a, {item: ("44", "bijgesteld")}), "comment": "Graag"}
    response = director.post(reverse("tasks:package-submit", args=[cast.package_a.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.hours, item.note) == (H("44"), "bijgesteld")
    assert current_version(cast.package_a).status == S.SUBMITTED
    kinds = list(cast.package_a.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == ["item_changed", "submitted"]


def test_submit_with_an_invalid_row_saves_and_submits_nothing(director, cast):
    item = item_of(cast.package_a)
    data = sheet(cast.package_a, {item: ("-1", "")})
    response = director.post(reverse("tasks:package-submit", args=[cast.package_a.pk]), data)
    assert response.status_code == 200
    assert current_version(cast.package_a).status == S.CONCEPT
    assert field_value_kept(response.text, f"hours_{item.pk}", "-1")


def test_submitting_over_budget_asks_for_a_confirmation_naming_the_hours(director, cast):
    item = item_of(cast.package_a)
    add_own(cast, "Extra", "70")
    # 1300 + 70 = 1370 hours against a budget of 1327.2: 42.8 hours over.
    data = {**sheet(cast.package_a, {item: ("1300", "")}), "comment": "Veel dit jaar"}
    url = reverse("tasks:package-submit", args=[cast.package_a.pk])
    response = director.post(url, data)
    assert response.status_code == 200
    assert "Het takenpakket is 42,8 uur boven het urenbudget. Toch voorleggen?" in response.text
    assert 'name="confirm_over_budget" value="42.8"' in response.text
    assert current_version(cast.package_a).status == S.CONCEPT
    item.refresh_from_db()
    assert item.hours == H("1300")  # the typed hours are saved
    assert "Veel dit jaar" in response.text  # and the comment kept for the confirmation
    # The question sits at the top, before the package's facts, werkplan and sheet; its button
    # posts the sheet (form="sheet") and answers at the question again (#over-budget-confirm).
    html = response.text
    assert html.index('id="over-budget-confirm"') < html.index('id="werkplan"')
    assert html.index('id="over-budget-confirm"') < html.index('<form id="sheet"')
    assert f'form="sheet" class="btn btn-warning" formaction="{url}#over-budget-confirm"' in html
    response = director.post(
        url,
        {**sheet(cast.package_a, {}), "comment": "Veel dit jaar", "confirm_over_budget": "42.8"},
    )
    assert response.status_code == 302
    assert current_version(cast.package_a).status == S.SUBMITTED
    assert cast.package_a.events.order_by("-id").first().comment == "Veel dit jaar"


def test_hours_raised_on_the_confirmation_page_ask_again(director, cast):
    """The confirmation named 42.8 hours over; the director raises a task on that page and
    clicks "Yes": the package is saved but not submitted until the new excess is confirmed."""
    item = item_of(cast.package_a)
    add_own(cast, "Extra", "70")
    url = reverse("tasks:package-submit", args=[cast.package_a.pk])
    director.post(url, sheet(cast.package_a, {item: ("1300", "")}))
    data = {**sheet(cast.package_a, {item: ("1310", "")}), "confirm_over_budget": "42.8"}
    response = director.post(url, data)
    assert response.status_code == 200
    assert "Het takenpakket is 52,8 uur boven het urenbudget. Toch voorleggen?" in response.text
    assert current_version(cast.package_a).status == S.CONCEPT
    item.refresh_from_db()
    assert item.hours == H("1310")
    for nonsense in ("ja", "NaN"):
        response = director.post(
            url, {**sheet(cast.package_a, {}), "confirm_over_budget": nonsense}
        )
        assert response.status_code == 200
        assert current_version(cast.package_a).status == S.CONCEPT


def test_remove_asks_first_and_saves_the_typed_values_on_the_way(director, cast):
    item = item_of(cast.package_a)
    other = add_own(cast, "Trendanalyse", "10")
    url = reverse("tasks:item-remove", args=[other.pk])
    response = director.post(url, sheet(cast.package_a, {item: ("41", "")}))
    # Without JavaScript: the typed hours are saved, then a page asks about the removal.
    assert response.status_code == 302 and response["Location"] == url
    item.refresh_from_db()
    assert item.hours == H("41")
    page = director.get(url)
    assert page.status_code == 200 and "Trendanalyse" in page.text
    assert 'name="confirm" value="1"' in page.text
    assert PackageItem.objects.filter(pk=other.pk).exists()
    response = director.post(url, {"lock_version": lv(cast.package_a), "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == detail(cast.package_a)
    assert not PackageItem.objects.filter(pk=other.pk).exists()


def test_copy_and_add_save_the_sheet_first(director, cast):
    item = item_of(cast.package_a)
    data = {
        **sheet(cast.package_a, {item: ("39", "")}),
        "own-title": "Eigen taak",
        "own-domain": Domain.objects.get(code="data").pk,
        "own-hours": "3",
    }
    response = director.post(reverse("tasks:item-add", args=[cast.package_a.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.hours == H("39")
    assert current_version(cast.package_a).items.filter(title="Eigen taak").exists()


def test_the_catalogue_loads_on_demand_and_works_without_javascript(director, cast):
    f.CatalogueTaskFactory(board=cast.board_a, title="Leesproject begeleiden")
    url = reverse("tasks:package-catalogue", args=[cast.package_a.pk])
    response = director.get(url + "?q=lees", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "Leesproject begeleiden" in response.text
    add_url = reverse("tasks:item-add", args=[cast.package_a.pk])
    assert f'formaction="{add_url}"' in response.text
    # Without htmx the same address leads to the package page with the catalogue open.
    response = director.get(url + "?q=lees")
    assert response["Location"] == detail(cast.package_a, catalogus=1, q="lees") + "#catalogue"
    # The sheet's "Add a task" button without JavaScript: save, then the catalogue.
    response = director.post(
        save_url(cast.package_a), {**sheet(cast.package_a, {}), "catalogus": "1"}
    )
    assert response["Location"] == detail(cast.package_a, catalogus=1) + "#catalogue"
    assert director.get(response["Location"]).context["catalogue_open"]


# ---------------------------------------------------------------------------------------------
# the workflow through the pages
# ---------------------------------------------------------------------------------------------


def test_submit_review_return_and_accept(client, cast, package_a):
    client.force_login(cast.director_a)
    url = reverse("tasks:package-submit", args=[package_a.pk])
    assert client.post(url, {"lock_version": lv(package_a), "comment": "Graag"}).status_code == 302
    assert current_version(package_a).status == S.SUBMITTED

    client.force_login(cast.ib_a)
    page = client.get(detail(package_a))
    assert page.context["reviewing"]
    item = item_of(package_a)
    field = f"item_{item.pk}"
    assert f'name="{field}"' in page.text
    assert 'id="review-form"' in page.text
    review_url = reverse("tasks:package-review", args=[package_a.pk])
    # Returning needs a reason: the page comes back with the error and the input.
    response = client.post(
        review_url, {"lock_version": lv(package_a), "decision": "return", "comment": " "}
    )
    assert response.status_code == 200
    assert response.context["review_form"].non_field_errors()
    response = client.post(
        review_url,
        {"lock_version": lv(package_a), "decision": "return", field: "Te veel uren"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (current_version(package_a).status, item.ib_comment) == (S.RETURNED, "Te veel uren")

    client.force_login(cast.director_a)
    page = client.get(detail(package_a))
    assert "Te veel uren" in page.text and page.context["can_draft"]
    draft_url = reverse("tasks:package-draft", args=[package_a.pk])
    assert client.post(draft_url, {"lock_version": lv(package_a)}).status_code == 302
    client.post(url, {"lock_version": lv(package_a), "comment": ""})

    client.force_login(cast.ib_a)
    response = client.post(review_url, {"lock_version": lv(package_a), "decision": "accept"})
    assert response.status_code == 302
    assert current_version(package_a).status == S.AGREED


def test_director_withdraws_a_submitted_package(director, cast, client):
    submit(cast)
    page = director.get(detail(cast.package_a))
    url = reverse("tasks:package-withdraw", args=[cast.package_a.pk])
    assert page.context["withdraw_form"] is not None and f'action="{url}"' in page.text
    response = director.post(
        url,
        {"lock_version": lv(cast.package_a), "comment": "Taak vergeten", "confirmed": "1"},
        follow=True,
    )
    assert current_version(cast.package_a).status == S.CONCEPT
    assert nl("The package is withdrawn and a draft again; the IB will be told by e-mail.") in [
        str(message) for message in response.context["messages"]
    ]
    assert response.context["can_submit"]  # a draft again: submit once more
    history = director.get(reverse("tasks:package-history", args=[cast.package_a.pk]))
    assert "Teruggetrokken door de directeur" in history.text
    assert "Taak vergeten" in history.text
    # The IB sees no withdraw form, and the page no longer asks for a review.
    client.force_login(cast.ib_a)
    page = client.get(detail(cast.package_a))
    assert "withdraw_form" not in page.context
    assert not page.context["reviewing"]


def test_withdrawing_with_a_stale_page_changes_nothing(director, cast):
    submit(cast)
    stale = lv(cast.package_a)
    review(cast, accept=True)
    url = reverse("tasks:package-withdraw", args=[cast.package_a.pk])
    response = director.post(url, {"lock_version": stale, "comment": "", "confirmed": "1"})
    assert response.status_code == 200
    assert current_version(cast.package_a).status == S.AGREED


def test_reopen_shows_the_new_version_and_the_old_one_and_the_diff(director, cast):
    submit(cast)
    review(cast, accept=True)
    url = reverse("tasks:package-reopen", args=[cast.package_a.pk])
    response = director.post(url, {"lock_version": lv(cast.package_a), "comment": "Meer data"})
    assert response.status_code == 302
    new_item = item_of(cast.package_a)
    director.post(save_url(cast.package_a), sheet(cast.package_a, {new_item: ("60", "")}))
    page = director.get(detail(cast.package_a))
    assert page.context["shown"].number == 2 and page.context["editing"]
    old = director.get(detail(cast.package_a, versie=1))
    assert old.context["shown"].status == S.AGREED and not old.context["editing"]
    compared = director.get(detail(cast.package_a, versie=2, vergelijk=1))
    diff = compared.context["diff"]
    assert [(a.hours, b.hours) for a, b in diff.changed] == [(H("40"), H("60"))]
    assert director.get(detail(cast.package_a, versie=9)).status_code == 404


def test_an_item_of_an_earlier_version_is_not_changed(director, cast):
    old_item = item_of(cast.package_a)
    submit(cast)
    review(cast, accept=True)
    package_reopen(package=cast.package_a, actor=cast.director_a, lock_version=lv(cast.package_a))
    # A sheet posted from the old version's page: its rows are not the current version's.
    response = director.post(save_url(cast.package_a), sheet(cast.package_a, {old_item: ("5", "")}))
    assert response.status_code == 302
    old_item.refresh_from_db()
    assert old_item.hours == H("40")


def test_create_with_copy_of_last_year(client, cast, package_a):
    client.force_login(cast.director_a)
    next_year = SchoolYear.current_start_year() + 1
    url = reverse("tasks:package-create", args=[package_a.share_id, next_year])
    response = client.post(url, {"copy": "1"})
    package = Package.objects.get(school_year__start_year=next_year)
    assert response["Location"] == detail(package)
    assert list(current_version(package).items.values_list("title", "hours")) == [
        ("Groepsbesprekingen voeren", H("40"))
    ]
    # A second create for the same share and year: refused with a message, nothing new.
    response = client.post(url)
    assert response.status_code == 302
    assert Package.objects.filter(school_year__start_year=next_year).count() == 1


def test_copy_says_which_deactivated_tasks_were_left_out(client, cast, package_a):
    item = current_version(package_a).items.get()
    item.task.is_active = False
    item.task.save(update_fields=["is_active"])
    client.force_login(cast.director_a)
    next_year = SchoolYear.current_start_year() + 1
    url = reverse("tasks:package-create", args=[package_a.share_id, next_year])
    response = client.post(url, {"copy": "1"}, follow=True)
    package = Package.objects.get(school_year__start_year=next_year)
    assert not current_version(package).items.exists()
    messages = [str(message) for message in response.context["messages"]]
    assert messages[-1] == (
        "Niet overgenomen, omdat het bestuur deze taak niet meer in de catalogus heeft: "
        "Groepsbesprekingen voeren."
    )


def test_create_outside_the_appointment_leaves_no_school_year(client, cast):
    client.force_login(cast.director_a)
    url = reverse("tasks:package-create", args=[cast.appointment_a.shares.get().pk, 2030])
    cast.appointment_a.end_date = datetime.date(2027, 7, 31)
    cast.appointment_a.save()
    response = client.post(url)
    assert response.status_code == 302
    assert not SchoolYear.objects.filter(start_year=2030).exists()


def test_letter_and_history(client, cast, package_a):
    submit(cast)
    client.force_login(cast.staff_a)
    letter = client.get(reverse("tasks:package-letter", args=[package_a.pk]))
    assert letter.status_code == 200
    assert "Groepsbesprekingen voeren" in letter.text
    # Not agreed yet: a draft letter, without a place to sign (see test_package_review).
    assert "signature-box" not in letter.text and 'id="letter-concept"' in letter.text
    assert 'src="/static/js/print.js"' in letter.text
    history = client.get(reverse("tasks:package-history", args=[package_a.pk]))
    kinds = [event.kind for event in history.context["events"]]
    assert kinds == ["submitted", "item_added", "created"]


# ---------------------------------------------------------------------------------------------
# lists
# ---------------------------------------------------------------------------------------------


def test_overview_shows_status_and_a_create_button_for_the_director_only(client, cast, package_a):
    colleague = f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a1, H("0.2"))])
    create_url = reverse(
        "tasks:package-create",
        args=[colleague.shares.get().pk, SchoolYear.current_start_year()],
    )
    client.force_login(cast.director_a)
    response = client.get(reverse("tasks:package-overview"))
    rows = {row["share"].pk: row for row in response.context["rows"]}
    assert rows[package_a.share_id]["package"].current_status == S.CONCEPT
    assert rows[package_a.share_id]["package"].assigned_hours == H("40")
    assert create_url in response.text
    client.force_login(cast.staff_a)
    response = client.get(reverse("tasks:package-overview"))
    assert len(response.context["rows"]) == 2 and create_url not in response.text


def test_ib_packages_totals_per_year(client, cast, package_a):
    at_a2 = f.AppointmentFactory(
        board=cast.board_a, ib=cast.ib_a, shares=[(cast.school_a2, H("0.2"))]
    )
    second = package_create(
        share=at_a2.shares.get(),
        school_year=package_a.school_year,
        actor=f.director(cast.school_a2),
    )
    item_add(
        package=second,
        actor=second.school.directors[0],
        lock_version=0,
        hours=H("100"),
        task=cast.task_a,
    )
    client.force_login(cast.ib_a)
    response = client.get(reverse("tasks:ib-packages"))
    [year] = response.context["years"]
    # 0.8 + 0.2 fte; 1327.2 + 331.8 hours budget; 40 + 100 assigned.
    assert (year["fte"], year["budget"], year["assigned"]) == (H("1.0"), H("1659.0"), H("140"))


# ---------------------------------------------------------------------------------------------
# query counts: 1 row costs what many rows cost
# ---------------------------------------------------------------------------------------------

# Every logged-in request: the session, the user, the user's memberships (get_scope, once).
REQUEST = 3


def board_with_packages(size: int):
    """A board with ``size`` schools, each with an IB share and a package with two items."""
    board = f.BoardFactory()
    staff = f.board_staff(board)
    director = f.UserFactory()
    year = f.SchoolYearFactory()
    task = f.CatalogueTaskFactory(board=board)
    schools = [f.SchoolFactory(board=board) for _ in range(size)]
    # All memberships first: the director's scope is read once and cached on the user.
    for school in schools:
        Membership.objects.create(user=director, role=Role.DIRECTOR, school=school)
    for school in schools:
        share = f.AppointmentFactory(board=board, shares=[(school, H("0.5"))]).shares.get()
        package = package_create(share=share, school_year=year, actor=director)
        item_add(package=package, actor=director, lock_version=0, hours=H("10"), task=task)
        item_add(
            package=package,
            actor=director,
            lock_version=1,
            hours=H("5"),
            title="Eigen",
            domain=Domain.objects.get(code="data"),
        )
        f.AppointmentFactory(board=board, shares=[(school, H("0.1"))])  # a share without one
    return board, staff, director


@pytest.mark.parametrize("size", [1, 15])
def test_overview_query_count(client, db, django_assert_num_queries, size):
    board, staff, director = board_with_packages(size)
    client.force_login(staff)
    with django_assert_num_queries(
        REQUEST
        + 1  # the shares of the year, with school, board, appointment and IB
        + 1  # their packages of the year, with the newest version's state and hours
        + 1  # the IBs' own hours on those appointments, part of each budget
        + 1  # (school, IB) pairs with a package last year
        + 1  # known school years, for the year picker
    ):
        response = client.get(reverse("tasks:package-overview"))
    assert len(response.context["rows"]) == 2 * size


@pytest.mark.parametrize("size", [1, 15])
def test_detail_query_count(client, db, django_assert_num_queries, size):
    board, staff, director = board_with_packages(1)
    package = Package.objects.get(share__school__board=board)
    # The package's catalogue tasks ask competencies; the IB shared a round with the director.
    framework = matrix_framework(board, rows=size, columns=3)
    cells = list(framework.cells.all())
    assessment_round(package.ib, framework, shared_with=director)
    for n in range(size):
        extra = CatalogueTask.objects.create(
            board=board,
            title=f"Extra {n}",
            domain=Domain.objects.get(code="leren"),
            default_hours=H("3"),
        )
        extra.cells.set(cells[3 * n : 3 * n + 3])
        item_add(
            package=package,
            actor=director,
            lock_version=lv(package),
            hours=H("2"),
            task=extra,
        )
    client.force_login(director)
    with django_assert_num_queries(
        REQUEST
        + 1  # the package with share, school, board, appointment, IB and school year
        + 1  # its versions
        + 1  # the items of the version shown
        + 1  # the LBBO domains
        + 1  # the werkplan: goals with their development point and tasks (one row each)
        + 1  # the cells its catalogue tasks ask, with framework, row and column
        # (no query for the board's framework versions: the framework is the first of its
        # family, which the cells' query says)
        + 1  # the ratings of the IB's completed rounds shared with the director
        + 1  # a draft: last year's package of the IB at the school (none here; nextyear)
        + 1  # the IB's own hours on the appointment, part of the budget
    ):
        response = client.get(detail(package))
    assert len(response.context["items"]) == size + 2
    assert len(response.context["competencies"].lines) == 3 * size


def test_a_refused_button_shows_its_error_on_top(director, cast):
    # No package last year to copy from.
    url = reverse("tasks:package-copy", args=[cast.package_a.pk])
    response = director.post(url, {"lock_version": lv(cast.package_a)})
    assert response.status_code == 200
    assert response.context["page_errors"] == [nl("There is no package of last year to copy.")]
    # A submitted package's task cannot be removed; the row keeps its (read-only) content.
    submit(cast)
    item = item_of(cast.package_a)
    url = reverse("tasks:item-remove", args=[item.pk])
    response = director.post(url, {"lock_version": lv(cast.package_a), "confirm": "1"})
    assert response.status_code == 200
    assert len(response.context["page_errors"]) == 1
    assert PackageItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("size", [1, 15])
def test_catalogue_query_count(client, db, django_assert_num_queries, size):
    """The catalogue that loads on demand costs the same for 1 or 15 tasks of the board."""
    board, staff, director = board_with_packages(1)
    package = Package.objects.get(share__school__board=board)
    for n in range(size):
        CatalogueTask.objects.create(
            board=board,
            title=f"Taak {n}",
            domain=Domain.objects.get(code="leren"),
            default_hours=H("3"),
        )
    client.force_login(director)
    url = reverse("tasks:package-catalogue", args=[package.pk])
    with django_assert_num_queries(
        REQUEST
        + 1  # the package with share, school, board, appointment, IB and school year
        + 1  # its current version
        + 1  # the items of that version (which tasks are in the package already)
        + 1  # the LBBO domains (the search's and the own task's select)
        + 1  # the board's active catalogue tasks, with domain
        + 1  # the school's figures of the package's year (hours per group or teacher)
        + 1  # last year's package, with its school year
    ):
        response = client.get(url, headers={"HX-Request": "true"})
    assert len(response.context["task_rows"]) == size + 1  # and the board's first task
