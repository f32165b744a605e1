"""Framework work that spans rows: copying standard frameworks and editing with versions.

Every edit goes through ``framework_editable``: a framework that rounds use is never changed
under them. Editing it makes a new version (a deep copy, ``previous`` pointing back) and the
change lands there; the old version stays as it was for the existing rounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.versioning import UNCHECKED, ExpectedVersion, bump_version, claim_version
from schools.models import Board

from .models import Cell, Framework, FrameworkColumn, FrameworkRow, Level
from .standard_frameworks import FRAMEWORKS


@dataclass
class Copied:
    """A framework and, for each part of the one it came from, its counterpart (by old pk)."""

    framework: Framework
    rows: dict[int, FrameworkRow] = field(default_factory=dict)
    columns: dict[int, FrameworkColumn] = field(default_factory=dict)
    cells: dict[int, Cell] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def framework_copy_standard(*, board: Board, key: str) -> Framework:
    """A new framework of the board from the standard framework ``key`` (KeyError if unknown)."""
    data = FRAMEWORKS[key]
    framework = _saved(
        Framework(
            board=board,
            standard_key=key,
            name=data["name"],
            description=data["description"],
            kind=data["kind"],
        )
    )
    columns = [
        _saved(FrameworkColumn(framework=framework, title=title, order=order))
        for order, title in enumerate(data["columns"], start=1)
    ]
    for order, row_data in enumerate(data["rows"], start=1):
        row = _saved(
            FrameworkRow(
                framework=framework,
                title=row_data["title"],
                description=row_data["description"],
                order=order,
            )
        )
        for column, indicators in zip(columns or [None], row_data["cells"], strict=True):
            for number, descriptor in enumerate(indicators, start=1):
                _saved(
                    Cell(
                        framework=framework,
                        row=row,
                        column=column,
                        descriptor=descriptor,
                        order=number,
                    )
                )
    for number, level in enumerate(data["levels"], start=1):
        _saved(
            Level(
                framework=framework,
                number=number,
                name=level["name"],
                description=level["description"],
            )
        )
    return framework


def _deep_copy(framework: Framework, **fields) -> Copied:
    """Copy the framework with its rows, columns, cells and levels; ``fields`` override."""
    values = {
        "board": framework.board,
        "standard_key": framework.standard_key,
        "name": framework.name,
        "description": framework.description,
        "kind": framework.kind,
        "is_active": framework.is_active,
        **fields,
    }
    copied = Copied(_saved(Framework(**values)))
    new = copied.framework
    for row in framework.rows.all():
        copied.rows[row.pk] = FrameworkRow.objects.create(
            framework=new, title=row.title, description=row.description, order=row.order
        )
    for column in framework.columns.all():
        copied.columns[column.pk] = FrameworkColumn.objects.create(
            framework=new, title=column.title, order=column.order
        )
    for cell in framework.cells.all():
        copied.cells[cell.pk] = Cell.objects.create(
            framework=new,
            row=copied.rows[cell.row_id],
            column=copied.columns.get(cell.column_id),
            descriptor=cell.descriptor,
            order=cell.order,
        )
    for level in framework.levels.all():
        copied.levels[level.pk] = Level.objects.create(
            framework=new, number=level.number, name=level.name, description=level.description
        )
    return copied


@transaction.atomic
def framework_copy(*, framework: Framework) -> Framework:
    """A separate, independent copy (version 1) of the framework, in the same board."""
    return _deep_copy(framework, name=_("%(name)s (copy)") % {"name": framework.name}).framework


def _editable(framework: Framework) -> Copied:
    """The framework to change, with a map from the given framework's parts to its parts."""
    if framework.next_versions.exists():
        raise ValidationError(_("Only the newest version of a framework can be changed."))
    if framework.is_in_use:
        return _deep_copy(framework, version=framework.version + 1, previous=framework)
    return Copied(
        framework,
        rows={row.pk: row for row in framework.rows.all()},
        columns={column.pk: column for column in framework.columns.all()},
        cells={cell.pk: cell for cell in framework.cells.all()},
        levels={level.pk: level for level in framework.levels.all()},
    )


@transaction.atomic
def framework_editable(*, framework: Framework) -> Framework:
    """The framework itself if no round uses it, else a new version to change instead."""
    return _editable(framework).framework


@dataclass
class FrameworkChanges:
    """Edited values, keyed by the pks of the framework's parts as the edit page showed them."""

    name: str
    description: str
    levels: dict[int, dict] = field(default_factory=dict)  # pk -> {name, description}
    rows: dict[int, dict] = field(default_factory=dict)  # pk -> {title, description, order}
    columns: dict[int, dict] = field(default_factory=dict)  # pk -> {title, order}
    cells: dict[int, dict] = field(default_factory=dict)  # pk -> {descriptor}


def _differs(obj, values: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def _has_changes(framework: Framework, changes: FrameworkChanges) -> bool:
    if _differs(framework, {"name": changes.name, "description": changes.description}):
        return True
    parts = (
        (framework.levels.all(), changes.levels),
        (framework.rows.all(), changes.rows),
        (framework.columns.all(), changes.columns),
        (framework.cells.all(), changes.cells),
    )
    return any(
        _differs(obj, values[obj.pk])
        for objects, values in parts
        for obj in objects
        if obj.pk in values
    )


@transaction.atomic
def framework_update(
    *,
    framework: Framework,
    changes: FrameworkChanges,
    lock_version: ExpectedVersion = UNCHECKED,
) -> Framework:
    """Apply the edit page's changes; returns the framework changed (a new version if in use).

    Nothing changed: nothing happens, not even a new version. The framework is read again:
    a bound ModelForm has already written the posted values onto the instance it was given.
    ``lock_version``: the version the edit page showed; ``StaleEdit`` when it has moved on.
    """
    framework = Framework.objects.get(pk=framework.pk)
    if not _has_changes(framework, changes):
        return framework
    claim_version(framework, lock_version)
    target = _editable(framework)
    target.framework.name = changes.name
    target.framework.description = changes.description
    _saved(target.framework)
    for mapping, values_by_pk in (
        (target.levels, changes.levels),
        (target.rows, changes.rows),
        (target.columns, changes.columns),
        (target.cells, changes.cells),
    ):
        for pk, values in values_by_pk.items():
            obj = mapping[pk]
            if _differs(obj, values):
                for name, value in values.items():
                    setattr(obj, name, value)
                _saved(obj)
    return target.framework


def _next_order(parts) -> int:
    return max((part.order for part in parts), default=0) + 1


@transaction.atomic
def framework_row_add(
    *, framework: Framework, title: str, description: str, descriptors: dict[int, str]
) -> Framework:
    """Add a row; ``descriptors`` maps column pk (list: ``0``) to the new cell's descriptor."""
    bump_version(framework)  # an edit page opened before no longer matches the rows
    target = _editable(framework)
    new = target.framework
    row = _saved(
        FrameworkRow(
            framework=new,
            title=title,
            description=description,
            order=_next_order(target.rows.values()),
        )
    )
    if new.kind == Framework.Kind.MATRIX:
        for old_pk, column in target.columns.items():
            _saved(Cell(framework=new, row=row, column=column, descriptor=descriptors[old_pk]))
    else:
        _saved(Cell(framework=new, row=row, descriptor=descriptors[0]))
    return new


@transaction.atomic
def framework_column_add(
    *, framework: Framework, title: str, descriptors: dict[int, str]
) -> Framework:
    """Add a column (matrix only); ``descriptors`` maps row pk to the new cell's descriptor."""
    if framework.kind != Framework.Kind.MATRIX:
        raise ValidationError(_("Only a matrix has columns."))
    bump_version(framework)
    target = _editable(framework)
    new = target.framework
    column = _saved(
        FrameworkColumn(framework=new, title=title, order=_next_order(target.columns.values()))
    )
    for old_pk, row in target.rows.items():
        _saved(Cell(framework=new, row=row, column=column, descriptor=descriptors[old_pk]))
    return new


@transaction.atomic
def framework_row_remove(*, row: FrameworkRow) -> Framework:
    """Remove a row and its cells (from a new version if the framework is in use)."""
    if row.framework.rows.count() <= 1:
        raise ValidationError(_("A framework keeps at least one row."))
    bump_version(row.framework)
    target = _editable(row.framework)
    target.rows[row.pk].delete()
    return target.framework


@transaction.atomic
def framework_column_remove(*, column: FrameworkColumn) -> Framework:
    """Remove a column and its cells (from a new version if the framework is in use)."""
    if column.framework.columns.count() <= 1:
        raise ValidationError(_("A matrix keeps at least one column."))
    bump_version(column.framework)
    target = _editable(column.framework)
    target.columns[column.pk].delete()
    return target.framework
