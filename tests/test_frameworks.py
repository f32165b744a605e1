"""Competency frameworks: the standard data, copying, editing and versions (access: test_access)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competencies import standard_frameworks
from competencies.models import Cell, Framework, FrameworkColumn, FrameworkRow, Level
from competencies.services import (
    framework_copy,
    framework_copy_standard,
    framework_editable,
    framework_row_remove,
)

from .competency_factories import assessment_round, list_framework, matrix_framework
from .framework_data import column_add_data, framework_edit_data, row_add_data


def counts(framework: Framework) -> tuple[int, int, int, int]:
    return (
        framework.rows.count(),
        framework.columns.count(),
        framework.cells.count(),
        framework.levels.count(),
    )


def test_standard_frameworks_are_valid():
    standard_frameworks.validate()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # Cells are indicators: one observable behaviour each (issue 13), several per role in
        # a context or per competency.
        ("kempenkind-matrix", (4, 3, 23, 4)),
        ("zeven-ib-competenties", (7, 0, 39, 4)),
        ("lbbo-2022-domeinen", (3, 0, 18, 4)),
    ],
)
def test_copy_standard_creates_rows_columns_cells_and_levels(cast, key, expected):
    framework = framework_copy_standard(board=cast.board_a, key=key)
    assert counts(framework) == expected
    assert framework.standard_key == key and framework.version == 1
    assert [lv.name for lv in framework.levels.all()] == [
        "beginnend",
        "ontwikkelend",
        "bekwaam",
        "excellent",
    ]
    assert all(level.description for level in framework.levels.all())


def test_copy_standard_matrix_has_a_descriptor_per_role_and_context(cast):
    framework = framework_copy_standard(board=cast.board_a, key="kempenkind-matrix")
    row = framework.rows.get(title="Interpersoonlijk handelen")
    column = framework.columns.get(title__startswith="Werken in bovenschoolse")
    indicators = Cell.objects.filter(row=row, column=column).order_by("order")
    assert [cell.order for cell in indicators] == [1, 2]
    assert "netwerken" in indicators[0].descriptor


def test_framework_copy_is_a_deep_independent_copy(cast):
    original = matrix_framework(cast.board_a)
    copy = framework_copy(framework=original)
    assert copy.pk != original.pk and copy.previous is None
    assert counts(copy) == counts(original)
    assert not set(copy.cells.values_list("row__framework", flat=True)) - {copy.pk}
    copy.cells.update(descriptor="Anders")
    assert not original.cells.filter(descriptor="Anders").exists()


def test_editable_unused_framework_is_the_same(cast):
    framework = matrix_framework(cast.board_a)
    assert framework_editable(framework=framework) == framework


def test_editable_framework_in_use_is_a_new_version(cast):
    framework = matrix_framework(cast.board_a)
    assessment_round(cast.ib_a, framework)
    new = framework_editable(framework=framework)
    assert (new.version, new.previous) == (2, framework)
    assert counts(new) == counts(framework)
    assert list(Framework.objects.filter(board=cast.board_a).current()) == [new]


def test_only_the_newest_version_is_editable(cast):
    framework = matrix_framework(cast.board_a)
    assessment_round(cast.ib_a, framework)
    framework_editable(framework=framework)
    with pytest.raises(ValidationError):
        framework_editable(framework=framework)


def test_editing_an_unused_framework_changes_it_in_place(client, cast):
    framework = matrix_framework(cast.board_a)
    cell = framework.cells.first()
    level = framework.levels.get(number=4)
    data = framework_edit_data(framework, name="KempenKind eigen")
    index = list(framework.cells.all()).index(cell)
    data[f"cells-{index}-descriptor"] = "Nieuwe beschrijving"
    data["levels-3-description"] = "Collega's leren van mij."
    client.force_login(cast.staff_a)
    response = client.post(reverse("competencies:framework-edit", args=[framework.pk]), data)
    assert response.status_code == 302
    framework.refresh_from_db()
    assert (framework.name, framework.version) == ("KempenKind eigen", 1)
    assert Framework.objects.count() == 1
    cell.refresh_from_db()
    level.refresh_from_db()
    assert cell.descriptor == "Nieuwe beschrijving"
    assert level.description == "Collega's leren van mij."


def test_editing_a_framework_in_use_creates_version_2(client, cast):
    framework = matrix_framework(cast.board_a)
    round_ = assessment_round(cast.ib_a, framework)
    descriptors = list(framework.cells.values_list("pk", "descriptor"))
    data = framework_edit_data(framework, name="Matrix 2")
    data["cells-0-descriptor"] = "Gewijzigd"
    data["rows-0-title"] = "Nieuwe rol"
    client.force_login(cast.staff_a)
    response = client.post(reverse("competencies:framework-edit", args=[framework.pk]), data)
    new = Framework.objects.get(previous=framework)
    assert response.status_code == 302
    assert response["Location"] == reverse("competencies:framework-detail", args=[new.pk])
    assert (new.version, new.name) == (2, "Matrix 2")
    assert new.cells.filter(descriptor="Gewijzigd").count() == 1
    assert new.rows.filter(title="Nieuwe rol").exists()
    # The old version and the round on it are untouched.
    round_.refresh_from_db()
    framework.refresh_from_db()
    assert round_.framework == framework
    assert (framework.name, framework.version) == ("Matrix", 1)
    assert list(framework.cells.values_list("pk", "descriptor")) == descriptors
    assert set(round_.ratings.values_list("cell__framework", flat=True)) == {framework.pk}
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("versie 2" in m for m in messages)


def test_saving_unchanged_framework_in_use_makes_no_new_version(client, cast):
    framework = matrix_framework(cast.board_a)
    assessment_round(cast.ib_a, framework)
    client.force_login(cast.staff_a)
    url = reverse("competencies:framework-edit", args=[framework.pk])
    assert client.post(url, framework_edit_data(framework)).status_code == 302
    assert Framework.objects.count() == 1


def test_edit_form_rerenders_with_input_on_errors(client, cast):
    framework = matrix_framework(cast.board_a)
    client.force_login(cast.staff_a)
    data = framework_edit_data(framework, name="Bijna goed")
    data["rows-0-title"] = ""
    response = client.post(reverse("competencies:framework-edit", args=[framework.pk]), data)
    assert response.status_code == 200
    assert "Bijna goed" in response.content.decode()
    assert response.context["forms"].rows.errors[0]
    framework.refresh_from_db()
    assert framework.name == "Matrix"


def test_tampered_form_counts_build_no_extra_forms_and_no_new_parts(client, cast):
    framework = matrix_framework(cast.board_a)
    counts = {part: getattr(framework, part).count() for part in ("levels", "rows", "cells")}
    data = framework_edit_data(framework, name="")  # invalid: the page is shown again
    for prefix in ("levels", "rows", "columns", "cells"):
        data[f"{prefix}-TOTAL_FORMS"] = "1999"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data["rows-99-title"] = "Smokkelrij"
    client.force_login(cast.staff_a)
    response = client.post(reverse("competencies:framework-edit", args=[framework.pk]), data)
    assert response.status_code == 200
    forms = response.context["forms"]
    assert len(forms.levels.forms) == counts["levels"]
    assert len(forms.rows.forms) == counts["rows"]
    assert len(forms.cells.forms) == counts["cells"]

    data["name"] = "Matrix"
    response = client.post(reverse("competencies:framework-edit", args=[framework.pk]), data)
    assert response.status_code == 302
    assert not FrameworkRow.objects.filter(title="Smokkelrij").exists()
    assert {part: getattr(framework, part).count() for part in counts} == counts


def test_old_version_cannot_be_edited(client, cast):
    framework = matrix_framework(cast.board_a)
    assessment_round(cast.ib_a, framework)
    framework_editable(framework=framework)
    client.force_login(cast.staff_a)
    url = reverse("competencies:framework-edit", args=[framework.pk])
    response = client.post(url, framework_edit_data(framework, name="Oud"))
    assert response.status_code == 302
    framework.refresh_from_db()
    assert framework.name == "Matrix"


def test_add_row_and_column_to_a_matrix(client, cast):
    framework = matrix_framework(cast.board_a, rows=2, columns=3)
    client.force_login(cast.staff_a)
    client.post(
        reverse("competencies:framework-row-add", args=[framework.pk]), row_add_data(framework)
    )
    assert counts(framework)[:3] == (3, 3, 9)
    client.post(
        reverse("competencies:framework-column-add", args=[framework.pk]),
        column_add_data(framework),
    )
    assert counts(framework)[:3] == (3, 4, 12)


def test_add_competency_to_a_list(client, cast):
    framework = list_framework(cast.board_a, competencies=3)
    client.force_login(cast.staff_a)
    url = reverse("competencies:framework-row-add", args=[framework.pk])
    assert client.post(url, row_add_data(framework, "Leiderschap")).status_code == 302
    assert framework.cells.get(row__title="Leiderschap").descriptor
    assert (
        client.get(reverse("competencies:framework-column-add", args=[framework.pk])).status_code
        == 404
    )


def test_removing_a_row_of_a_framework_in_use_makes_a_new_version(cast):
    framework = matrix_framework(cast.board_a, rows=2, columns=3)
    assessment_round(cast.ib_a, framework)
    new = framework_row_remove(row=framework.rows.first())
    assert new.previous == framework
    assert counts(new)[:3] == (1, 3, 3)
    assert counts(framework)[:3] == (2, 3, 6)


def test_removing_a_row_asks_first(client, cast):
    framework = matrix_framework(cast.board_a, rows=2, columns=3)
    assessment_round(cast.ib_a, framework)
    row = framework.rows.first()
    url = reverse("competencies:framework-row-remove", args=[row.pk])
    client.force_login(cast.staff_a)
    response = client.get(url)
    assert response.status_code == 200
    assert f"Wilt u “{row.title}” verwijderen?" in response.text
    assert "De 3 cellen en hun beschrijvingen worden ook verwijderd." in response.text
    assert "houden versie 1; de wijziging maakt versie 2" in response.text
    assert "nog niet hebt opgeslagen, gaan verloren" in response.text
    assert counts(framework)[:3] == (2, 3, 6)  # asking removes nothing
    response = client.post(url)
    new = Framework.objects.get(previous=framework)
    assert response["Location"] == reverse("competencies:framework-edit", args=[new.pk])
    assert counts(new)[:3] == (1, 3, 3)


def test_removing_a_column_of_an_unused_framework_asks_and_removes(client, cast):
    framework = matrix_framework(cast.board_a, rows=2, columns=3)
    column = framework.columns.first()
    url = reverse("competencies:framework-column-remove", args=[column.pk])
    client.force_login(cast.staff_a)
    edit = client.get(reverse("competencies:framework-edit", args=[framework.pk]))
    assert f'href="{url}"' in edit.text
    response = client.get(url)
    assert "De 2 cellen en hun beschrijvingen worden ook verwijderd." in response.text
    assert "versie" not in response.text.split("<h1>")[1].split("</form>")[0]
    assert client.post(url).status_code == 302
    assert counts(framework)[:3] == (2, 2, 4)


@pytest.mark.parametrize("method", ["get", "post"])
def test_removing_from_an_old_version_is_refused_once(client, cast, method):
    framework = matrix_framework(cast.board_a, rows=2, columns=3)
    assessment_round(cast.ib_a, framework)
    framework_row_remove(row=framework.rows.last())  # version 2 now exists
    client.force_login(cast.staff_a)
    url = reverse("competencies:framework-row-remove", args=[framework.rows.first().pk])
    response = getattr(client, method)(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "competencies:framework-detail", args=[framework.pk]
    )
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1 and "nieuwste versie" in messages[0]
    assert counts(framework)[:3] == (2, 3, 6)


def test_last_row_cannot_be_removed(cast):
    framework = list_framework(cast.board_a, competencies=1)
    with pytest.raises(ValidationError):
        framework_row_remove(row=framework.rows.get())


def test_copy_standard_view_makes_a_board_copy(client, cast):
    client.force_login(cast.staff_a)
    url = reverse(
        "competencies:framework-copy-standard", args=[cast.board_a.pk, "lbbo-2022-domeinen"]
    )
    response = client.post(url)
    framework = Framework.objects.get(board=cast.board_a)
    assert response["Location"] == reverse("competencies:framework-detail", args=[framework.pk])
    bad = reverse("competencies:framework-copy-standard", args=[cast.board_a.pk, "onbekend"])
    assert client.post(bad).status_code == 404


def test_detail_shows_matrix_levels_and_versions(client, cast):
    framework = framework_copy_standard(board=cast.board_a, key="kempenkind-matrix")
    assessment_round(cast.ib_a, framework)
    new = framework_editable(framework=framework)
    client.force_login(cast.director_a)
    page = client.get(reverse("competencies:framework-detail", args=[new.pk])).content.decode()
    assert "Coördinerend handelen in relatie tot de extra ondersteuning" in page
    assert "Werken met individuele groepsleraren" in page
    assert "excellent" in page
    assert reverse("competencies:framework-detail", args=[framework.pk]) in page


def test_list_shows_current_versions_of_the_board_only(client, cast):
    framework = matrix_framework(cast.board_a, name="Matrix A")
    assessment_round(cast.ib_a, framework)
    framework_editable(framework=framework)
    matrix_framework(cast.board_b, name="Matrix B")
    client.force_login(cast.ib_a)
    response = client.get(reverse("competencies:framework-list", args=[cast.board_a.pk]))
    assert [f.version for f in response.context["frameworks"]] == [2]
    assert "Matrix B" not in response.content.decode()


def test_board_b_staff_cannot_edit_board_a_framework(client, cast):
    framework = matrix_framework(cast.board_a)
    client.force_login(cast.staff_b)
    url = reverse("competencies:framework-edit", args=[framework.pk])
    assert client.post(url, framework_edit_data(framework, name="X")).status_code == 404
    assert Framework.objects.get().name == "Matrix"
    assert FrameworkRow.objects.count() == 2 and FrameworkColumn.objects.count() == 3
    assert Level.objects.count() == 4


def test_admin_board_admin_sees_own_frameworks_but_no_rounds(client, cast):
    own = matrix_framework(cast.board_a, name="Matrix A")
    matrix_framework(cast.board_b, name="Matrix B")
    assessment_round(cast.ib_a, own)
    client.force_login(cast.admin_a)
    response = client.get(reverse("admin:competencies_framework_changelist"))
    assert list(response.context["cl"].queryset) == [own]
    assert client.get(reverse("admin:competencies_assessmentround_changelist")).status_code == 403
    assert client.get(reverse("admin:competencies_rating_changelist")).status_code == 403
