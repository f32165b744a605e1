"""To-do items of task packages (see schools/todo.py).

- the IB: a package submitted to them; a realisation moment whose date has passed and that
  is not recorded yet, or only for some tasks (once the year-end moment has passed, only the
  year end: its hours are those of the whole year); the year-end evaluation to rate (goals
  to rate, not marked ready);
- the director: per IB share at their schools, a package returned by the IB, over its budget,
  still a draft (or not made yet) once its school year has begun or is near; the year-end
  evaluation to hold, once the IB has marked it ready or the school year has ended;
- board staff: IB shares at the board's schools without an agreed package this school year;
  agreed packages of last school year whose evaluation was not closed, from the end of that
  year until the evaluation closes (31 October, ``tasks.evaluation``).

Each provider costs a fixed number of queries, whatever the number of packages.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.names import Person
from schools.models import (
    AppointmentShare,
    Role,
    SchoolYear,
    Scope,
    display_name,
    overlap_condition,
)
from schools.own_hours import own_hours_prefetch
from schools.todo import Item, provider, url_pattern

from . import evaluation as ev
from . import realisation as rs
from .models import (
    EvaluationGoal,
    Moment,
    Package,
    PackageQuerySet,
    PackageStatus,
    PackageVersion,
    RealisationLine,
    WerkplanGoal,
)

# A package is to be agreed before its school year starts (1 August: the werkverdelingsplan is
# set before the year). A draft of next year's package shows from this many days before.
DRAFT_NOTICE_DAYS = 61


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def package_subject(package: Package) -> str:
    return f"{package.share.school.name} · {display_name(package.share.appointment.ib)}"


def ib_name(row: dict, prefix: str) -> str:
    """``display_name`` of the IB whose names are in ``row`` (``values()`` under ``prefix``),
    for providers that read rows rather than model instances."""
    fields = ("first_name", "last_name", "username")
    return display_name(Person(*(row[prefix + name] for name in fields)))


def hours(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else value, 1)


def with_year_state(packages, *, realisation: bool = True):
    """Each package with the number of tasks of its newest agreed version (``planned_tasks``,
    None when it was never agreed: one subquery answers both), whether it has goals to
    evaluate (its agreed versions' werkplan, or the evaluation's own once started) and, with
    ``realisation``, how many tasks each realisation moment recorded; its evaluation comes
    with ``select_related``. No extra query."""
    agreed = PackageVersion.objects.filter(package=OuterRef("pk"), status=PackageStatus.AGREED)
    planned = agreed.order_by("-number").annotate(n=Count("items")).values("n")[:1]
    goals = WerkplanGoal.objects.filter(
        version__package=OuterRef("pk"), version__status=PackageStatus.AGREED
    )
    evaluated = EvaluationGoal.objects.filter(evaluation__package=OuterRef("pk"))
    packages = packages.select_related("evaluation").annotate(
        planned_tasks=Subquery(planned),
        has_plan_goals=Exists(goals),
        has_evaluated_goals=Exists(evaluated),
    )
    if not realisation:
        return packages

    # The tasks recorded at each moment: a sheet saved half-filled stays on the list until
    # every task has its hours.
    def recorded_at(moment: str) -> Subquery:
        lines = (
            RealisationLine.objects.filter(
                realisation__package=OuterRef("pk"), realisation__moment=moment
            )
            .order_by()
            .values("realisation__package")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Coalesce(Subquery(lines), 0)

    return packages.annotate(
        mid_recorded=recorded_at(Moment.MID), end_recorded=recorded_at(Moment.END)
    )


def ever_agreed(package: Package) -> bool:
    """Whether the package has an agreed version (``with_year_state``)."""
    return package.planned_tasks is not None


def realisation_item(package: Package, today: datetime.date) -> Item | None:
    """The latest moment whose date has passed, while it is not recorded and still open."""
    if today > rs.record_until(package.school_year):
        return None
    dates = rs.moment_dates(package)
    if dates[Moment.END] <= today:
        moment, recorded = Moment.END, package.end_recorded
    elif dates[Moment.MID] <= today:
        moment, recorded = Moment.MID, package.mid_recorded
    else:
        return None
    # Done once every task has its hours (a sheet with more lines than tasks: a task recorded
    # and later taken out of the package).
    if recorded and recorded >= package.planned_tasks:
        return None
    note = ""
    if recorded:
        note = _("%(recorded)s of %(tasks)s tasks recorded") % {
            "recorded": recorded,
            "tasks": package.planned_tasks,
        }
    return Item(
        kind="realisation-due",
        title=_("Record the realisation"),
        subject=f"{package.share.school.name} · {package.school_year.name} · "
        f"{Moment(moment).label}",
        url=reverse("tasks:package-realisation", args=[package.pk, moment]),
        since=dates[moment],
        note=note,
        more_url=reverse("tasks:ib-packages"),
        rank=30,
    )


def closes_note(status: ev.Status) -> str:
    return _("closes on %(date)s") % {"date": date_format(status.open_until, "j F Y")}


def ib_evaluation_item(package: Package, today: datetime.date) -> Item | None:
    """Goals to rate, from the year-end moment until the IB marks the evaluation ready."""
    status = ev.status_of(package, ev.evaluation_of(package), today)
    goals = package.has_evaluated_goals if status.evaluation else package.has_plan_goals
    if status.code not in ("open", "started") or not goals:
        return None
    return Item(
        kind="evaluation-rate",
        title=_("Rate the goals of your werkplan"),
        subject=f"{package.share.school.name} · {package.school_year.name}",
        url=reverse("tasks:package-evaluation", args=[package.pk]),
        since=status.opens_on,
        due=package.school_year.end_date,
        note=closes_note(status),
        more_url=reverse("tasks:ib-packages"),
        rank=20,
    )


# What the IB's items read of a package: the school's name, the board's realisation moments,
# the school year, the evaluation's state and last day (``realisation_item``,
# ``ib_evaluation_item``); the rest of the six rows is left unread.
IB_ITEM_FIELDS = (
    "evaluation_until",
    "share__school__name",
    "share__school__board__realisation_mid_year",
    "share__school__board__realisation_year_end",
    "school_year__start_year",
    "evaluation__ib_ready_at",
    "evaluation__closed_at",
)


@functools.cache
def ib_package_rows() -> PackageQuerySet:
    """The packages as the IB's items read them, before the filters on the IB and the years:
    its annotations are resolved once per process (see ``director_package_rows``)."""
    # When the newest version was submitted, while it waits for the IB's answer: one subquery
    # where the newest status and its submission time took two.
    newest = PackageVersion.objects.filter(package=OuterRef("pk")).order_by("-number")
    waiting = Case(When(status=PackageStatus.SUBMITTED, then=F("submitted_at")))
    return (
        with_year_state(
            Package.objects.select_related("share__school__board", "school_year").annotate(
                waiting_since=Subquery(newest.annotate(waiting=waiting).values("waiting")[:1])
            )
        )
        .only(*IB_ITEM_FIELDS)
        .order_by("waiting_since", "id")
    )


@provider(Role.IB)
def packages_to_review(user, scope: Scope, today: datetime.date) -> list[Item]:
    """The IB's packages of last school year and later, in one query: those of this or a
    later year submitted to them and not answered yet; of agreed ones, a realisation moment
    to record and the year-end evaluation to rate."""
    current = SchoolYear.start_year_for(today)
    packages = (
        ib_package_rows()
        .for_scope(scope)
        .filter(share__appointment__ib_id=scope.user_id, school_year__start_year__gte=current - 1)
    )
    items = []
    for package in packages:
        if package.waiting_since and package.school_year.start_year >= current:
            items.append(
                Item(
                    kind="package-review",
                    title=_("Review your task package"),
                    subject=f"{package.share.school.name} · {package.school_year.name}",
                    url=reverse("tasks:package-detail", args=[package.pk]),
                    since=local_date(package.waiting_since),
                    more_url=reverse("tasks:ib-packages"),
                    rank=10,
                )
            )
        if ever_agreed(package):
            for item in (realisation_item(package, today), ib_evaluation_item(package, today)):
                if item is not None:
                    items.append(item)
    return items


# -- the director ---------------------------------------------------------------------------


def years_to_watch(today: datetime.date) -> list[SchoolYear]:
    """This school year, and the next one once its start is near."""
    current = SchoolYear(start_year=SchoolYear.start_year_for(today))
    following = SchoolYear(start_year=current.start_year + 1)
    near = following.start_date - datetime.timedelta(days=DRAFT_NOTICE_DAYS) <= today
    return [current, following] if near else [current]


def over_budget(package: Package) -> Decimal:
    """Hours over the budget that nobody agreed to: a draft's or a returned package's excess,
    or an agreed one's excess beyond what the IB accepted (the budget changed since)."""
    excess = (package.assigned_hours or Decimal("0")) - package.budget_hours
    if package.current_status == PackageStatus.AGREED:
        excess -= package.current_agreed_over or Decimal("0")
    elif package.current_status == PackageStatus.SUBMITTED:
        return Decimal("0")  # the IB is answering it; the submission said so
    return max(Decimal("0"), excess)


def director_package_item(
    share: AppointmentShare, year: SchoolYear, package: Package | None, today: datetime.date
) -> Item | None:
    """At most one item per share and year: returned, over budget, or not submitted yet."""
    overview = reverse("tasks:package-overview") + f"?jaar={year.start_year}"
    subject = f"{share.school.name} · {display_name(share.appointment.ib)} · {year.name}"
    if package is None:
        return Item(
            kind="package-missing",
            title=_("Draw up the task package"),
            subject=subject,
            url=overview,
            due=year.start_date,
            more_url=overview,
            rank=40,
        )
    url = reverse("tasks:package-detail", args=[package.pk])
    excess = over_budget(package)
    # A draft of a later version is a change to an agreed package: no deadline, that one stands.
    reopened = (package.current_number or 1) > 1
    first_draft = package.current_status == PackageStatus.CONCEPT and not reopened
    note = _("%(hours)s hours over the budget") % {"hours": hours(excess)} if excess else ""
    if package.current_status == PackageStatus.RETURNED:
        return Item(
            kind="package-returned",
            title=_("Rework the returned task package"),
            subject=subject,
            url=url,
            since=local_date(package.returned_at),
            note=note,
            more_url=overview,
            rank=10,
        )
    if excess:
        return Item(
            kind="package-over-budget",
            title=_("Bring the task package within its budget"),
            subject=subject,
            url=url,
            due=year.start_date if first_draft else None,
            note=note,
            more_url=overview,
            rank=20,
        )
    if package.current_status == PackageStatus.CONCEPT:
        return Item(
            kind="package-draft",
            title=_("Submit the task package to the IB"),
            subject=subject,
            url=url,
            due=year.start_date if first_draft else None,
            note=_("a change to the agreed package") if reopened else "",
            more_url=overview,
            rank=30,
        )
    return None


def evaluation_years(today: datetime.date) -> list[SchoolYear]:
    """Last school year and this one: last year's evaluation is open until 31 October, or
    until the later day board staff gave it (``tasks.evaluation.extend``, at most the end of
    this school year); the evaluation's status says which packages still need it."""
    current = SchoolYear(start_year=SchoolYear.start_year_for(today))
    return [SchoolYear(start_year=current.start_year - 1), current]


def director_evaluation_item(
    share: AppointmentShare, package: Package, today: datetime.date
) -> Item | None:
    """The evaluation to hold: once the IB has marked it ready (or it has no goals to rate),
    or once the school year has ended, until the conversation closes it."""
    if not ever_agreed(package):
        return None
    status = ev.status_of(package, ev.evaluation_of(package), today)
    if status.code not in ("open", "started", "ready"):
        return None
    year = package.school_year
    goals = package.has_evaluated_goals if status.evaluation else package.has_plan_goals
    ready = status.code == "ready" or (status.code == "started" and not goals)
    if not ready and today <= year.end_date:
        return None
    ready_on = (
        local_date(status.evaluation.ib_ready_at)
        if status.evaluation and status.evaluation.ib_ready_at
        else None
    )
    return Item(
        kind="evaluation-hold",
        title=_("Hold the year-end evaluation"),
        subject=f"{share.school.name} · {display_name(share.appointment.ib)} · {year.name}",
        url=reverse("tasks:package-evaluation", args=[package.pk]),
        since=ready_on or (year.end_date + datetime.timedelta(days=1)),
        due=status.open_until,
        note=_("the IB has rated the goals")
        if status.code == "ready"
        else _("the IB has not rated the goals yet")
        if goals
        else "",
        more_url=reverse("tasks:package-overview") + f"?jaar={year.start_year}",
        rank=20,
    )


# What the director's items read of a share: the school's name, the board's budget rules
# and realisation moments (a package's budget and evaluation dates), the appointment's
# dates and the IB's name.
DIRECTOR_SHARE_FIELDS = (
    "fte",
    "school__name",
    "school__board__hours_per_fte",
    "school__board__reserved_hours_per_fte",
    "school__board__realisation_mid_year",
    "school__board__realisation_year_end",
    "appointment__start_date",
    "appointment__end_date",
    "appointment__ib__first_name",
    "appointment__ib__last_name",
    "appointment__ib__username",
)


# What the director's items read of a package besides its annotations: its evaluation's
# last day and state and its school year (``director_evaluation_item``); the share comes from
# the prefetch.
DIRECTOR_PACKAGE_FIELDS = (
    "share",
    "evaluation_until",
    "school_year__start_year",
    "evaluation__ib_ready_at",
    "evaluation__closed_at",
)


@functools.cache
def director_package_rows() -> PackageQuerySet:
    """The packages as the director's items read them, before the filter on shares and years.
    Nothing in it depends on the request, so its many annotations are resolved once per
    process (as a view's ``queryset`` attribute is) and each request filters a copy."""
    return with_year_state(
        Package.objects.select_related("school_year")
        .with_current_state(agreement=True)
        # At most one package per share and year, keyed by year below: no ordering
        # (Package's default one joins the share and its school).
        .order_by(),
        realisation=False,  # the director's items read neither the submission nor the hours
    ).only(*DIRECTOR_PACKAGE_FIELDS)


@provider(Role.DIRECTOR)
def director_packages(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Per IB share at the director's schools and school year watched: what the package
    needs from the director, and the year-end evaluation to hold. Three queries: the shares,
    their packages of those years, the IBs' own reserved hours (part of each budget)."""
    years = years_to_watch(today)
    evaluated = evaluation_years(today)
    starts = {year.start_year for year in years + evaluated}
    first_day = min(year.start_date for year in years + evaluated)
    shares = (
        AppointmentShare.objects.for_scope(scope)
        .filter(school_id__in=scope.director_school_ids)
        # Overlapping the watched years, on the share's own appointment row.
        .filter(overlap_condition(first_day, years[-1].end_date, "appointment__"))
        .select_related("school__board", "appointment__ib")
        .only(*DIRECTOR_SHARE_FIELDS)
        .prefetch_related(
            Prefetch(
                "packages",
                queryset=director_package_rows().filter(school_year__start_year__in=starts),
                to_attr="watched_packages",
            ),
            own_hours_prefetch("appointment__own_hours"),  # the IB's own hours, in the budget
        )
        .order_by("school__name", "id")
    )
    items = []
    evaluated_starts = {year.start_year for year in evaluated}
    for share in shares:
        by_year = {package.school_year.start_year: package for package in share.watched_packages}
        for year in years:
            appointment = share.appointment
            if not appointment.start_date <= year.end_date or (
                appointment.end_date and appointment.end_date < year.start_date
            ):
                continue
            item = director_package_item(share, year, by_year.get(year.start_year), today)
            if item is not None:
                items.append(item)
        for start_year, package in sorted(by_year.items()):
            if start_year in evaluated_starts:
                item = director_evaluation_item(share, package, today)
                if item is not None:
                    items.append(item)
    return items


# -- board staff ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def board_share_rows(start_year: int, evaluation_open: bool) -> QuerySet:
    """The rows of ``shares_without_agreed_package`` for the school year starting in
    ``start_year``, before the filter on the user's boards: its subqueries are resolved once
    per school year and process (see ``director_package_rows``)."""
    year = SchoolYear(start_year=start_year)
    previous = SchoolYear(start_year=start_year - 1)
    # At most one package per share and year: no ordering (Package's default one joins the
    # school into every row's subquery).
    packages = Package.objects.filter(
        share=OuterRef("pk"), school_year__start_year=year.start_year
    ).order_by()
    agreed = PackageVersion.objects.filter(
        package__share=OuterRef("pk"),
        package__school_year__start_year=year.start_year,
        status=PackageStatus.AGREED,
    )
    # Overlapping the year, on the share's own appointment row (as a subquery it read every
    # appointment of the country).
    overlapping = overlap_condition(year.start_date, year.end_date, "appointment__")
    not_agreed = overlapping & ~Exists(agreed)
    shares = AppointmentShare.objects.annotate(
        package_id=Subquery(packages.values("pk")[:1])
    ).order_by("school__name", "id")
    if evaluation_open:
        # Agreed last year, its evaluation not closed: the evaluation is still open.
        unevaluated = (
            Package.objects.filter(
                share=OuterRef("pk"), school_year__start_year=previous.start_year
            )
            .order_by()
            .filter(
                Exists(
                    PackageVersion.objects.filter(
                        package=OuterRef("pk"), status=PackageStatus.AGREED
                    )
                ),
                Q(evaluation__isnull=True) | Q(evaluation__closed_at__isnull=True),
            )
        )
        shares = shares.annotate(
            lacks_agreed=ExpressionWrapper(not_agreed, output_field=BooleanField()),
            unevaluated_id=Subquery(unevaluated.values("pk")[:1]),
        ).filter(not_agreed | Q(unevaluated_id__isnull=False))
    else:
        # Every share left lacks an agreed package: the test runs once, in the WHERE clause.
        shares = shares.filter(not_agreed).annotate(
            lacks_agreed=Value(True), unevaluated_id=Value(None, output_field=IntegerField())
        )
    # Rows, not model instances (four per share): the items show two names and link by pk.
    return shares.values(
        "school__name",
        "appointment__ib__first_name",
        "appointment__ib__last_name",
        "appointment__ib__username",
        "package_id",
        "lacks_agreed",
        "unevaluated_id",
    )


@provider(Role.BOARD_STAFF)
def shares_without_agreed_package(user, scope: Scope, today: datetime.date) -> list[Item]:
    """IB shares at the board's schools in this school year whose package was never agreed
    (a reopened package keeps its agreed version); and, from the end of a school year until
    its evaluation closes (31 October), shares whose agreed package of that year has no
    closed evaluation. One query."""
    year = SchoolYear(start_year=SchoolYear.start_year_for(today))
    previous = SchoolYear(start_year=year.start_year - 1)
    rows = (
        board_share_rows(year.start_year, today <= rs.record_until(previous))
        .for_scope(scope)
        .filter(
            school__board_id__in=scope.staff_board_ids,
            # The appointment's board too (the services keep shares within it): PostgreSQL
            # then reads the board's appointments by index instead of every share of the
            # country.
            appointment__board_id__in=scope.staff_board_ids,
        )
    )
    overview = reverse("tasks:package-overview") + f"?jaar={year.start_year}"
    previous_overview = reverse("tasks:package-overview") + f"?jaar={previous.start_year}"
    package_url = url_pattern("tasks:package-detail")
    evaluation_url = url_pattern("tasks:package-evaluation")
    items = []
    for row in rows:
        who = f"{row['school__name']} · {ib_name(row, 'appointment__ib__')}"
        if row["lacks_agreed"]:
            items.append(
                Item(
                    kind="package-not-agreed",
                    title=_("No agreed task package"),
                    subject=f"{who} · {year.name}",
                    url=package_url(row["package_id"]) if row["package_id"] else overview,
                    due=year.start_date,
                    more_url=overview,
                    rank=40,
                )
            )
        if row["unevaluated_id"]:
            items.append(
                Item(
                    kind="evaluation-missing",
                    title=_("No year-end evaluation held yet"),
                    subject=f"{who} · {previous.name}",
                    url=evaluation_url(row["unevaluated_id"]),
                    since=previous.end_date + datetime.timedelta(days=1),
                    due=rs.record_until(previous),
                    more_url=previous_overview,
                    rank=30,
                )
            )
    return items
