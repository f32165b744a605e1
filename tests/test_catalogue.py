"""The board's task catalogue: copied from the standard one, kept by board staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tasks.models import CatalogueTask, Domain
from tasks.services import catalogue_copy_standard
from tasks.standard_catalogue import DOMAINS, TASKS, validate

from . import factories as f


def test_standard_catalogue_is_consistent():
    validate()
    assert len(TASKS) >= 40
    assert {task["domain"] for task in TASKS} == {domain["code"] for domain in DOMAINS}
    not_ib = [task for task in TASKS if not task["is_ib_task"]]
    assert not_ib and all(task["not_ib_reason"] for task in not_ib)


def test_domains_are_loaded_by_migration(db):
    # The three LBBO domains, then the general school duties outside them (issue 13).
    assert list(Domain.objects.values_list("code", "is_lbbo")) == [
        ("leren", True),
        ("data", True),
        ("zorg", True),
        ("algemeen", False),
    ]


def test_copy_gives_the_board_every_standard_task_once(cast):
    added = catalogue_copy_standard(board=cast.board_b)
    assert added == len(TASKS)
    assert catalogue_copy_standard(board=cast.board_b) == 0
    assert CatalogueTask.objects.filter(board=cast.board_b).count() == len(TASKS)
    assert not CatalogueTask.objects.filter(board=cast.board_a, standard_key__gt="").exists()


def test_copy_keeps_the_boards_own_edits(cast):
    catalogue_copy_standard(board=cast.board_a)
    task = CatalogueTask.objects.filter(board=cast.board_a).exclude(standard_key="").first()
    task.title = "Eigen titel"
    task.is_active = False
    task.save()
    assert catalogue_copy_standard(board=cast.board_a) == 0
    task.refresh_from_db()
    assert (task.title, task.is_active) == ("Eigen titel", False)


def test_not_ib_task_needs_a_reason(cast):
    task = f.CatalogueTaskFactory.build(board=cast.board_a, is_ib_task=False, not_ib_reason="")
    task.domain = Domain.objects.get(code="zorg")
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert "not_ib_reason" in error.value.message_dict


def test_form_refuses_not_ib_task_without_reason_and_keeps_input(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("tasks:task-create", args=[cast.board_a.pk]),
        {
            "title": "Remedial teaching groep 5",
            "domain": Domain.objects.get(code="zorg").pk,
            "default_hours": "40",
            "source": "",
            "not_ib_reason": "",
        },
    )
    assert response.status_code == 200
    assert "not_ib_reason" in response.context["form"].errors
    assert "Remedial teaching groep 5" in response.content.decode()
    assert not CatalogueTask.objects.filter(title="Remedial teaching groep 5").exists()


def test_hours_accept_dutch_decimal_and_refuse_nonsense(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("tasks:task-edit", args=[cast.task_a.pk])
    data = {
        "title": cast.task_a.title,
        "domain": cast.task_a.domain_id,
        "default_hours": "12,5",
        "is_ib_task": "on",
        "lock_version": cast.task_a.lock_version,
    }
    assert client.post(url, data).status_code == 302
    cast.task_a.refresh_from_db()
    assert str(cast.task_a.default_hours) == "12.5"
    for bad in ("-3", "veel", "0", "99999"):
        response = client.post(url, {**data, "default_hours": bad})
        assert response.status_code == 200
        assert "default_hours" in response.context["form"].errors


def test_deactivated_task_is_hidden_unless_asked_for_and_not_deleted(client, cast):
    client.force_login(cast.staff_a)
    client.post(reverse("tasks:task-toggle-active", args=[cast.task_a.pk]), {"confirmed": "1"})
    cast.task_a.refresh_from_db()
    assert cast.task_a.is_active is False
    url = reverse("tasks:catalogue", args=[cast.board_a.pk])
    assert cast.task_a not in client.get(url).context["tasks"]
    assert cast.task_a in client.get(url, {"inactief": "on"}).context["tasks"]
    client.post(reverse("tasks:task-toggle-active", args=[cast.task_a.pk]))
    cast.task_a.refresh_from_db()
    assert cast.task_a.is_active is True


def test_search_and_domain_filter(client, cast):
    f.CatalogueTaskFactory(
        board=cast.board_a, title="Trendanalyse maken", domain=Domain.objects.get(code="data")
    )
    client.force_login(cast.director_a)
    url = reverse("tasks:catalogue", args=[cast.board_a.pk])
    tasks = client.get(url, {"domein": "data"}).context["tasks"]
    assert [task.title for task in tasks] == ["Trendanalyse maken"]
    tasks = client.get(url, {"q": "groepsbespr"}).context["tasks"]
    assert [task.title for task in tasks] == ["Groepsbesprekingen voeren"]


def test_catalogue_page_query_count_does_not_grow(client, cast, django_assert_max_num_queries):
    client.force_login(cast.staff_a)
    url = reverse("tasks:catalogue", args=[cast.board_a.pk])
    client.get(url)
    catalogue_copy_standard(board=cast.board_a)
    # session, user, memberships, board, tasks (domain joined), domains (cards + filter)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["tasks"]) == len(TASKS) + 1


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "Het aantal uren moet meer dan 0 zijn."),
        ("12,55", "Geef de uren op met hoogstens één decimaal."),
        ("veel", "Geef de uren op als getal, bijv. 12,5."),
    ],
)
def test_catalogue_hours_errors_are_the_package_pages_ones(client, cast, hours, message):
    from .test_access import catalogue_task_data

    client.force_login(cast.staff_a)
    url = reverse("tasks:task-create", args=[cast.board_a.pk])
    response = client.post(url, catalogue_task_data(title="Nieuw", default_hours=hours))
    assert response.status_code == 200
    assert response.context["form"].errors["default_hours"] == [message]
    assert f'value="{hours}"' in response.text  # the input is kept


def test_deactivating_keeps_the_lists_filters(client, cast):
    client.force_login(cast.staff_a)
    list_url = reverse("tasks:catalogue", args=[cast.board_a.pk])
    page = client.get(list_url, {"q": cast.task_a.title[:6], "inactief": "on"})
    assert 'name="inactief" value="on"' in page.text
    url = reverse("tasks:task-toggle-active", args=[cast.task_a.pk])
    response = client.post(url, {"q": "Groep", "inactief": "on", "other": "x", "confirmed": "1"})
    assert response["Location"] == f"{list_url}?q=Groep&inactief=on"
    response = client.post(url)  # without filters: the plain list
    assert response["Location"] == list_url


def test_sync_updates_unedited_copies_keeps_edited_ones_and_retires_merged_ones(cast, monkeypatch):
    """What the data migration of December 2026 does to every board's copy (issue 13)."""
    from tasks import services
    from tasks.catalogue_history import fingerprint
    from tasks.models import PackageItem, PackageVersion

    from .factories import PackageFactory

    zorg = Domain.objects.get(code="zorg")
    old = {
        "title": "Groepsbesprekingen voeren (3x per jaar)",
        "description": "Oude tekst.",
        "domain": zorg,
        "default_hours": 48,
        "source": "Competenties IB (003)",
    }
    unedited = f.CatalogueTaskFactory(board=cast.board_b, standard_key="groepsbesprekingen", **old)
    edited = f.CatalogueTaskFactory(
        board=cast.board_b, standard_key="intern-ondersteuningsteam", title="Ons eigen IOT"
    )
    retired = f.CatalogueTaskFactory(board=cast.board_b, standard_key="erwd-protocol")
    version = PackageVersion.objects.get(package=PackageFactory())
    item = PackageItem.objects.create(
        version=version, task=retired, title=retired.title, domain=zorg, hours=12
    )
    # The earlier edition knew the unedited text; the edited one is no edition's text.
    edition = {
        "groepsbesprekingen": fingerprint(
            **{**old, "domain": "zorg", "unit": "year", "is_ib_task": True, "not_ib_reason": ""}
        )
    }
    monkeypatch.setattr(services, "EDITIONS", [edition])

    result = services.catalogue_sync_standard()

    unedited.refresh_from_db()
    standard = next(task for task in TASKS if task["key"] == "groepsbesprekingen")
    assert (unedited.title, unedited.unit, unedited.domain.code) == (
        standard["title"],
        "group",
        "data",
    )
    assert str(unedited.default_hours) == "5.3"
    edited.refresh_from_db()
    assert edited.title == "Ons eigen IOT"
    retired.refresh_from_db()
    assert retired.is_active is False
    assert PackageItem.objects.filter(pk=item.pk, task=retired).exists()  # never deleted
    # Board B gets every other standard task; board A (no copy yet) gets them all.
    keys = set(
        CatalogueTask.objects.filter(board=cast.board_b, is_active=True).values_list(
            "standard_key", flat=True
        )
    )
    assert keys == {task["key"] for task in TASKS}
    assert CatalogueTask.objects.filter(board=cast.board_a, standard_key__gt="").count() == len(
        TASKS
    )
    assert (result.updated, result.kept, result.deactivated) == (1, 1, 1)
    # Running it again changes nothing.
    again = services.catalogue_sync_standard()
    assert (again.updated, again.added, again.deactivated) == (0, 0, 0)


def test_unit_is_chosen_on_the_form_and_shown_in_the_list(client, cast):
    from .test_access import catalogue_task_data

    client.force_login(cast.staff_a)
    url = reverse("tasks:task-create", args=[cast.board_a.pk])
    response = client.post(
        url, catalogue_task_data(title="Per groep", default_hours="2", unit="group")
    )
    assert response.status_code == 302
    task = CatalogueTask.objects.get(title="Per groep")
    assert task.unit == CatalogueTask.Unit.GROUP
    page = client.get(reverse("tasks:catalogue", args=[cast.board_a.pk]))
    assert "2 uur per groep" in page.text
    assert 'name="unit"' in client.get(reverse("tasks:task-edit", args=[task.pk])).text


def test_copying_last_year_names_the_task_a_merged_one_is_part_of_now(cast):
    from tasks import packages
    from tasks.models import PackageItem, PackageStatus

    from .factories import PackageFactory, SchoolYearFactory

    catalogue_copy_standard(board=cast.board_a)
    holder = CatalogueTask.objects.get(board=cast.board_a, standard_key="leerteams-ondersteunen")
    retired = f.CatalogueTaskFactory(
        board=cast.board_a,
        standard_key="databespreking-leerteam",
        title="Databesprekingen in de leerteams ondersteunen",
        is_active=False,
    )
    share = cast.appointment_a.shares.get()
    last = PackageFactory(share=share, status=PackageStatus.AGREED)
    PackageItem.objects.create(
        version=last.versions.get(),
        task=retired,
        title=retired.title,
        domain=retired.domain,
        hours=20,
    )
    package = packages.package_create(
        share=share, school_year=SchoolYearFactory(start_year=2026), actor=cast.director_a
    )
    result = packages.package_copy_previous(
        package=package, actor=cast.director_a, lock_version=package.lock_version
    )
    assert result.copied == 0
    assert result.inactive == [f"{retired.title} (nu onderdeel van “{holder.title}”)"]


def test_the_standards_not_ib_tasks_name_who_usually_does_them(cast):
    """The task division's purity signal points there (issue 16): every standard task that is
    not IB work has a usual role, copied to the board."""
    from tasks.models import HolderRole

    for task in TASKS:
        if not task["is_ib_task"]:
            assert task["usual_role"] in HolderRole.values, task["key"]
    catalogue_copy_standard(board=cast.board_a)
    copy = CatalogueTask.objects.get(board=cast.board_a, standard_key="vervanging-regelen")
    assert copy.usual_role == HolderRole.DIRECTOR


def test_usual_role_is_set_on_the_form_and_shown_in_the_list(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("tasks:task-create", args=[cast.board_a.pk]),
        {
            "title": "Leesmethode kiezen",
            "domain": cast.task_a.domain_id,
            "default_hours": "10",
            "unit": "year",
            "not_ib_reason": "De taalcoördinator kiest de methode met het team.",
            "usual_role": "coordinator_taal",
        },
    )
    assert response.status_code == 302
    task = CatalogueTask.objects.get(title="Leesmethode kiezen")
    assert task.usual_role == "coordinator_taal" and not task.is_ib_task
    page = client.get(reverse("tasks:catalogue", args=[cast.board_a.pk])).text
    assert "Taalcoördinator" in page or "Language coordinator" in page
    assert 'name="usual_role"' in client.get(reverse("tasks:task-edit", args=[task.pk])).text


def test_the_migration_fills_the_usual_role_of_existing_copies(cast):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("tasks.migrations.0023_standard_usual_roles")
    catalogue_copy_standard(board=cast.board_a)
    copies = CatalogueTask.objects.filter(board=cast.board_a)
    copies.update(usual_role="")
    copies.filter(standard_key="casus-overnemen").update(usual_role="directeur")  # the board's
    migration.fill(apps, None)
    assert copies.get(standard_key="remedial-teaching-leerlingen").usual_role == (
        "remedial_teacher"
    )
    assert copies.get(standard_key="casus-overnemen").usual_role == "directeur"
    assert copies.get(standard_key="leerteams-ondersteunen").usual_role == ""
