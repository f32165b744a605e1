"""Views of the organisation: thin functions that fetch through ``for_user`` and call services.

Not yours means 404 (the object is fetched through the user's scope); yours to see but not to
change means 403.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count, FilteredRelation, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.names import Person, surname_key, surname_order
from core.versioning import UNCHECKED, Difference, StaleEdit, save_versioned_form, stale_notice

from .figures import school_norm_figures, sees_figures
from .forms import (
    AppointmentEndForm,
    AppointmentForm,
    BoardPolicyForm,
    PreferenceForm,
    SchoolFiguresForm,
    SchoolForm,
    share_formset,
)
from .models import (
    Appointment,
    AppointmentShare,
    Board,
    Membership,
    Partnership,
    Preference,
    Role,
    School,
    SchoolFigures,
    SchoolYear,
    display_name,
    get_scope,
    ib_fte_by_school,
)
from .norms import school_norms
from .services import (
    ShareInput,
    appointment_end,
    appointment_save,
    figures_save,
    fte_display,
    school_save,
)
from .todo import TodoList, has_providers, todo_list

User = get_user_model()

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def selected_start_year(request: HttpRequest) -> int:
    """The school year chosen with ?jaar=2026, the current one by default."""
    raw = request.GET.get("jaar", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return SchoolYear.current_start_year()


def reference_date(start_year: int) -> datetime.date:
    """The day on which 'appointed fte' is read: today in the current year, else 1 October."""
    today = timezone.localdate()
    if SchoolYear.start_year_for(today) == start_year:
        return today
    return datetime.date(start_year, 10, 1)


@dataclass(frozen=True)
class AppointmentSelection:
    """Which appointments the appointments page and its exports list: the current and future
    ones (by default), all of them (``?alle=1``), or those of one day of a school year
    (``?jaar=2024``: the day the board overview counts them on, ``reference_date``)."""

    show_all: bool = False
    start_year: int | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> AppointmentSelection:
        if request.GET.get("alle") == "1":
            return cls(show_all=True)
        if request.GET.get("jaar"):
            return cls(start_year=selected_start_year(request))
        return cls()

    @property
    def day(self) -> datetime.date | None:
        return None if self.start_year is None else reference_date(self.start_year)

    @property
    def year_name(self) -> str:
        return "" if self.start_year is None else SchoolYear(start_year=self.start_year).name

    @property
    def query(self) -> str:
        """The query string that keeps the choice (the export links)."""
        if self.show_all:
            return "?alle=1"
        return "" if self.start_year is None else f"?jaar={self.start_year}"

    def apply(self, appointments):
        if self.show_all:
            return appointments
        if self.day is not None:
            return appointments.active_on(self.day)
        return appointments.not_ended_on(timezone.localdate())


def year_choices(start_year: int) -> list[int]:
    current = SchoolYear.current_start_year()
    known = set(SchoolYear.objects.values_list("start_year", flat=True))
    return sorted(known | {current, current + 1, start_year}, reverse=True)


def require_board_manager(request: HttpRequest, board_id: int) -> None:
    if not get_scope(request.user).can_manage_board(board_id):
        raise PermissionDenied(_("Only board staff can change this."))


def board_for_admin(request: HttpRequest, pk: int, refusal: str) -> Board:
    """The board of a board administrator's page: 404 outside the user's scope, 403 with
    ``refusal`` for anyone in it who is not the board's administrator."""
    board = get_object_or_404(Board.objects.for_user(request.user), pk=pk)
    if board.pk not in get_scope(request.user).admin_board_ids:
        raise PermissionDenied(refusal)
    return board


def board_memberships(board: Board) -> Prefetch:
    """A person's roles at the board or at one of its schools, as ``board_memberships``."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(Q(board=board) | Q(school__board=board)).select_related(
            "school"
        ),
        to_attr="board_memberships",
    )


# What a page reads of a school's directors: their names (``table_tags.person``); the
# personnel rule compares ids.
DIRECTOR_MEMBERSHIP_FIELDS = ("school", "user__first_name", "user__last_name", "user__username")


def attach_directors(schools: list[School]) -> None:
    """``school.director_memberships`` on each of ``schools``, as ``with_directors`` gives it,
    in one query for them all (none without schools)."""
    if not schools:
        return
    by_school: dict[int, list[Membership]] = {school.pk: [] for school in schools}
    for membership in (
        Membership.objects.filter(role=Role.DIRECTOR, school_id__in=list(by_school))
        .select_related("user")
        .only(*DIRECTOR_MEMBERSHIP_FIELDS)
    ):
        by_school[membership.school_id].append(membership)
    for school in schools:
        school.director_memberships = list(by_school[school.pk])


SCHOOL_ROW_APPOINTMENT_FIELDS = (
    "lead_school",
    "ib__first_name",
    "ib__last_name",
    "ib__username",
    "board__min_ib_fte",
)


def school_rows(user, schools: list[School], start_year: int) -> list[dict]:
    """Per school: figures of the year, appointed IB fte and the IBs, in a fixed query count.

    Everything goes through ``user``'s scope: the IBs through ``Appointment.objects.for_user``
    (partnership staff see none, a director those at their schools, an IB their own), the fte
    through ``ib_fte_by_school`` (``None`` where the user may not read the school's figures,
    e.g. partnership staff and a board that does not share). At a school whose appointments
    the user reads all of (its director, its board's staff) the fte is summed from those.

    The directors of the listed schools and of the appointments' schools come in one query
    (``with_directors`` and ``with_details`` read the same rows twice): ``schools`` need not
    come with their directors.
    """
    school_ids = [school.pk for school in schools]
    day = reference_date(start_year)
    figures = {
        f.school_id: f
        for f in SchoolFigures.objects.for_user(user).filter(
            school_id__in=school_ids, school_year__start_year=start_year
        )
    }
    scope = get_scope(user)
    # Schools whose every appointment the user reads (the services keep an appointment's
    # shares at its board's schools): their fte is the sum of the shares read below.
    summed_here = {
        school.pk
        for school in schools
        if school.pk in scope.director_school_ids or school.board_id in scope.staff_board_ids
    }
    others = [pk for pk in school_ids if pk not in summed_here]
    fte = ib_fte_by_school(user, others, day) if others else {}
    # A subquery on the shares rather than a join: the join needs DISTINCT over the wide
    # appointment rows, which PostgreSQL spends more time planning than running.
    appointments = list(
        Appointment.objects.for_user(user)
        .filter(
            pk__in=AppointmentShare.objects.filter(school_id__in=school_ids).values(
                "appointment_id"
            )
        )
        .active_on(day)
        .select_related("ib", "board")
        # What the table reads (``table_tags.school_table_body``): the IB's name, the board's
        # minimum and the leading school's id (the personnel rule compares ids).
        .only(*SCHOOL_ROW_APPOINTMENT_FIELDS)
        .prefetch_related(
            Prefetch(
                "shares",
                queryset=AppointmentShare.objects.select_related("school").order_by(
                    "-fte", "school__name"
                ),
            )
        )
    )
    attach_directors(
        [school for school in schools if not hasattr(school, "director_memberships")]
        + [share.school for appointment in appointments for share in appointment.shares.all()]
    )
    ibs_by_school: dict[int, list[Appointment]] = {}
    for appointment in appointments:
        for share in appointment.share_list:
            ibs_by_school.setdefault(share.school_id, []).append((appointment, share))
            if share.school_id in summed_here:
                fte[share.school_id] = fte.get(share.school_id, Decimal("0")) + share.fte
    return [
        {
            "school": school,
            "figures": figures.get(school.pk),
            "fte": fte.get(school.pk),
            # Mirrors ib_fte_by_school in Python, to say "not shared" instead of a dash.
            "fte_hidden": not sees_figures(user, school),
            "ib_shares": ibs_by_school.get(school.pk, []),
        }
        for school in schools
    ]


# ---------------------------------------------------------------------------
# start pages
# ---------------------------------------------------------------------------


def start_page(scope) -> str | None:
    """Which page is the user's start page: the first role decides (see ``home``)."""
    if scope.is_board_staff:
        return "board"
    if scope.is_director:
        return "schools"
    if scope.is_ib:
        return "appointments"
    if scope.is_partnership_staff:
        return "partnership"
    return None


def start_page_todo(request: HttpRequest, page: str) -> TodoList | None:
    """What needs doing now, for the top of ``page`` when it is the user's start page."""
    user = request.user
    if start_page(get_scope(user)) != page or not has_providers(user):
        return None
    todo = todo_list(user)
    todo.digest_on = Preference.of(user).weekly_digest
    return todo


def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own start page."""
    scope = get_scope(request.user)
    page = start_page(scope)
    if page == "board":
        board = Board.objects.for_user(request.user).filter(id__in=scope.staff_board_ids).first()
        return redirect("schools:board-detail", pk=board.pk)
    if page == "schools":
        return redirect("schools:school-list")
    if page == "appointments":
        return redirect("schools:appointment-list")
    if page == "partnership":
        partnership = Partnership.objects.for_user(request.user).first()
        return redirect("schools:partnership-detail", pk=partnership.pk)
    return render(request, "schools/no_role.html")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The user's own settings: the weekly digest on or off. Only ever the user's own row."""
    preference = Preference.of(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned_form(form)
        except (StaleEdit, IntegrityError):  # IntegrityError: made in another tab meanwhile
            current = Preference.of(request.user)
            fresh = PreferenceForm(instance=current)
            stale = stale_notice(form, fresh, version=current.lock_version if current.pk else None)
        else:
            if form.instance.weekly_digest:
                messages.success(request, _("You will get the weekly e-mail."))
            else:
                messages.success(request, _("You will no longer get the weekly e-mail."))
            return redirect("schools:preferences")
    return render(
        request,
        "schools/preferences.html",
        {"form": form, "stale": stale},
        status=409 if stale else 200,
    )


# ---------------------------------------------------------------------------
# boards
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BelowMinimum:
    """An appointment of the board below its minimum fte, as the overview names it."""

    pk: int
    name: str
    fte: Decimal


@dataclass(frozen=True)
class BoardYear:
    """The board in one school year, as its overview sums it up: the schools with their
    pupil figures and appointed IB fte, and the board's IB appointments, those below the
    board's minimum by name. The tables themselves are the schools and appointments pages."""

    schools: int
    counted: int  # schools with pupil figures of the year
    grouped: int  # of those, with their number of groups (imported pupil counts may lack it)
    pupils: int
    groups: int  # the known ones
    fte: Decimal
    appointments: int
    below_minimum: list[BelowMinimum]


def board_year(user, board: Board, start_year: int, day: datetime.date) -> BoardYear:
    """``BoardYear`` in two queries whatever the board's size, and one more for the names of
    the appointments below the minimum when there are any. Everything goes through ``user``'s
    scope: the schools and their figures through ``School.objects.figures_for_user``, the
    appointments through ``Appointment.objects.for_user``. The board's IB fte is the sum of
    its appointments' (the services keep an appointment's shares at its board's schools)."""
    # Each school with its figures of the year, if any (one row per school: the figures are
    # unique per school and year).
    year = SchoolYear.objects.filter(start_year=start_year).values("pk")[:1]
    year_figures = FilteredRelation("figures", condition=Q(figures__school_year=Subquery(year)))
    sums = (
        School.objects.figures_for_user(user)
        .filter(board=board)
        .annotate(year_figures=year_figures)
        .aggregate(
            schools=Count("id"),
            counted=Count("year_figures__id"),
            grouped=Count("year_figures__groups"),
            pupils=Sum("year_figures__pupils"),
            groups=Sum("year_figures__groups"),
        )
    )
    total_fte = (
        AppointmentShare.objects.filter(appointment=OuterRef("pk"))
        .order_by()
        .values("appointment")
        .annotate(total=Sum("fte"))
        .values("total")
    )
    # Each appointment's fte only: the names of the few below the minimum come after (joining
    # every IB to the appointments read the whole user table).
    totals = list(
        Appointment.objects.for_user(user)
        .filter(board=board)
        .active_on(day)
        .annotate(total_fte=Coalesce(Subquery(total_fte), Decimal("0")))
        .order_by()
        .values_list("pk", "total_fte")
    )
    below = {pk: fte for pk, fte in totals if board.is_below_minimum(fte)}
    people = []
    if below:
        names = Appointment.objects.filter(pk__in=below).values_list(
            "pk", "ib__first_name", "ib__last_name", "ib__username"
        )
        people = [(Person(first, last, username), pk) for pk, first, last, username in names]
    people.sort(key=lambda found: (surname_key(found[0]), found[1]))
    return BoardYear(
        schools=sums["schools"],
        counted=sums["counted"],
        grouped=sums["grouped"],
        pupils=sums["pupils"] or 0,
        groups=sums["groups"] or 0,
        fte=sum((fte for _pk, fte in totals), Decimal("0")),
        appointments=len(totals),
        below_minimum=[
            BelowMinimum(pk=pk, name=display_name(person), fte=below[pk]) for person, pk in people
        ],
    )


def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The board overview, board staff's start page: what needs doing now, the year in
    figures (the schools and appointments pages hold the tables) and the board's policies."""
    board = get_object_or_404(Board.objects.for_user(request.user), pk=pk)
    scope = get_scope(request.user)
    if not scope.can_manage_board(board.pk):
        raise PermissionDenied(_("The board overview is for board staff."))
    start_year = selected_start_year(request)
    day = reference_date(start_year)
    return render(
        request,
        "schools/board_detail.html",
        {
            "board": board,
            "year": board_year(request.user, board, start_year, day),
            "start_year": start_year,
            "school_year_name": f"{start_year}-{start_year + 1}",
            "years": year_choices(start_year),
            "reference_date": day,
            "partnerships": board.partnerships.all(),
            "policy_norms": school_norms(board, pupils=None, groups=None),
            "todo": start_page_todo(request, "board"),
            "is_board_admin": board.pk in scope.admin_board_ids,
        },
    )


def moment_change_notices(
    before: dict[str, datetime.date], after: dict[str, datetime.date], today: datetime.date
) -> list[str]:
    """What a changed realisation moment means for the running school year, when the change
    crosses today: a moment brought forward into the past is due at once, one moved past
    today is no longer asked for until its new date. Realisation recorded stays."""
    names = {"mid": _("mid-year"), "end": _("year-end")}
    notices = []
    for key, name in names.items():
        old, new = before[key], after[key]
        if old == new:
            continue
        values = {"moment": name, "date": date_format(new, "j F Y")}
        if new <= today < old:
            notices.append(
                _(
                    "The %(moment)s moment of this school year is now %(date)s, a date that "
                    "has passed: IBs are asked to record their realisation from today."
                )
                % values
            )
        elif old <= today < new:
            notices.append(
                _(
                    "The %(moment)s moment of this school year moved to %(date)s: IBs who "
                    "have not recorded it yet are asked again from that date. What they "
                    "recorded stays."
                )
                % values
            )
    return notices


@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_object_or_404(Board.objects.for_user(request.user), pk=pk)
    require_board_manager(request, board.pk)
    moments_before = board.current_realisation_dates
    form = BoardPolicyForm(request.POST or None, instance=board)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned_form(form)
        except StaleEdit:
            board = Board.objects.get(pk=board.pk)
            fresh = BoardPolicyForm(instance=board)
            stale = stale_notice(form, fresh, version=board.lock_version)
        else:
            messages.success(request, _("The board's policies have been saved."))
            for notice in moment_change_notices(
                moments_before, board.current_realisation_dates, timezone.localdate()
            ):
                messages.warning(request, notice)
            return redirect("schools:board-detail", pk=board.pk)
    return render(
        request,
        "schools/board_form.html",
        {"board": board, "form": form, "stale": stale},
        status=409 if stale else 200,
    )


# ---------------------------------------------------------------------------
# schools
# ---------------------------------------------------------------------------


def only_partnership_staff(scope) -> bool:
    """Partnership staff without a board role: they never see IBs or appointments."""
    return scope.is_partnership_staff and not (
        scope.is_board_staff or scope.is_director or scope.is_ib
    )


def school_list(request: HttpRequest) -> HttpResponse:
    """The schools in the user's scope with their IBs: the director's start page."""
    start_year = selected_start_year(request)
    # Their directors come with the IBs' schools' (school_rows).
    schools = list(School.objects.for_user(request.user).select_related("board"))
    return render(
        request,
        "schools/school_list.html",
        {
            "rows": school_rows(request.user, schools, start_year),
            "people_hidden": only_partnership_staff(get_scope(request.user)),
            "start_year": start_year,
            "school_year_name": f"{start_year}-{start_year + 1}",
            "years": year_choices(start_year),
            "reference_date": reference_date(start_year),
            "todo": start_page_todo(request, "schools"),
        },
    )


def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(
        School.objects.for_user(request.user)
        .select_related("board", "partnership")
        .with_directors(),
        pk=pk,
    )
    scope = get_scope(request.user)
    appointments = (
        Appointment.objects.for_user(request.user)
        .filter(shares__school=school)
        .distinct()
        .with_details()
        .order_by("-start_date")
    )
    context = {
        "school": school,
        "figures": school.figures.select_related("school_year").order_by(
            "-school_year__start_year"
        ),
        "appointments": appointments,
        # Partnership staff see a school's figures, never its people's appointments.
        "appointments_hidden": only_partnership_staff(scope),
        "can_manage": scope.can_manage_board(school.board_id),
        "next_year": SchoolYear.current_start_year(),
        "today": timezone.localdate(),
    }
    if sees_figures(request.user, school):
        # The norm of the chosen year under the board's policy, beside the other norms.
        start_year = selected_start_year(request)
        day = reference_date(start_year)
        norm, partners = school_norm_figures(request.user, school, start_year, day)
        context.update(
            norm=norm,
            norm_partners=partners,
            start_year=start_year,
            school_year_name=f"{start_year}-{start_year + 1}",
            years=year_choices(start_year),
            reference_date=day,
        )
    return render(request, "schools/school_detail.html", context)


@require_http_methods(["GET", "POST"])
def school_create(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(Board.objects.for_user(request.user), pk=board_pk)
    require_board_manager(request, board.pk)
    form = SchoolForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        school = school_save(school=form.instance, directors=form.cleaned_data["directors"])
        messages.success(request, _("School %(school)s has been added.") % {"school": school})
        return redirect("schools:school-detail", pk=school.pk)
    return render(request, "schools/school_form.html", {"form": form, "board": board})


@require_http_methods(["GET", "POST"])
def school_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(School.objects.for_user(request.user), pk=pk)
    require_board_manager(request, school.board_id)
    form = SchoolForm(request.POST or None, instance=school, board=school.board)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            school_save(
                school=form.instance,
                directors=form.cleaned_data["directors"],
                lock_version=form.posted_version,
            )
        except StaleEdit:
            school = School.objects.select_related("board").get(pk=school.pk)
            fresh = SchoolForm(instance=school, board=school.board)
            stale = stale_notice(form, fresh, version=school.lock_version)
        else:
            messages.success(request, _("The school has been saved."))
            return redirect("schools:school-detail", pk=school.pk)
    return render(
        request,
        "schools/school_form.html",
        {"form": form, "board": school.board, "school": school, "stale": stale},
        status=409 if stale else 200,
    )


@require_http_methods(["GET", "POST"])
def figures_edit(request: HttpRequest, pk: int, start_year: int) -> HttpResponse:
    school = get_object_or_404(School.objects.for_user(request.user), pk=pk)
    require_board_manager(request, school.board_id)
    if not 2000 <= start_year <= 2100:
        raise Http404(_("That school year is out of range."))
    figures = SchoolFigures.objects.filter(school=school, school_year__start_year=start_year)
    form = SchoolFiguresForm(request.POST or None, instance=figures.first())
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            figures_save(
                school=school,
                start_year=start_year,
                pupils=form.cleaned_data["pupils"],
                groups=form.cleaned_data["groups"],
                teachers=form.cleaned_data["teachers"],
                lock_version=form.posted_version,
            )
        except StaleEdit:
            current = figures.first()
            fresh = SchoolFiguresForm(instance=current)
            version = current.lock_version if current else None
            stale = stale_notice(form, fresh, version=version)
        else:
            messages.success(request, _("The figures have been saved."))
            return redirect("schools:school-detail", pk=school.pk)
    return render(
        request,
        "schools/figures_form.html",
        {
            "form": form,
            "school": school,
            "school_year_name": f"{start_year}-{start_year + 1}",
            "count_date": datetime.date(start_year, 10, 1),
            "stale": stale,
        },
        status=409 if stale else 200,
    )


# ---------------------------------------------------------------------------
# appointments
# ---------------------------------------------------------------------------


def appointment_list(request: HttpRequest) -> HttpResponse:
    """Appointments in scope; for an IB their own: the IB's start page."""
    selection = AppointmentSelection.of(request)
    appointments = selection.apply(Appointment.objects.for_user(request.user).with_details())
    scope = get_scope(request.user)
    only_own = scope.is_ib and not (scope.is_board_staff or scope.is_director)
    manageable_boards = Board.objects.filter(id__in=scope.staff_board_ids)
    # An IB who is nothing else reads only their own appointments: one surname, so the
    # surname terms (a long CASE that took a sixth of the IB's start page to compile) order
    # nothing; the id orders appointments starting on the same day, as before at random.
    order = ("start_date", "id") if only_own else (*surname_order("ib__"), "start_date")
    appointments = list(appointments.order_by(*order))
    today = timezone.localdate()
    return render(
        request,
        "schools/appointment_list.html",
        {
            "appointments": appointments,
            "own_total_fte": sum(
                (
                    a.total_fte
                    for a in appointments
                    if a.ib_id == request.user.pk and a.is_active_on(today)
                ),
                Decimal("0"),
            ),
            "selection": selection,
            "only_own": only_own,
            "manageable_boards": manageable_boards,
            "todo": start_page_todo(request, "appointments"),
        },
    )


def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.for_user(request.user).with_details(), pk=pk
    )
    return render(
        request,
        "schools/appointment_detail.html",
        {
            "appointment": appointment,
            "can_manage": get_scope(request.user).can_manage_board(appointment.board_id),
        },
    )


def shares_text(shares: list[ShareInput]) -> str:
    """The shares in one line: "RKBS De Vlinder 0,5 fte; CBS De Zaaier 0,3 fte"."""
    ordered = sorted(shares, key=lambda share: (str(share.school), share.school.pk))
    return "; ".join(f"{share.school} {fte_display(share.fte)} fte" for share in ordered)


def _appointment_form_view(
    request: HttpRequest, *, board: Board, appointment: Appointment | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = AppointmentForm(data, instance=appointment, board=board)
    formset = share_formset(board=board, appointment=appointment, data=data)
    stale = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = appointment_save(
                appointment=form.instance,
                shares=formset.shares(),
                # A new appointment has no version to compare with.
                lock_version=form.posted_version if appointment else UNCHECKED,
            )
        except ValidationError as error:
            form.add_error(None, error)
        except StaleEdit:
            appointment = Appointment.objects.with_details().get(pk=appointment.pk)
            saved_shares = [ShareInput(s.school, s.fte) for s in appointment.share_list]
            shares = (saved_shares, formset.shares())
            extra = []
            if shares_text(shares[0]) != shares_text(shares[1]):
                extra.append(Difference(_("Shares per school"), *map(shares_text, shares)))
            fresh = AppointmentForm(instance=appointment, board=board)
            stale = stale_notice(form, fresh, version=appointment.lock_version, extra=extra)
        else:
            messages.success(request, _("The appointment has been saved."))
            return redirect("schools:appointment-detail", pk=saved.pk)
    return render(
        request,
        "schools/appointment_form.html",
        {
            "form": form,
            "formset": formset,
            "board": board,
            "appointment": appointment,
            "stale": stale,
        },
        status=409 if stale else 200,
    )


@require_http_methods(["GET", "POST"])
def appointment_create(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(Board.objects.for_user(request.user), pk=board_pk)
    require_board_manager(request, board.pk)
    return _appointment_form_view(request, board=board, appointment=None)


@require_http_methods(["GET", "POST"])
def appointment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.for_user(request.user).with_details(), pk=pk
    )
    require_board_manager(request, appointment.board_id)
    return _appointment_form_view(request, board=appointment.board, appointment=appointment)


@require_http_methods(["GET", "POST"])
def appointment_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.for_user(request.user).with_details(), pk=pk
    )
    require_board_manager(request, appointment.board_id)
    form = AppointmentEndForm(
        request.POST or None, initial={"end_date": appointment.end_date or timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment_end(appointment=appointment, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The appointment has been ended."))
            return redirect("schools:appointment-detail", pk=appointment.pk)
    return render(
        request, "schools/appointment_end.html", {"form": form, "appointment": appointment}
    )


# ---------------------------------------------------------------------------
# partnerships (read-only)
# ---------------------------------------------------------------------------


def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(Partnership.objects.for_user(request.user), pk=pk)
    boards = partnership.boards.prefetch_related(
        Prefetch(
            "schools",
            queryset=School.objects.filter(partnership=partnership).order_by("name"),
            to_attr="partnership_schools",
        )
    )
    return render(
        request,
        "schools/partnership_detail.html",
        {"partnership": partnership, "boards": boards},
    )
