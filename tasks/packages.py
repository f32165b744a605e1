"""Services for task packages: building, the workflow, versions, history and notices.

Every change takes the ``lock_version`` the user's form was built on and bumps it with a
conditional UPDATE; when someone else changed the package in between, nothing is written and
``PackageConflict`` is raised, so the view can show the current state with a clear message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.mail import queue_mail
from core.versioning import StaleEdit, claim_version
from schools.models import (
    AppointmentShare,
    Role,
    School,
    SchoolFigures,
    SchoolYear,
    display_name,
    get_scope,
)
from schools.own_hours import OwnHoursLine

from .models import (
    TRANSITIONS,
    CatalogueTask,
    Domain,
    Package,
    PackageEvent,
    PackageItem,
    PackageStatus,
    PackageVersion,
)
from .standard_catalogue import (
    REFERENCE_SCHOOL,
    RETIRED,
    TEACHERS_PER_GROUP,
    estimated_teachers,
)

Kind = PackageEvent.Kind


T = TypeVar("T")


class PackageConflict(Exception):
    """Someone else changed the package after the user's page was loaded."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this package in the meantime. Nothing of yours was "
                "saved; you now see the current state. Make your change again if it is still "
                "needed."
            )
        )


# ---------------------------------------------------------------------------
# who may do what
# ---------------------------------------------------------------------------


def can_edit(package: Package, user) -> bool:
    """Only a director of the package's school builds and submits it."""
    return package.share.school_id in get_scope(user).director_school_ids


def can_review(package: Package, user) -> bool:
    """Only the IB of the share accepts or returns it."""
    return package.share.appointment.ib_id == user.pk


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# ---------------------------------------------------------------------------
# reading: the current version, the budget summary, differences between versions
# ---------------------------------------------------------------------------


def current_version(package: Package) -> PackageVersion:
    return package.versions.order_by("-number").first()


@dataclass
class DomainLine:
    domain: Domain
    hours: Decimal
    percentage: Decimal


@dataclass
class PackageSummary:
    """The figures and signals of one version against the package's budget."""

    gross_hours: Decimal
    reserved_hours: Decimal
    budget_hours: Decimal
    own_hours_lines: list[OwnHoursLine]
    assigned_hours: Decimal
    domains: list[DomainLine]
    not_ib_items: list[PackageItem] = field(default_factory=list)

    @property
    def left_hours(self) -> Decimal:
        return self.budget_hours - self.assigned_hours

    @property
    def own_hours(self) -> Decimal:
        return sum((line.hours for line in self.own_hours_lines), Decimal("0"))

    @property
    def over_budget_hours(self) -> Decimal:
        return max(Decimal("0"), -self.left_hours)

    @property
    def unassigned_hours(self) -> Decimal:
        return max(Decimal("0"), self.left_hours)

    @property
    def empty_domains(self) -> list[Domain]:
        """LBBO domains without hours (the general school duties may well have none)."""
        return [line.domain for line in self.domains if line.domain.is_lbbo and not line.hours]

    @property
    def not_ib_hours(self) -> Decimal:
        return sum((item.hours for item in self.not_ib_items), Decimal("0"))


def summarize(
    package: Package, items: Iterable[PackageItem], domains: list[Domain]
) -> PackageSummary:
    items = list(items)
    assigned = sum((item.hours for item in items), Decimal("0"))
    per_domain = {domain.pk: Decimal("0") for domain in domains}
    for item in items:
        per_domain[item.domain_id] = per_domain.get(item.domain_id, Decimal("0")) + item.hours
    lines = [
        DomainLine(
            domain=domain,
            hours=per_domain[domain.pk],
            percentage=(
                (per_domain[domain.pk] * 100 / assigned).quantize(Decimal("1"))
                if assigned
                else Decimal("0")
            ),
        )
        for domain in domains
    ]
    return PackageSummary(
        gross_hours=package.gross_hours,
        reserved_hours=package.reserved_hours,
        budget_hours=package.budget_hours,
        own_hours_lines=package.own_hours_lines,
        assigned_hours=assigned,
        domains=lines,
        not_ib_items=[item for item in items if not item.is_ib_task],
    )


# ---------------------------------------------------------------------------
# proposed hours: a catalogue task's hours per unit for the school's size
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolSize:
    """The school's groups and teachers in the package's school year, as the proposals use
    them: teachers estimated from the groups when unknown, and the catalogue's reference
    school when not even the groups are known."""

    groups: int
    teachers: int
    teachers_estimated: bool = False
    assumed: bool = False  # no groups known: the reference school

    @classmethod
    def of(cls, figures: SchoolFigures | None) -> SchoolSize:
        if figures is None or not figures.groups:
            if figures is not None and figures.teachers:
                groups = REFERENCE_SCHOOL["groups"]
                return cls(groups, figures.teachers, assumed=True)
            return cls(REFERENCE_SCHOOL["groups"], REFERENCE_SCHOOL["teachers"], assumed=True)
        if figures.teachers:
            return cls(figures.groups, figures.teachers)
        return cls(figures.groups, estimated_teachers(figures.groups), teachers_estimated=True)

    @property
    def estimate_rule(self) -> tuple[int, int]:
        """(teachers, groups): the estimate's ratio, for the sentence that states it."""
        return TEACHERS_PER_GROUP

    def count(self, unit: str) -> int:
        return {
            CatalogueTask.Unit.GROUP: self.groups,
            CatalogueTask.Unit.TEACHER: self.teachers,
        }.get(unit, 1)


def school_size(package: Package) -> SchoolSize:
    """The size the package's proposals use: one query for the school's figures of its year."""
    figures = SchoolFigures.objects.filter(
        school_id=package.share.school_id, school_year_id=package.school_year_id
    ).first()
    return SchoolSize.of(figures)


def proposed_hours(task: CatalogueTask, size: SchoolSize) -> Decimal:
    """The hours a catalogue task proposes for a school: its hours per unit times the school's
    groups or teachers (whole hours, at least 1), or its hours per year as they are. Never
    scaled by the IB's fte: the work at a school does not shrink with a smaller appointment."""
    if task.unit == CatalogueTask.Unit.YEAR:
        return task.default_hours
    hours = (task.default_hours * size.count(task.unit)).quantize(Decimal("1"), ROUND_HALF_UP)
    return max(Decimal("1"), hours)


@dataclass
class VersionDiff:
    added: list[PackageItem]
    removed: list[PackageItem]
    changed: list[tuple[PackageItem, PackageItem]]  # (old, new) with different hours

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def version_diff(old_items: Iterable[PackageItem], new_items: Iterable[PackageItem]) -> VersionDiff:
    old = {item.key: item for item in old_items}
    new = {item.key: item for item in new_items}
    return VersionDiff(
        added=[item for key, item in new.items() if key not in old],
        removed=[item for key, item in old.items() if key not in new],
        changed=[
            (old[key], item)
            for key, item in new.items()
            if key in old and old[key].hours != item.hours
        ],
    )


def shares_with_partnership(package: Package) -> bool:
    """Whether the package's board shares with the partnership of the package's school."""
    school = package.share.school
    return school.partnership_id is not None and school.board.shares_with_partnership


def shares_now(package: Package) -> bool:
    """``shares_with_partnership`` as stored now (one query): what agreement records."""
    return School.objects.filter(
        pk=package.share.school_id,
        partnership__isnull=False,
        board__shares_with_partnership=True,
    ).exists()


def over_budget_hours(package: Package, version: PackageVersion | None = None) -> Decimal:
    """How many hours the version's tasks (the current one by default) come to more than the
    package's budget (0 if not)."""
    version = version or current_version(package)
    assigned = sum((item.hours for item in version.items.all()), Decimal("0"))
    return max(Decimal("0"), assigned - package.budget_hours)


def previous_packages(package: Package) -> QuerySet[Package]:
    """Last year's packages of the same IB at the same school (the share may be a new one),
    newest first: ``previous_package`` takes the first, callers may annotate it."""
    return (
        Package.objects.filter(
            share__school_id=package.share.school_id,
            share__appointment__ib_id=package.share.appointment.ib_id,
            school_year__start_year=package.school_year.start_year - 1,
        )
        # The page names its year; the board is the package's own (the same school). Its
        # evaluation (one to one) comes along: the draft says when it is not held yet.
        .select_related("school_year", "evaluation")
        .order_by("-id")
    )


def previous_package(package: Package) -> Package | None:
    """Last year's package of the same IB at the same school (the share may be a new one)."""
    return previous_packages(package).first()


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


def locked_change(func: Callable[..., T]) -> Callable[..., T]:
    """A package change in one transaction; when it fails, the caller's package object keeps
    the ``lock_version`` it had (the database rolls the bump back, and so does this)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> T:
        package = kwargs["package"] if "package" in kwargs else kwargs["item"].version.package
        before = package.lock_version
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except BaseException:
            package.lock_version = before
            raise

    return wrapper


def _bump(package: Package, lock_version: int) -> None:
    """The package's version check: the same conditional UPDATE as every edit form's."""
    try:
        claim_version(package, lock_version)
    except StaleEdit:
        raise PackageConflict() from None


def hours_text(hours: Decimal) -> str:
    """Hours as the history shows them, in the actor's language: "12,5 uur"."""
    return _("%(hours)s h") % {"hours": floatformat(hours, -1)}


def _record(
    package: Package, version: PackageVersion, kind: str, actor, detail: str = "", comment: str = ""
) -> None:
    PackageEvent.objects.create(
        package=package,
        version_number=version.number,
        kind=kind,
        actor=actor,
        detail=detail[:500],
        comment=comment,
    )


def _transition(
    package: Package,
    version: PackageVersion,
    to: str,
    *,
    actor,
    kind: str,
    comment: str = "",
    detail: str = "",
) -> None:
    if to not in TRANSITIONS[version.status]:
        raise ValidationError(
            _("A package that is “%(status)s” cannot become “%(to)s”.")
            % {"status": version.get_status_display(), "to": PackageStatus(to).label}
        )
    version.status = to
    now = timezone.now()
    if to == PackageStatus.SUBMITTED:
        version.submitted_at = now
    if to == PackageStatus.CONCEPT:
        version.submitted_at = None  # a draft is not submitted; the history keeps the dates
    if to == PackageStatus.AGREED:
        version.agreed_at = now
    version.save()
    _record(package, version, kind, actor, detail=detail, comment=comment)


def _editable_version(package: Package, actor) -> PackageVersion:
    """The version to change; a returned package goes back to draft on the first change."""
    version = current_version(package)
    if version.status == PackageStatus.RETURNED:
        _transition(package, version, PackageStatus.CONCEPT, actor=actor, kind=Kind.DRAFT)
    if version.status != PackageStatus.CONCEPT:
        raise ValidationError(
            _("This package is “%(status)s” and cannot be changed now.")
            % {"status": version.get_status_display()}
        )
    return version


def validate_hours(package: Package, hours: Decimal) -> None:
    if hours <= 0:
        raise ValidationError({"hours": _("Hours must be more than 0.")})
    if hours != hours.quantize(Decimal("0.1")):
        raise ValidationError({"hours": _("Give hours with at most one decimal.")})
    if hours > package.budget_hours:
        raise ValidationError(
            {
                "hours": _(
                    "%(hours)s hours are more than the whole budget of this package "
                    "(%(budget)s hours)."
                )
                % {
                    "hours": number_format(hours.normalize()),
                    "budget": number_format(package.budget_hours),
                }
            }
        )


@transaction.atomic
def package_create(*, share: AppointmentShare, school_year: SchoolYear, actor) -> Package:
    appointment = share.appointment
    _require(
        share.school_id in get_scope(actor).director_school_ids,
        _("Only the director of the school puts together a package."),
    )
    if appointment.start_date > school_year.end_date or (
        appointment.end_date and appointment.end_date < school_year.start_date
    ):
        raise ValidationError(_("This appointment does not run in that school year."))
    package = Package(share=share, school_year=school_year)
    package.full_clean()
    package.save()
    version = PackageVersion.objects.create(package=package, number=1)
    _record(package, version, Kind.CREATED, actor)
    return package


@dataclass(frozen=True)
class CopyResult:
    """What copying last year's tasks did: how many were copied, and which were left out
    because the board has deactivated them in its catalogue since."""

    copied: int
    inactive: list[str]


def left_out_titles(package: Package, items: list[PackageItem]) -> list[str]:
    """The titles of last year's tasks that are no longer in the catalogue; a standard task that
    was merged into another names the task that holds its work now (one query, only then)."""
    merged = {item.pk: RETIRED.get(item.task.standard_key) for item in items}
    keys = {key for key in merged.values() if key}
    holders = {}
    if keys:
        holders = dict(
            CatalogueTask.objects.filter(
                board_id=package.share.school.board_id, standard_key__in=keys, is_active=True
            ).values_list("standard_key", "title")
        )
    return [
        _("%(task)s (now part of “%(other)s”)") % {"task": item.title, "other": holder}
        if (holder := holders.get(merged[item.pk]))
        else item.title
        for item in items
    ]


@locked_change
def package_copy_previous(*, package: Package, actor, lock_version: int) -> CopyResult:
    """Copy last year's agreed (or latest) tasks into this draft, leaving out tasks that are
    in it already and catalogue tasks the board has deactivated since."""
    _require(can_edit(package, actor), _("Only the director of the school changes this package."))
    _bump(package, lock_version)
    version = _editable_version(package, actor)
    previous = previous_package(package)
    if previous is None:
        raise ValidationError(_("There is no package of last year to copy."))
    have = {item.key for item in version.items.all()}
    # Last year's agreed content; a reopened draft of it is not what was agreed.
    source = previous.versions.filter(status=PackageStatus.AGREED).order_by(
        "-number"
    ).first() or current_version(previous)
    candidates, inactive = [], []
    for item in source.items.select_related("task"):
        if item.key in have:
            continue
        if item.task and not item.task.is_active:
            inactive.append(item)
        else:
            candidates.append(item)
    inactive = left_out_titles(package, inactive)
    copies = [
        PackageItem(
            version=version,
            task=item.task,
            title=item.title,
            domain_id=item.domain_id,
            is_ib_task=item.is_ib_task,
            concerns_partnership=item.concerns_partnership,
            not_ib_reason=item.not_ib_reason,
            hours=item.hours,
            note=item.note,
        )
        for item in candidates
    ]
    PackageItem.objects.bulk_create(copies)
    detail = ngettext(
        "%(count)s task from %(year)s", "%(count)s tasks from %(year)s", len(copies)
    ) % {"count": len(copies), "year": previous.school_year}
    if inactive:
        detail += "; " + _("not copied (no longer in the catalogue): %(tasks)s") % {
            "tasks": ", ".join(inactive)
        }
    _record(package, version, Kind.COPIED, actor, detail=detail)
    return CopyResult(copied=len(copies), inactive=inactive)


@locked_change
def item_add(
    *,
    package: Package,
    actor,
    lock_version: int,
    hours: Decimal,
    task: CatalogueTask | None = None,
    title: str = "",
    domain: Domain | None = None,
    note: str = "",
) -> PackageItem:
    _require(can_edit(package, actor), _("Only the director of the school changes this package."))
    validate_hours(package, hours)
    if task is not None:
        if task.board_id != package.board.pk or not task.is_active:
            raise ValidationError({"task": _("Choose an active task of the board's catalogue.")})
        item = PackageItem(
            task=task,
            title=task.title,
            domain=task.domain,
            is_ib_task=task.is_ib_task,
            concerns_partnership=task.concerns_partnership,
            not_ib_reason=task.not_ib_reason,
            hours=hours,
            note=note,
        )
    else:
        if not title.strip() or domain is None:
            raise ValidationError(_("A task of your own needs a title and a domain."))
        item = PackageItem(title=title.strip(), domain=domain, hours=hours, note=note)
    _bump(package, lock_version)
    item.version = _editable_version(package, actor)
    # One item per task (or own title) in a version: copying, versions and diffs match on it.
    if item.key in {existing.key for existing in item.version.items.all()}:
        raise ValidationError(
            _("“%(task)s” is already in the package; change its hours instead.")
            % {"task": item.title}
        )
    item.full_clean()
    item.save()
    detail = f"{item.title}: {hours_text(hours)}"
    _record(package, item.version, Kind.ITEM_ADDED, actor, detail=detail)
    return item


@locked_change
def item_update(
    *, item: PackageItem, actor, lock_version: int, hours: Decimal, note: str, reason: str = ""
) -> PackageItem:
    """``reason`` joins the history entry (the task division says where moved hours went)."""
    package = item.version.package
    _require(can_edit(package, actor), _("Only the director of the school changes this package."))
    if hours == item.hours and note == item.note:
        return item  # saved unchanged: nothing to lock, log or move back to draft
    validate_hours(package, hours)
    _bump(package, lock_version)
    version = _editable_version(package, actor)
    if item.version_id != version.pk:
        raise ValidationError(_("This task belongs to an earlier version of the package."))
    old_hours = item.hours
    item.hours = hours
    item.note = note
    item.full_clean()
    item.save(update_fields=["hours", "note"])
    _record(
        package,
        version,
        Kind.ITEM_CHANGED,
        actor,
        detail=f"{item.title}: {hours_text(old_hours)} → {hours_text(hours)}"
        + (f"; {reason}" if reason else ""),
    )
    return item


SHEET_EXCLUDE = [f.name for f in PackageItem._meta.fields if f.name not in {"hours", "note"}]


@dataclass(frozen=True)
class ItemValues:
    """What the sheet holds for one task: its hours and its note."""

    hours: Decimal
    note: str


@locked_change
def items_update(
    *, package: Package, actor, lock_version: int, changes: Mapping[int, ItemValues]
) -> list[PackageItem]:
    """Save the sheet: new hours and notes of several tasks of the current version at once.

    One lock check for all of them and one history entry per task that really changed;
    unchanged tasks are neither written nor logged, and a sheet without changes locks nothing
    (and leaves a returned package as it is). Every task's hours are checked before anything
    is written: a refusal is a ``ValidationError`` keyed by the item ids, nothing saved.
    """
    _require(can_edit(package, actor), _("Only the director of the school changes this package."))
    version = current_version(package)
    items = {item.pk: item for item in version.items.all()}
    if set(changes) - set(items):
        raise ValidationError(_("This task belongs to an earlier version of the package."))
    changed = [
        (items[pk], values)
        for pk, values in changes.items()
        if (items[pk].hours, items[pk].note) != (values.hours, values.note)
    ]
    if not changed:
        return []
    errors: dict[int, list[str]] = {}
    for item, values in changed:
        try:
            validate_hours(package, values.hours)
        except ValidationError as error:
            errors[item.pk] = error.messages
    if errors:
        raise ValidationError(errors)
    _bump(package, lock_version)
    version = _editable_version(package, actor)
    events = []
    for item, values in changed:
        detail = f"{item.title}: {hours_text(item.hours)}"
        if values.hours != item.hours:
            detail += f" → {hours_text(values.hours)}"
        if values.note != item.note:
            detail += "; " + _("note: “%(note)s”") % {"note": values.note}
        item.hours, item.note = values.hours, values.note
        # Only the two fields: a full_clean() would look up each item's foreign keys.
        item.clean_fields(exclude=SHEET_EXCLUDE)
        events.append(
            PackageEvent(
                package=package,
                version_number=version.number,
                kind=Kind.ITEM_CHANGED,
                actor=actor,
                detail=detail[:500],
            )
        )
    PackageItem.objects.bulk_update([item for item, _values in changed], ["hours", "note"])
    PackageEvent.objects.bulk_create(events)
    return [item for item, _values in changed]


@locked_change
def item_remove(*, item: PackageItem, actor, lock_version: int, reason: str = "") -> None:
    """Remove a task from the current version; ``reason`` joins the history entry (the task
    division says to whom the task moved)."""
    package = item.version.package
    _require(can_edit(package, actor), _("Only the director of the school changes this package."))
    _bump(package, lock_version)
    version = _editable_version(package, actor)
    if item.version_id != version.pk:
        raise ValidationError(_("This task belongs to an earlier version of the package."))
    goals = list(item.goals.values_list("title", flat=True))
    item.delete()
    detail = f"{item.title}: {hours_text(item.hours)}"
    if reason:
        detail += f"; {reason}"
    if goals:
        # The werkplan goals it served lose it with it: the history says so.
        detail += " " + _("(was linked to goal %(goals)s)") % {
            "goals": ", ".join(f"“{title}”" for title in goals)
        }
    _record(package, version, Kind.ITEM_REMOVED, actor, detail=detail)


@locked_change
def package_submit(*, package: Package, actor, lock_version: int, comment: str = "") -> None:
    _require(can_edit(package, actor), _("Only the director of the school submits this package."))
    _bump(package, lock_version)
    version = current_version(package)
    if not version.items.exists():
        raise ValidationError(_("Add at least one task before submitting the package."))
    # A new review round: the IB's task comments of the last one are in the history.
    version.items.exclude(ib_comment="").update(ib_comment="")
    _transition(
        package, version, PackageStatus.SUBMITTED, actor=actor, kind=Kind.SUBMITTED, comment=comment
    )
    _notify_ib(package, comment)


@locked_change
def package_to_draft(*, package: Package, actor, lock_version: int) -> None:
    """A returned package back to draft (the first change does this too)."""
    _require(can_edit(package, actor), _("Only the director of the school changes this package."))
    _bump(package, lock_version)
    version = current_version(package)
    if version.status != PackageStatus.RETURNED:
        raise ValidationError(_("Only a returned package goes back to draft this way."))
    _transition(package, version, PackageStatus.CONCEPT, actor=actor, kind=Kind.DRAFT)


@locked_change
def package_withdraw(*, package: Package, actor, lock_version: int, comment: str = "") -> None:
    """The director takes a submitted package back to draft before the IB has answered;
    the IB is told by e-mail. A review the IB was writing meets the lock and is refused."""
    _require(can_edit(package, actor), _("Only the director of the school withdraws this package."))
    _bump(package, lock_version)
    version = current_version(package)
    if version.status != PackageStatus.SUBMITTED:
        raise ValidationError(_("Only a package that waits for the IB's review can be withdrawn."))
    _transition(
        package, version, PackageStatus.CONCEPT, actor=actor, kind=Kind.WITHDRAWN, comment=comment
    )
    _notify_ib(package, comment, withdrawn=True)


def _save_item_comments(version: PackageVersion, item_comments: Mapping[int, str]) -> None:
    for item in version.items.all():
        comment = item_comments.get(item.pk, item.ib_comment).strip()
        if comment != item.ib_comment:
            item.ib_comment = comment
            item.save(update_fields=["ib_comment"])


@locked_change
def package_review(
    *,
    package: Package,
    actor,
    lock_version: int,
    accept: bool,
    comment: str = "",
    item_comments: Mapping[int, str] | None = None,
    over_budget_confirmed: bool = False,
) -> None:
    """The IB accepts the package (it becomes read-only) or returns it with comments.

    Accepting a package whose tasks come to more than its budget needs the IB's explicit
    confirmation (``over_budget_confirmed``); the hours over are recorded on the version.
    """
    _require(can_review(package, actor), _("Only the IB of this package accepts or returns it."))
    _bump(package, lock_version)
    version = current_version(package)
    if (
        not accept
        and not comment.strip()
        and not any(text.strip() for text in (item_comments or {}).values())
    ):
        raise ValidationError(_("Say why you return the package: an overall or a task comment."))
    if version.status != PackageStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted package can be accepted or returned."))
    over = over_budget_hours(package, version)
    if accept and over and not over_budget_confirmed:
        raise ValidationError(
            {
                "confirm_over_budget": _(
                    "This package is %(hours)s over the budget. Confirm that you agree to it "
                    "as it is, or return it."
                )
                % {"hours": hours_text(over)}
            }
        )
    _save_item_comments(version, item_comments or {})
    version.ib_comment = comment.strip()
    version.agreed_over_budget_hours = over if accept else Decimal("0")
    # The partnership's copy is decided now: agreed while the board does not share, the
    # version stays private even if the board shares later (see PackageVersion.objects).
    version.shared_with_partnership = accept and shares_now(package)
    to, kind = (
        (PackageStatus.AGREED, Kind.AGREED) if accept else (PackageStatus.RETURNED, Kind.RETURNED)
    )
    # The history keeps the task comments of this review: the next submission clears them.
    notes = [f"{item.title}: {item.ib_comment}" for item in version.items.exclude(ib_comment="")]
    if version.agreed_over_budget_hours:
        notes.insert(0, _("agreed %(hours)s over the budget") % {"hours": hours_text(over)})
    detail = "; ".join(notes)
    _transition(
        package, version, to, actor=actor, kind=kind, comment=comment.strip(), detail=detail
    )
    _notify_directors(package, accepted=accept, comment=comment.strip())


@locked_change
def package_reopen(
    *, package: Package, actor, lock_version: int, comment: str = ""
) -> PackageVersion:
    """Start a new draft version from an agreed one; the agreed version stays readable."""
    _require(can_edit(package, actor), _("Only the director of the school reopens this package."))
    _bump(package, lock_version)
    old = current_version(package)
    if old.status != PackageStatus.AGREED:
        raise ValidationError(_("Only an agreed package can be reopened."))
    new = PackageVersion.objects.create(package=package, number=old.number + 1)
    PackageItem.objects.bulk_create(
        PackageItem(
            version=new,
            task_id=item.task_id,
            title=item.title,
            domain_id=item.domain_id,
            is_ib_task=item.is_ib_task,
            concerns_partnership=item.concerns_partnership,
            not_ib_reason=item.not_ib_reason,
            hours=item.hours,
            note=item.note,
        )
        for item in old.items.all()
    )
    # The werkplan goes with the package: its goals, tied to the new copies of their tasks.
    from .werkplan import goals_copy  # werkplan builds on this module: imported here

    goals_copy(old, new)
    _record(package, new, Kind.REOPENED, actor, comment=comment)
    return new


# ---------------------------------------------------------------------------
# notices
# ---------------------------------------------------------------------------


def package_url(package: Package) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("tasks:package-detail", args=[package.pk])


def _send(subject: str, template: str, context: dict, package: Package, recipients: list) -> None:
    """Queue one mail per recipient (users): sent after the commit, retried while the mail
    server is down, logged by package and user id."""
    body = render_to_string(template, context)
    for user in recipients:
        if user.email:
            queue_mail(user_id=user.pk, subject=subject, body=body, about=f"package {package.pk}")


def _notify_ib(package: Package, comment: str, *, withdrawn: bool = False) -> None:
    """Tell the IB the package was submitted to them, or withdrawn again."""
    ib = package.ib
    subject = (
        _("Task package %(school)s %(year)s withdrawn")
        if withdrawn
        else _("Task package %(school)s %(year)s submitted to you")
    )
    _send(
        subject % {"school": package.school, "year": package.school_year},
        "tasks/email/package_withdrawn.txt" if withdrawn else "tasks/email/package_submitted.txt",
        {
            "package": package,
            "ib_name": display_name(ib),
            "comment": comment,
            "url": package_url(package),
        },
        package,
        [ib],
    )


def _notify_directors(package: Package, *, accepted: bool, comment: str) -> None:
    directors = [
        membership.user
        for membership in package.school.memberships.filter(role=Role.DIRECTOR).select_related(
            "user"
        )
    ]
    subject = (
        _("Task package %(school)s %(year)s agreed by %(ib)s")
        if accepted
        else _("Task package %(school)s %(year)s returned by %(ib)s")
    ) % {"school": package.school, "year": package.school_year, "ib": display_name(package.ib)}
    _send(
        subject,
        "tasks/email/package_reviewed.txt",
        {
            "package": package,
            "accepted": accepted,
            "ib_name": display_name(package.ib),
            "comment": comment,
            "url": package_url(package),
        },
        package,
        directors,
    )
