"""The school's task division (issue 16): care and quality tasks over the roles that do them.

A matrix of tasks (rows) and roles (columns) per school and school year. The director's and
coordinators' columns are ``DivisionAssignment`` rows; the IB's column is not stored twice:
it is the current version of the IB's package of that school and year (one column per
appointment share), changed through the package services, so the package's workflow, lock
and history hold for the matrix as they do on the package page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.versioning import ExpectedVersion, StaleEdit, claim_version
from schools.models import (
    Appointment,
    AppointmentShare,
    School,
    SchoolYear,
    development_condition,
    display_name,
    get_scope,
)

from . import packages
from .models import (
    HOLDER_ROLE_ORDER,
    CatalogueTask,
    DivisionAssignment,
    Domain,
    HolderRole,
    Package,
    PackageItem,
    PackageVersion,
    RoleHolder,
    TaskDivision,
    WerkplanGoal,
    item_key,
)

# ---------------------------------------------------------------------------
# who may do what
# ---------------------------------------------------------------------------


def division_schools(user) -> QuerySet[School]:
    """The schools whose division ``user`` reads: board staff, directors, the school's IBs."""
    scope = get_scope(user)
    condition = development_condition(scope, school="")
    if condition is None:
        return School.objects.none()
    return School.objects.for_user(user).filter(condition)


def can_edit(school_id: int, user) -> bool:
    """Only a director of the school divides its tasks."""
    return school_id in get_scope(user).director_school_ids


def require_edit(school_id: int, user) -> None:
    if not can_edit(school_id, user):
        raise PermissionDenied(_("Only the director of the school changes the task division."))


# ---------------------------------------------------------------------------
# reading: the matrix
# ---------------------------------------------------------------------------


@dataclass
class Column:
    """A role holder, or an IB's package (``package`` set): the IB's column."""

    key: str
    label: str
    available: Decimal
    holder: RoleHolder | None = None
    package: Package | None = None
    version: PackageVersion | None = None
    total: Decimal = Decimal("0")

    @property
    def is_ib(self) -> bool:
        return self.package is not None

    @property
    def editable(self) -> bool:
        """A holder's column always; an IB's while the package is a draft or returned."""
        return self.version is None or self.version.is_editable

    @property
    def over_hours(self) -> Decimal:
        return max(Decimal("0"), self.total - self.available)

    @property
    def role(self) -> str:
        return self.holder.role if self.holder else "ib"


@dataclass
class Row:
    """One task: its hours per column (``cells``) and where they are stored."""

    key: str
    field: str
    title: str
    domain_id: int
    task: CatalogueTask | None = None
    is_ib_task: bool = True
    not_ib_reason: str = ""
    cells: dict[str, Decimal] = field(default_factory=dict)
    items: dict[str, PackageItem] = field(default_factory=dict)
    assignments: dict[str, DivisionAssignment] = field(default_factory=dict)
    purity: str = ""  # the role purity signal: who should do it instead

    @property
    def total(self) -> Decimal:
        return sum(self.cells.values(), Decimal("0"))

    @property
    def is_own(self) -> bool:
        return self.task is None


@dataclass
class Matrix:
    division: TaskDivision | None
    school: School
    columns: list[Column]
    rows: list[Row]
    domains: list[Domain]

    @property
    def groups(self) -> list[dict]:
        per_domain: dict[int, list[Row]] = {}
        for row in self.rows:
            per_domain.setdefault(row.domain_id, []).append(row)
        return [
            {"domain": domain, "rows": per_domain[domain.pk]}
            for domain in self.domains
            if domain.pk in per_domain
        ]

    @property
    def nobody(self) -> list[Row]:
        """Care and quality tasks of the catalogue that no role does: IB work in an LBBO
        domain (a non-IB task or a general duty nobody takes is no gap)."""
        lbbo = {domain.pk for domain in self.domains if domain.is_lbbo}
        return [
            row
            for row in self.rows
            if not row.cells and row.task and row.is_ib_task and row.domain_id in lbbo
        ]

    @property
    def purity_rows(self) -> list[Row]:
        return [row for row in self.rows if row.purity]

    @property
    def total(self) -> Decimal:
        return sum((column.total for column in self.columns), Decimal("0"))

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)


def row_field(key: str) -> str:
    """A stable, form-safe name for a row: ``t<task id>``, or a hash of an own task's title."""
    if key.startswith("task:"):
        return "t" + key.removeprefix("task:")
    return "o" + hashlib.sha1(key.encode()).hexdigest()[:12]


def cell_field(row: Row, column: Column) -> str:
    return f"c_{row.field}_{column.key}"


def holder_label(holder: RoleHolder) -> str:
    return str(holder)


def ib_label(package: Package) -> str:
    return _("IB: %(name)s") % {"name": display_name(package.share.appointment.ib)}


def school_packages(school: School, school_year: SchoolYear) -> list[Package]:
    """The IB packages of the school and year with their current version and its items.

    Read as part of the division (which was reached through ``TaskDivision.for_user`` or the
    school through ``division_schools``): the school's IB columns belong to its division, also
    for an IB of the school reading another IB's column. Four queries.
    """
    package_list = list(
        Package.objects.filter(share__school=school, school_year=school_year)
        .select_related("share__appointment__ib")  # the school and year are known
        .with_own_hours()  # the IB column's hours: the budget less the IB's own hours
        .order_by("-share__fte", "id")
    )
    versions: dict[int, PackageVersion] = {}
    for version in PackageVersion.objects.filter(package__in=package_list).order_by("number"):
        versions[version.package_id] = version  # the newest wins
    items: dict[int, list[PackageItem]] = {}
    for item in PackageItem.objects.filter(version__in=versions.values()):
        items.setdefault(item.version_id, []).append(item)
    for package in package_list:
        package.share.school, package.school_year = school, school_year
        version = versions[package.pk]
        version.package = package
        version.current_items = items.get(version.pk, [])
        for item in version.current_items:
            item.version = version
        package.current = version
    return package_list


def shares_without_package(matrix: Matrix, school_year: SchoolYear) -> list[AppointmentShare]:
    """The school's IB shares that run in the year but have no package yet (the matrix's IB
    columns are the packages): no column until the director creates it (one query)."""
    return list(
        AppointmentShare.objects.filter(
            school=matrix.school,
            appointment__in=Appointment.objects.overlapping(
                school_year.start_date, school_year.end_date
            ),
        )
        .exclude(pk__in=[column.package.share_id for column in matrix.columns if column.is_ib])
        .select_related("appointment__ib")
    )


def build_matrix(school: School, school_year: SchoolYear, division: TaskDivision | None) -> Matrix:
    """The matrix in a fixed number of queries, whatever the number of tasks and roles."""
    domains = list(Domain.objects.all())
    columns: list[Column] = []
    for package in school_packages(school, school_year):
        columns.append(
            Column(
                key=f"p{package.pk}",
                label=ib_label(package),
                available=package.budget_hours,
                package=package,
                version=package.current,
            )
        )
    holders: list[RoleHolder] = []
    assignments: list[DivisionAssignment] = []
    if division is not None:
        holders = sorted(division.holders.all(), key=lambda h: (HOLDER_ROLE_ORDER[h.role], h.pk))
        assignments = list(division.assignments.all())
    for holder in holders:
        columns.append(
            Column(key=f"h{holder.pk}", label=str(holder), available=holder.hours, holder=holder)
        )
    rows: dict[str, Row] = {}
    catalogue = CatalogueTask.objects.filter(board_id=school.board_id)
    used = {a.task_id for a in assignments} | {
        item.task_id for column in columns if column.is_ib for item in column.version.current_items
    }
    for task in catalogue.filter(Q(is_active=True) | Q(pk__in=used - {None})):
        key = item_key(task.pk, task.title)
        rows[key] = Row(
            key=key,
            field=row_field(key),
            title=task.title,
            domain_id=task.domain_id,
            task=task,
            is_ib_task=task.is_ib_task,
            not_ib_reason=task.not_ib_reason,
        )

    def row_for(key: str, title: str, domain_id: int) -> Row:
        return rows.setdefault(
            key, Row(key=key, field=row_field(key), title=title, domain_id=domain_id)
        )

    for column in columns:
        if not column.is_ib:
            continue
        for item in column.version.current_items:
            row = row_for(item.key, item.title, item.domain_id)
            row.cells[column.key] = item.hours
            row.items[column.key] = item
            if not item.is_ib_task:  # the package's copy says so, as the package page does
                row.is_ib_task, row.not_ib_reason = False, item.not_ib_reason
    by_holder = {f"h{holder.pk}": holder for holder in holders}
    for assignment in assignments:
        column_key = f"h{assignment.holder_id}"
        row = row_for(assignment.key, assignment.title, assignment.domain_id)
        row.cells[column_key] = assignment.hours
        row.assignments[column_key] = assignment
    for column in columns:
        column.total = sum(
            (row.cells.get(column.key, Decimal("0")) for row in rows.values()), Decimal("0")
        )
    order = {domain.pk: domain.order for domain in domains}
    ordered = sorted(rows.values(), key=lambda r: (order.get(r.domain_id, 0), r.title.lower()))
    for row in ordered:
        row.purity = purity_signal(row, columns, by_holder)
    return Matrix(division, school, columns, ordered, domains)


def purity_signal(row: Row, columns: list[Column], holders: Mapping[str, RoleHolder]) -> str:
    """For a task that is not IB work in an IB's column: why, and who should do it instead
    (a holder of the catalogue task's usual role at the school, else the role to appoint)."""
    if row.is_ib_task or not any(column.is_ib and column.key in row.cells for column in columns):
        return ""
    role = row.task.usual_role if row.task else ""
    if not role:
        return _("Not IB work: %(reason)s") % {"reason": row.not_ib_reason}
    present = [holder for holder in holders.values() if holder.role == role]
    if present:
        who = ", ".join(str(holder) for holder in present)
        return _("Not IB work: %(reason)s Move it to: %(who)s.") % {
            "reason": row.not_ib_reason,
            "who": who,
        }
    return _("Not IB work: %(reason)s This is work for: %(role)s (not in the division yet).") % {
        "reason": row.not_ib_reason,
        "role": HolderRole(role).label,
    }


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


class DivisionConflict(Exception):
    """The division or an IB's package changed after the matrix was loaded."""


@transaction.atomic
def division_create(*, school: School, school_year: SchoolYear, actor) -> TaskDivision:
    """Start the division: last year's roles (and their tasks still in the catalogue) when
    there was a division, else the director and the group teachers."""
    require_edit(school.pk, actor)
    division = TaskDivision(school=school, school_year=school_year)
    division.full_clean()
    division.save()
    previous = (
        TaskDivision.objects.filter(
            school=school, school_year__start_year=school_year.start_year - 1
        )
        .prefetch_related("holders__assignments__task")
        .first()
    )
    if previous is None:
        RoleHolder.objects.create(division=division, role=HolderRole.DIRECTOR)
        RoleHolder.objects.create(division=division, role=HolderRole.TEACHERS)
        return division
    for old in previous.holders.all():
        holder = RoleHolder.objects.create(
            division=division, role=old.role, name=old.name, hours=old.hours
        )
        DivisionAssignment.objects.bulk_create(
            DivisionAssignment(
                division=division,
                holder=holder,
                task=assignment.task,
                key=assignment.key,
                title=assignment.title,
                domain_id=assignment.domain_id,
                hours=assignment.hours,
            )
            for assignment in old.assignments.all()
            if assignment.task is None or assignment.task.is_active
        )
    return division


@dataclass
class HolderLoss:
    """What removing a role takes away: its tasks and their hours (the confirmation's list)."""

    holder: RoleHolder
    tasks: list[tuple[str, Decimal]]

    @property
    def total(self) -> Decimal:
        return sum((hours for _title, hours in self.tasks), Decimal("0"))

    @property
    def fingerprint(self) -> str:
        """What the confirmation showed: a removal confirmed on another list is asked again."""
        return f"{self.holder.lock_version}:{len(self.tasks)}:{self.total}"


def holder_loss(holder: RoleHolder) -> HolderLoss:
    tasks = [
        (assignment.title, assignment.hours)
        for assignment in holder.assignments.order_by("title", "pk")
    ]
    return HolderLoss(holder, tasks)


@transaction.atomic
def holder_remove(*, holder: RoleHolder, actor, shown: str) -> HolderLoss:
    """Remove the role and the hours in its column, once the director has seen them
    (``shown``: the confirmation's fingerprint); else ``StaleEdit``, nothing removed."""
    require_edit(holder.division.school_id, actor)
    holder = RoleHolder.objects.select_for_update().get(pk=holder.pk)
    loss = holder_loss(holder)
    if shown != loss.fingerprint:
        raise StaleEdit()
    holder.assignments.all().delete()
    holder.delete()
    return loss


Cells = Mapping[tuple[str, str], Decimal | None]


def _gaining(row: Row, changes: Cells, matrix: Matrix, but: Column) -> list[str]:
    """The other columns that get (more) hours of this task: "Rekencoördinator (Kees): 12 uur"."""
    gaining = []
    for column in matrix.columns:
        if column.key == but.key:
            continue
        old = row.cells.get(column.key) or Decimal("0")
        new = changes.get((row.key, column.key), row.cells.get(column.key)) or Decimal("0")
        if new > old:
            gaining.append(f"{column.label}: {packages.hours_text(new - old)}")
    return gaining


def _moved_to(row: Row, changes: Cells, matrix: Matrix, column: Column) -> str:
    """The history's words for hours leaving an IB's package: the columns that gain them."""
    gaining = _gaining(row, changes, matrix, column)
    if not gaining:
        new = changes.get((row.key, column.key))
        return "" if new is not None else _("removed in the task division")
    return _("moved to %(roles)s in the task division") % {"roles": ", ".join(gaining)}


def goals_losing(matrix: Matrix, changes: Cells) -> list[tuple[str, str]]:
    """(task, goal) for each werkplan goal that loses a task the change takes out of an IB's
    package: the director is told, as the package's history is."""
    items = {
        row.items[column.key].pk: row.title
        for row in matrix.rows
        for column in matrix.columns
        if column.is_ib
        and column.key in row.items
        and (row.key, column.key) in changes
        and changes[(row.key, column.key)] is None
    }
    if not items:
        return []
    links = WerkplanGoal.items.through.objects.filter(packageitem_id__in=items)
    return [
        (items[item_id], title)
        for item_id, title in links.values_list("packageitem_id", "werkplangoal__title")
    ]


@transaction.atomic
def division_save(
    *,
    matrix: Matrix,
    actor,
    lock_version: ExpectedVersion,
    package_locks: dict[int, int | None],
    changes: Cells,
) -> int:
    """Save the matrix: ``changes`` maps (row key, column key) to new hours (None: empty).

    One check of the division's version, and of each IB package's version the matrix
    changes; a package that is not editable now is refused with its status. Cells equal to
    what is saved are left alone. Returns the number of cells changed; ``package_locks``
    holds the packages' versions after the save.
    """
    division = matrix.division
    require_edit(matrix.school.pk, actor)
    try:
        claim_version(division, lock_version)
    except StaleEdit:
        raise DivisionConflict() from None
    locks = package_locks  # moved on in place: a following change starts from there
    changed = 0
    for row in matrix.rows:
        for column in matrix.columns:
            if (row.key, column.key) not in changes:
                continue
            new, old = changes[(row.key, column.key)], row.cells.get(column.key)
            if new == old:
                continue
            changed += 1
            if column.is_ib:
                _save_ib_cell(
                    row, column, new, actor, locks, reason=_moved_to(row, changes, matrix, column)
                )
            else:
                _save_holder_cell(division, row, column, new)
    return changed


def _save_holder_cell(division: TaskDivision, row: Row, column: Column, new: Decimal | None):
    assignment = row.assignments.get(column.key)
    if new is None:
        assignment.delete()
    elif assignment is not None:
        assignment.hours = new
        assignment.save(update_fields=["hours"])
    else:
        DivisionAssignment.objects.create(
            division=division,
            holder=column.holder,
            task=row.task,
            key=row.key,
            title=row.title,
            domain_id=row.domain_id,
            hours=new,
        )


def _save_ib_cell(
    row: Row, column: Column, new: Decimal | None, actor, locks: dict, *, reason: str
) -> None:
    package = column.package
    if not column.editable:
        raise ValidationError(
            {
                cell_field(row, column): _(
                    "The package of %(ib)s is “%(status)s”: its tasks change on the package "
                    "page (withdraw or reopen it there) before the division can move them."
                )
                % {"ib": column.label, "status": column.version.get_status_display()}
            }
        )
    posted = locks.get(package.pk)
    if posted is None:
        raise DivisionConflict()
    item = row.items.get(column.key)
    try:
        if new is None:
            packages.item_remove(item=item, actor=actor, lock_version=posted, reason=reason)
        elif item is not None:
            packages.item_update(
                item=item,
                actor=actor,
                lock_version=posted,
                hours=new,
                note=item.note,
                reason=reason if new < item.hours else "",
            )
        elif row.task is not None:
            packages.item_add(
                package=package, actor=actor, lock_version=posted, hours=new, task=row.task
            )
        else:
            domain = Domain.objects.get(pk=row.domain_id)
            packages.item_add(
                package=package,
                actor=actor,
                lock_version=posted,
                hours=new,
                title=row.title,
                domain=domain,
            )
    except packages.PackageConflict:
        raise DivisionConflict() from None
    except ValidationError as error:
        raise ValidationError({cell_field(row, column): error.messages}) from None
    locks[package.pk] = package.lock_version  # the next change of this package follows on


def own_task_add(
    *,
    matrix: Matrix,
    actor,
    title: str,
    domain: Domain,
    column: Column,
    hours: Decimal,
    package_lock: int | None,
) -> None:
    """A task of the school's own (not in the catalogue), for one role or IB."""
    title = title.strip()
    key = item_key(None, title)
    if any(row.key == key for row in matrix.rows):
        raise ValidationError({"title": _("This task is in the division already.")})
    row = Row(key=key, field=row_field(key), title=title, domain_id=domain.pk)
    with transaction.atomic():
        require_edit(matrix.school.pk, actor)
        if column.is_ib:
            locks = {column.package.pk: package_lock}
            try:
                _save_ib_cell(row, column, hours, actor, locks, reason="")
            except ValidationError as error:
                raise ValidationError({"hours": error.messages}) from None
        else:
            _save_holder_cell(matrix.division, row, column, hours)


# ---------------------------------------------------------------------------
# the table for the print and the export
# ---------------------------------------------------------------------------


def table(matrix: Matrix) -> tuple[list[str], list[list], list[str]]:
    """Header, body and column kinds: a row per task, a column per role, totals last."""
    domains = {domain.pk: domain.name for domain in matrix.domains}
    header = [
        _("LBBO domain"),
        _("Task"),
        *[column.label for column in matrix.columns],
        _("Total"),
        _("Role purity"),
    ]
    kinds = ["text", "text", *["one"] * len(matrix.columns), "one", "text"]
    body: list[list] = []
    for row in matrix.rows:
        if not row.cells:
            continue
        body.append(
            [
                domains.get(row.domain_id, ""),
                row.title,
                *[row.cells.get(column.key) for column in matrix.columns],
                row.total,
                row.purity,
            ]
        )
    body.append(["", _("Total"), *[column.total for column in matrix.columns], matrix.total, ""])
    body.append(
        ["", _("Hours available"), *[column.available for column in matrix.columns], None, ""]
    )
    return header, body, kinds
