"""The organisation: partnerships, boards, schools, school years, roles and IB appointments.

Every model that belongs to a board has a ``for_user(user)`` queryset method: the one scoping
entry point that views use. Anything outside it does not exist for that user (404).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import encryption
from core.validators import MaxValueValidator, MinValueValidator
from core.versioning import Versioned

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

ONE_FTE = Decimal("1.0")

brin_validator = RegexValidator(
    r"^[0-9]{2}[A-Z]{2}$",
    _("A BRIN number is two digits followed by two capital letters, e.g. 21AZ."),
)
location_code_validator = RegexValidator(
    r"^[0-9]{2}$", _("A location code is two digits, e.g. 00 or 01.")
)
board_number_validator = RegexValidator(
    r"^[0-9]{5}$", _("A bevoegd-gezag number is exactly five digits, e.g. 41234.")
)
day_month_validator = RegexValidator(
    r"^\s*[0-9]{1,2}\s*-\s*[0-9]{1,2}\s*$",
    _("Give a day and a month as day-month, e.g. 1-2 for 1 February."),
)


def tracked(*excluded: str) -> HistoricalRecords:
    """The history of a model that matters (who, when, old and new values): django-simple-history.

    ``lock_version`` is never recorded: a plain save sets it to an F() expression that only the
    database resolves (core.versioning), and it says nothing a person needs to read.
    """
    return HistoricalRecords(excluded_fields=["lock_version", *excluded])


def day_month(value: str) -> tuple[int, int] | None:
    """ "1-2" -> (1, 2): a day and month that exist in every year (not 29 February), or None."""
    try:
        day, month = (int(part) for part in value.split("-"))
        datetime.date(2001, month, day)  # not a leap year: 29-2 is refused
    except (ValueError, TypeError):
        return None
    return day, month


def date_in_school_year(value: str, start_year: int) -> datetime.date:
    """The date of a day-month ("1-2") in the school year that starts on 1 August of
    ``start_year``: August to December in that year, January to July in the next."""
    day, month = day_month(value) or (1, 8)
    return datetime.date(start_year if month >= 8 else start_year + 1, month, day)


salary_scales_validator = RegexValidator(
    r"^\s*[A-Za-z0-9]{1,10}(\s*,\s*[A-Za-z0-9]{1,10})*\s*$",
    _("Give the salary scale codes separated by commas, e.g. LB, LC, LD, 9, 10, 11."),
)


# ---------------------------------------------------------------------------
# Roles and the user's scope
# ---------------------------------------------------------------------------


class Role(models.TextChoices):
    BOARD_STAFF = "board_staff", _("Board staff")
    BOARD_ADMIN = "board_admin", _("Board administrator")
    DIRECTOR = "director", _("Director")
    IB = "ib", _("Intern begeleider")
    PARTNERSHIP_STAFF = "partnership_staff", _("Partnership staff")


BOARD_ROLES = (Role.BOARD_STAFF, Role.BOARD_ADMIN, Role.IB)


@dataclass(frozen=True)
class Scope:
    """What one user may see and change, read once per request from their memberships."""

    user_id: int | None
    staff_board_ids: frozenset[int] = frozenset()
    admin_board_ids: frozenset[int] = frozenset()
    director_school_ids: frozenset[int] = frozenset()
    ib_board_ids: frozenset[int] = frozenset()
    partnership_ids: frozenset[int] = frozenset()

    @property
    def is_board_staff(self) -> bool:
        return bool(self.staff_board_ids)

    @property
    def is_director(self) -> bool:
        return bool(self.director_school_ids)

    @property
    def is_ib(self) -> bool:
        return bool(self.ib_board_ids)

    @property
    def is_partnership_staff(self) -> bool:
        return bool(self.partnership_ids)

    @property
    def has_role(self) -> bool:
        return self.is_board_staff or self.is_director or self.is_ib or self.is_partnership_staff

    def can_manage_board(self, board_id: int) -> bool:
        """Board staff (and board administrators) change schools, policies and appointments."""
        return board_id in self.staff_board_ids


def get_scope(user: AnyUser) -> Scope:
    """The user's scope, cached on the user object so a request reads memberships once."""
    if not user.is_authenticated or not user.is_active:
        return Scope(user_id=None)
    cached = getattr(user, "_ib_scope", None)
    if cached is not None:
        return cached
    staff, admin, schools, ib, partnerships = set(), set(), set(), set(), set()
    rows = Membership.objects.filter(user=user).values_list(
        "role", "board_id", "school_id", "partnership_id"
    )
    for role, board_id, school_id, partnership_id in rows:
        if role in (Role.BOARD_STAFF, Role.BOARD_ADMIN):
            staff.add(board_id)
            if role == Role.BOARD_ADMIN:
                admin.add(board_id)
        elif role == Role.DIRECTOR:
            schools.add(school_id)
        elif role == Role.IB:
            ib.add(board_id)
        elif role == Role.PARTNERSHIP_STAFF:
            partnerships.add(partnership_id)
    scope = Scope(
        user_id=user.pk,
        staff_board_ids=frozenset(staff),
        admin_board_ids=frozenset(admin),
        director_school_ids=frozenset(schools),
        ib_board_ids=frozenset(ib),
        partnership_ids=frozenset(partnerships),
    )
    user._ib_scope = scope
    return scope


def any_of(*conditions: Q | None) -> Q | None:
    """OR the given conditions together; None when there are none (the user sees nothing)."""
    result: Q | None = None
    for condition in conditions:
        if condition is None:
            continue
        result = condition if result is None else result | condition
    return result


def if_any(ids: frozenset[int], condition: Q) -> Q | None:
    return condition if ids else None


def staff_board_condition(scope: Scope, board: str = "board_id") -> Q | None:
    """The rows of the boards the user is staff of; ``board`` is the lookup of a row's board."""
    return if_any(scope.staff_board_ids, Q(**{f"{board}__in": scope.staff_board_ids}))


class ScopedQuerySet(models.QuerySet):
    """A queryset whose ``for_user`` is the only way views reach its rows."""

    def scope_condition(self, scope: Scope) -> Q | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def for_scope(self, scope: Scope) -> models.QuerySet:
        if scope.user_id is None:
            return self.none()
        condition = self.scope_condition(scope)
        return self.none() if condition is None else self.filter(condition)

    def for_user(self, user: AnyUser) -> models.QuerySet:
        return self.for_scope(get_scope(user))


class BoardScopedQuerySet(ScopedQuerySet):
    """Rows of one IB (``ib``) at one board: the IB reads their own while they are an IB of
    any board, the board's staff those of their boards, ``other_readers`` whoever else.
    Another board's staff never: that is the tenant border."""

    board_lookup = "board_id"  # the path from a row to its board

    def other_readers(self, scope: Scope) -> Q | None:
        return None

    def scope_condition(self, scope: Scope) -> Q | None:
        return any_of(
            if_any(scope.ib_board_ids, Q(ib_id=scope.user_id)),
            staff_board_condition(scope, self.board_lookup),
            self.other_readers(scope),
        )


# ---------------------------------------------------------------------------
# Organisation
# ---------------------------------------------------------------------------


class PartnershipQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # Only partnership staff work in a partnership's pages; boards see their own data.
        return if_any(scope.partnership_ids, Q(id__in=scope.partnership_ids))


class Partnership(models.Model):
    """A samenwerkingsverband (SWV) passend onderwijs: a regional partnership of boards."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("The partnership's code, e.g. PO2503.")
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class BoardQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # The boards whose policies the user reads, and for partnership staff their boards.
        return any_of(
            policy_board_condition(scope),
            if_any(
                scope.partnership_ids,
                Q(
                    id__in=Board.partnerships.through.objects.filter(
                        partnership_id__in=scope.partnership_ids
                    ).values("board_id")
                ),
            ),
        )


class Board(Versioned):
    """A school board (bevoegd gezag) and its IB policies."""

    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(
        _("bevoegd-gezag number"),
        max_length=5,
        unique=True,
        validators=[board_number_validator],
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerships"), related_name="boards", blank=True
    )
    hours_per_fte = models.DecimalField(
        _("hours per fte per year"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("1659"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("2500"))],
        help_text=_("The normjaartaak of the CAO PO: 1659 hours for a full-time job."),
    )
    reserved_hours_per_fte = models.DecimalField(
        _("reserved hours per fte"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("500"))],
        help_text=_(
            "Hours per fte kept apart for professionalisation and sustainable employability "
            "(the CAO PO mentions about 83 + 40 hours). Shown as a separate line on every budget."
        ),
    )
    min_ib_fte = models.DecimalField(
        _("minimum IB appointment (fte)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.6"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(ONE_FTE)],
        help_text=_("Appointments below this size are allowed but flagged. Leave empty for none."),
    )
    salary_scales = models.CharField(
        _("salary scales"),
        max_length=200,
        default="LB, LC, LD",
        validators=[salary_scales_validator],
        help_text=_("The salary scale codes this board uses, separated by commas."),
    )

    # The two moments of the school year at which the IB records the hours realised so far
    # (tasks.realisation): day-month, read in the school year that runs from 1 August.
    realisation_mid_year = models.CharField(
        _("realisation moment mid-year"),
        max_length=5,
        default="1-2",
        validators=[day_month_validator],
        help_text=_(
            "Day-month in the school year (e.g. 1-2 for 1 February) from which the IB records "
            "the hours realised so far per task."
        ),
    )
    realisation_year_end = models.CharField(
        _("realisation moment year end"),
        max_length=5,
        default="1-7",
        validators=[day_month_validator],
        help_text=_(
            "Day-month (e.g. 1-7 for 1 July) from which the IB records the hours realised in "
            "the whole school year; it comes after the mid-year moment."
        ),
    )

    shares_with_partnership = models.BooleanField(
        _("share figures with the partnership"),
        default=False,
        help_text=_(
            "The partnership's staff then see this board's comparison of schools (IB fte, "
            "norms, hours per domain, package status), read-only, as the SWV asks boards to "
            "send their IB task packages."
        ),
    )

    # Formation norm: how much IB a school should have (see schools/norms.py).
    class NormKind(models.TextChoices):
        PUPILS = "pupils", _("Pupils: 1 fte per N pupils")
        GROUPS = "groups", _("Groups: H hours a week per group")
        LBBO = "lbbo", _("LBBO advice: hours a week per number of pupils")

    norm_kind = models.CharField(
        _("formation norm"), max_length=10, choices=NormKind.choices, default=NormKind.PUPILS
    )
    norm_pupils_per_fte = models.PositiveIntegerField(
        _("pupils per fte"),
        default=300,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text=_("KempenKind: about 1 fte per 300 pupils."),
    )
    norm_hours_per_group = models.DecimalField(
        _("hours a week per group"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("40"))],
        help_text=_("SWV Apeldoorn: 2 hours a week per group."),
    )
    norm_week_hours_per_fte = models.DecimalField(
        _("working hours a week per fte"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("40"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("60"))],
        help_text=_("Turns hours a week into fte (SWV Apeldoorn: 40)."),
    )
    norm_lbbo_hours = models.DecimalField(
        _("LBBO: hours a week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("25"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("60"))],
    )
    norm_lbbo_pupils = models.PositiveIntegerField(
        _("LBBO: per number of pupils"),
        default=200,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text=_("LBBO advice: at least 25 hours a week per 200 pupils."),
    )
    norm_multi_school_fte = models.DecimalField(
        _("fte for the schools of a multi-school director"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("5"))],
        help_text=_(
            "KempenKind: schools that share a multi-school director together get 1 fte, divided "
            "by their pupils. Leave empty to use the norm above for those schools too."
        ),
    )
    norm_multi_school_max_pupils = models.PositiveIntegerField(
        _("multi-school rule only for schools below (pupils)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text=_(
            "KempenKind gives 1 fte as an indication for small schools, next to about 300 "
            "pupils per fte: a school of a multi-school director with this many pupils or "
            "more gets the norm above, and is not counted in the schools that share the fte. "
            "Leave empty for every school of a multi-school director."
        ),
    )

    # How long the portal keeps a person's data after they left the board (schools.personal_data):
    # the PO sector's overview of retention periods keeps a personnel file 2 years after leaving.
    retention_years = models.PositiveSmallIntegerField(
        _("keep data of people who left (years)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "After this many years since their last appointment or role ended, the portal "
            "anonymises a person: names and e-mail are removed, the figures stay. The PO "
            "sector's retention overview keeps a personnel file 2 years after leaving."
        ),
    )

    objects = BoardQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["name"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self) -> str:
        return self.name

    def is_below_minimum(self, fte: Decimal) -> bool:
        """Whether an IB appointment of ``fte`` in all is below the board's minimum: allowed,
        but flagged on every page that shows it."""
        return self.min_ib_fte is not None and fte < self.min_ib_fte

    @property
    def salary_scale_codes(self) -> list[str]:
        return [code.strip() for code in self.salary_scales.split(",") if code.strip()]

    def clean(self) -> None:
        codes = self.salary_scale_codes
        if len(codes) != len(set(codes)):
            raise ValidationError({"salary_scales": _("A salary scale code occurs twice.")})
        self.salary_scales = ", ".join(codes)
        self.clean_realisation_moments()

    def clean_realisation_moments(self) -> None:
        errors, malformed = {}, False
        for name in ("realisation_mid_year", "realisation_year_end"):
            value = getattr(self, name) or ""
            if not day_month_validator.regex.fullmatch(value):
                malformed = True  # the field's own validator says how to write it
                continue
            parsed = day_month(value)
            if parsed is None:
                errors[name] = _("This day does not exist in every year; give e.g. 1-2.")
            else:
                setattr(self, name, f"{parsed[0]}-{parsed[1]}")
        if errors:
            raise ValidationError(errors)
        if malformed:
            return
        # Any school year will do: only the order within it matters.
        if date_in_school_year(self.realisation_mid_year, 2001) >= date_in_school_year(
            self.realisation_year_end, 2001
        ):
            raise ValidationError(
                {
                    "realisation_year_end": _(
                        "The year-end moment comes after the mid-year moment in the school "
                        "year (1 August to 31 July)."
                    )
                }
            )

    @property
    def current_realisation_dates(self) -> dict[str, datetime.date]:
        return self.realisation_dates(SchoolYear.current_start_year())

    def realisation_dates(self, start_year: int) -> dict[str, datetime.date]:
        """The board's two realisation moments in the school year of ``start_year``."""
        return {
            "mid": date_in_school_year(self.realisation_mid_year, start_year),
            "end": date_in_school_year(self.realisation_year_end, start_year),
        }


def figures_condition(scope: Scope) -> Q | None:
    """Whose schools' IB figures a scope reads (on top of seeing the school at all)."""
    return any_of(
        staff_board_condition(scope),
        if_any(scope.director_school_ids, Q(id__in=scope.director_school_ids)),
        if_any(scope.ib_board_ids, Q(board_id__in=scope.ib_board_ids)),
        if_any(
            scope.partnership_ids,
            Q(partnership_id__in=scope.partnership_ids, board__shares_with_partnership=True),
        ),
    )


class SchoolQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        return any_of(
            staff_board_condition(scope),
            if_any(scope.director_school_ids, Q(id__in=scope.director_school_ids)),
            if_any(scope.partnership_ids, Q(partnership_id__in=scope.partnership_ids)),
            if_any(
                scope.ib_board_ids,
                Q(
                    id__in=AppointmentShare.objects.filter(appointment__ib_id=scope.user_id).values(
                        "school_id"
                    )
                ),
            ),
        )

    def figures_for_user(self, user: AnyUser) -> SchoolQuerySet:
        """The schools in scope whose IB figures (appointed fte, norms) the user reads.

        The one entry point for IB fte: board staff, directors and IBs read the figures of the
        schools they see; partnership staff only of boards that share them with the
        partnership. Names of IBs are never a figure: they come through
        ``Appointment.objects.for_user``, which partnership staff do not get at all.
        """
        scope = get_scope(user)
        condition = figures_condition(scope)
        if condition is None:
            return self.none()
        return self.for_scope(scope).filter(condition)

    def with_directors(self) -> SchoolQuerySet:
        """Prefetch the directors into ``school.director_memberships`` (one query)."""
        return self.prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Role.DIRECTOR).select_related("user"),
                to_attr="director_memberships",
            )
        )


class School(Versioned):
    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.PROTECT, related_name="schools"
    )
    name = models.CharField(_("name"), max_length=200)
    brin = models.CharField(_("BRIN"), max_length=4, validators=[brin_validator])
    location_code = models.CharField(
        _("location code"),
        max_length=2,
        blank=True,
        validators=[location_code_validator],
        help_text=_("Two digits for a location (vestiging), e.g. 00; empty for the main school."),
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="schools",
        null=True,
        blank=True,
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.UniqueConstraint(
                fields=["brin", "location_code"],
                name="school_unique_brin_location",
                violation_error_message=_("A school with this BRIN and location code exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        """BRIN plus location code, e.g. 21AZ00."""
        return f"{self.brin}{self.location_code}"

    @property
    def directors(self) -> list:
        memberships = getattr(self, "director_memberships", None)
        if memberships is None:
            memberships = self.memberships.filter(role=Role.DIRECTOR).select_related("user")
        return [membership.user for membership in memberships]

    def clean(self) -> None:
        if self.brin:
            self.brin = self.brin.strip().upper()
        if self.partnership_id and self.board_id:
            board_partnerships = self.board.partnerships.values_list("id", flat=True)
            if self.partnership_id not in set(board_partnerships):
                raise ValidationError(
                    {
                        "partnership": _(
                            "The board of this school does not take part in this partnership."
                        )
                    }
                )


def policy_board_condition(scope: Scope) -> Q | None:
    """Boards whose policies (task catalogue, competency frameworks) the user reads: their own
    as staff or IB, their schools' boards as director; partnership staff none."""
    return any_of(
        if_any(
            scope.staff_board_ids | scope.ib_board_ids,
            Q(id__in=scope.staff_board_ids | scope.ib_board_ids),
        ),
        if_any(
            scope.director_school_ids,
            Q(id__in=School.objects.filter(id__in=scope.director_school_ids).values("board_id")),
        ),
    )


def policy_boards(user: AnyUser) -> models.QuerySet[Board]:
    """The one entry point for the board of a policy page (catalogue, frameworks, comparison)."""
    condition = policy_board_condition(get_scope(user))
    return Board.objects.none() if condition is None else Board.objects.filter(condition)


class SchoolYearQuerySet(models.QuerySet):
    def around(self, start_year: int) -> SchoolYearQuerySet:
        return self.filter(start_year__range=(start_year - 5, start_year + 1))


class SchoolYear(models.Model):
    """A school year, 1 August to 31 July, named like 2026-2027."""

    start_year = models.PositiveSmallIntegerField(
        _("start year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("school year")
        verbose_name_plural = _("school years")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.start_year, 8, 1)

    @property
    def end_date(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 7, 31)

    @property
    def count_date(self) -> datetime.date:
        """Pupils are counted on 1 October."""
        return datetime.date(self.start_year, 10, 1)

    @staticmethod
    def start_year_for(day: datetime.date) -> int:
        return day.year if day.month >= 8 else day.year - 1

    @classmethod
    def current_start_year(cls) -> int:
        return cls.start_year_for(timezone.localdate())


class SchoolFiguresQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        return Q(school__in=School.objects.for_scope(scope))


class SchoolFigures(Versioned):
    """Per school and school year: pupils on 1 October, the number of groups and of teachers.

    ``groups`` may be empty (unknown): DUO's pupil counts are imported without groups, and an
    import never invents a number. Forms for people still ask for pupils and groups.
    ``teachers`` (leerkrachten, people not fte) is optional: the task catalogue proposes hours
    per teacher and estimates the number from the groups when it is empty.
    """

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="figures"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT, related_name="figures"
    )
    pupils = models.PositiveIntegerField(
        _("pupils on 1 October"), validators=[MaxValueValidator(5000)]
    )
    groups = models.PositiveSmallIntegerField(
        _("number of groups"), validators=[MaxValueValidator(200)], null=True, blank=True
    )
    teachers = models.PositiveSmallIntegerField(
        _("number of teachers"),
        validators=[MaxValueValidator(500)],
        null=True,
        blank=True,
        help_text=_(
            "Teachers with a group, as people (not fte). Optional: without it, hours per teacher "
            "are estimated from the groups."
        ),
    )

    objects = SchoolFiguresQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["school_year__start_year"]
        verbose_name = _("school figures")
        verbose_name_plural = _("school figures")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="figures_unique_school_year",
                violation_error_message=_("This school already has figures for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"


# ---------------------------------------------------------------------------
# People and roles
# ---------------------------------------------------------------------------


class Membership(models.Model):
    """A user's role in one board, school or partnership. Roles are data, not groups."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    board = models.ForeignKey(
        Board,
        verbose_name=_("board"),
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
    )

    history = tracked()

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # Each role has exactly one kind of scope.
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=BOARD_ROLES,
                        board__isnull=False,
                        school__isnull=True,
                        partnership__isnull=True,
                    )
                    | Q(
                        role=Role.DIRECTOR,
                        board__isnull=True,
                        school__isnull=False,
                        partnership__isnull=True,
                    )
                    | Q(
                        role=Role.PARTNERSHIP_STAFF,
                        board__isnull=True,
                        school__isnull=True,
                        partnership__isnull=False,
                    )
                ),
                name="membership_scope_matches_role",
                violation_error_message=_(
                    "Board roles need a board, a director a school, partnership staff a "
                    "partnership; and only that."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "board"],
                condition=Q(board__isnull=False),
                name="membership_unique_board_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="membership_unique_school_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partnership"],
                condition=Q(partnership__isnull=False),
                name="membership_unique_partnership_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.scope_object}"

    @property
    def scope_object(self) -> Board | School | Partnership | None:
        return self.board or self.school or self.partnership

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.role in BOARD_ROLES:
            if not self.board_id:
                errors["board"] = _("This role needs a board.")
            self.school = None
            self.partnership = None
        elif self.role == Role.DIRECTOR:
            if not self.school_id:
                errors["school"] = _("A director needs a school.")
            self.board = None
            self.partnership = None
        elif self.role == Role.PARTNERSHIP_STAFF:
            if not self.partnership_id:
                errors["partnership"] = _("Partnership staff need a partnership.")
            self.board = None
            self.school = None
        if errors:
            raise ValidationError(errors)


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


# ---------------------------------------------------------------------------
# IB appointments
# ---------------------------------------------------------------------------


def overlap_condition(start: datetime.date, end: datetime.date | None, prefix: str = "") -> Q:
    """The appointment at ``prefix`` ("" on Appointment, "appointment__" from a share) shares
    at least one day with [start, end] (end None = open): the one rule behind ``active_on``,
    ``not_ended_on`` and ``overlapping``, also for a query that tests it on its own join to
    the appointment (PostgreSQL plans that join faster than a subquery over appointments)."""
    condition = Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": start})
    if end is not None:
        condition &= Q(**{f"{prefix}start_date__lte": end})
    return condition


class AppointmentQuerySet(BoardScopedQuerySet):
    def other_readers(self, scope: Scope) -> Q | None:
        # The directors of the schools the appointment has a share in.
        return if_any(
            scope.director_school_ids,
            Q(
                id__in=AppointmentShare.objects.filter(
                    school_id__in=scope.director_school_ids
                ).values("appointment_id")
            ),
        )

    def active_on(self, day: datetime.date) -> AppointmentQuerySet:
        return self.filter(overlap_condition(day, day))

    def not_ended_on(self, day: datetime.date) -> AppointmentQuerySet:
        """Current and future appointments."""
        return self.filter(overlap_condition(day, None))

    def overlapping(self, start: datetime.date, end: datetime.date | None) -> AppointmentQuerySet:
        """Appointments that share at least one day with [start, end] (end None = open)."""
        return self.filter(overlap_condition(start, end))

    def with_details(self) -> AppointmentQuerySet:
        """Everything a list of appointments shows, in a fixed number of queries."""
        return self.select_related("ib", "board", "lead_school").prefetch_related(
            models.Prefetch(
                "shares",
                queryset=AppointmentShare.objects.select_related("school").order_by(
                    "-fte", "school__name"
                ),
            ),
            models.Prefetch(
                "shares__school__memberships",
                queryset=Membership.objects.filter(role=Role.DIRECTOR).select_related("user"),
                to_attr="director_memberships",
            ),
        )


class Appointment(Versioned):
    """An IB appointment at one board, spread over one or more of its schools."""

    class Kind(models.TextChoices):
        FUNCTIE = "functie", _("Function (own job)")
        TAAK = "taak", _("Task (of a teacher)")

    ib = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intern begeleider"),
        on_delete=models.PROTECT,
        related_name="ib_appointments",
    )
    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FUNCTIE)
    # Empty only when an HR import had none to go by (schools/hr_import.py): the edit form asks
    # for one.
    salary_scale = models.CharField(_("salary scale"), max_length=10, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    lead_school = models.ForeignKey(
        School,
        verbose_name=_("leading school"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Only needed when several directors lead an equally large part of the appointment "
            "(shares summed per director): the director of the leading school is "
            "personnel-responsible."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AppointmentQuerySet.as_manager()
    # created_at and updated_at: the history records when by itself.
    history = tracked("created_at", "updated_at")

    class Meta:
        ordering = ["ib__last_name", "ib__first_name", "start_date"]
        verbose_name = _("IB appointment")
        verbose_name_plural = _("IB appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="appointment_end_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]
        indexes = [models.Index(fields=["ib", "start_date"])]

    def __str__(self) -> str:
        return f"{display_name(self.ib)} - {self.board} ({self.start_date:%d-%m-%Y})"

    # -- derived facts, computed from prefetched shares where available --------------------

    @cached_property
    def share_list(self) -> list[AppointmentShare]:
        return sorted(self.shares.all(), key=lambda share: (-share.fte, share.school.name))

    @property
    def total_fte(self) -> Decimal:
        return sum((share.fte for share in self.share_list), Decimal("0"))

    @property
    def is_below_minimum(self) -> bool:
        return self.board.is_below_minimum(self.total_fte)

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    @cached_property
    def personnel(self) -> PersonnelResponsibility:
        """Who is personnel-responsible and why (seed 000: summed per director's formation)."""
        return personnel_responsibility(
            [(share.school, share.fte, share.school.directors) for share in self.share_list],
            self.lead_school_id,
        )

    @property
    def personnel_directors(self) -> list:
        """The personnel-responsible director(s); empty while none or the board must choose."""
        return list(self.personnel.directors)

    # -- rules on the appointment itself -------------------------------------------------------

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            errors["end_date"] = _("The end date must be after the start date.")
        if self.board_id:
            codes = self.board.salary_scale_codes
            if self.salary_scale and self.salary_scale not in codes:
                errors["salary_scale"] = _(
                    "Salary scale %(scale)s is not on the board's list (%(codes)s)."
                ) % {"scale": self.salary_scale, "codes": ", ".join(codes)}
            if (
                self.ib_id
                and not Membership.objects.filter(
                    user_id=self.ib_id, role=Role.IB, board_id=self.board_id
                ).exists()
            ):
                errors["ib"] = _("This person is not registered as an IB of this board.")
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class DirectorFormation:
    """The schools of one appointment that one director (or co-directors) lead, summed."""

    directors: tuple
    schools: tuple
    fte: Decimal


@dataclass(frozen=True)
class PersonnelResponsibility:
    """The outcome of seed 000's rule for one appointment, with the reasoning behind it.

    ``status``: "largest" (one formation has the largest sum), "chosen" (a tie the board
    settled with the leading school), "tie" (a tie still to choose), "no_director" (no school
    of the appointment has a director) or "no_shares".
    """

    status: str
    formations: tuple[DirectorFormation, ...] = ()
    unled: tuple = ()  # (school, fte) of schools without a director
    result: DirectorFormation | None = None
    tied: tuple[DirectorFormation, ...] = ()

    @property
    def directors(self) -> tuple:
        return self.result.directors if self.result else ()

    @property
    def to_choose(self) -> bool:
        return self.status == "tie"


@dataclass(frozen=True)
class KnownById:
    """A school or a director known only by id, for ``personnel_responsibility`` where it only
    has to say whether formations tie (it compares ids; the names only order the outcome):
    cheaper than a model instance per row, which cost the board's to-do more than the rule."""

    pk: int

    def get_full_name(self) -> str:
        return ""

    def get_username(self) -> str:
        return ""


def personnel_responsibility(
    shares: list[tuple[School, Decimal, list]], lead_school_id: int | None
) -> PersonnelResponsibility:
    """Seed 000: the director "binnen wiens formatie" the largest part of the appointment falls.

    Shares are summed per director over every school of the appointment that director leads,
    not per school. Co-directors of exactly the same schools form one formation (and share
    the responsibility, as before). A tie between formations needs the board's choice: the
    leading school, whose formation among the tied ones is then responsible.
    """
    if not shares:
        return PersonnelResponsibility(status="no_shares")
    schools_of: dict[int, list] = {}
    users: dict[int, object] = {}
    unled = []
    for school, fte, directors in shares:
        if not directors:
            unled.append((school, fte))
        for director in directors:
            users[director.pk] = director
            schools_of.setdefault(director.pk, []).append((school, fte))
    grouped: dict[tuple[int, ...], list] = {}
    for user_pk, led in schools_of.items():
        grouped.setdefault(tuple(sorted(school.pk for school, _fte in led)), []).append(user_pk)
    formations = []
    for user_pks in grouped.values():
        led = schools_of[user_pks[0]]
        directors = sorted((users[pk] for pk in user_pks), key=lambda u: (display_name(u), u.pk))
        formations.append(
            DirectorFormation(
                directors=tuple(directors),
                schools=tuple(school for school, _fte in led),
                fte=sum((fte for _school, fte in led), Decimal("0")),
            )
        )
    formations.sort(key=lambda row: (-row.fte, display_name(row.directors[0])))
    if not formations:
        return PersonnelResponsibility(status="no_director", unled=tuple(unled))
    tied = tuple(row for row in formations if row.fte == formations[0].fte)
    common = {"formations": tuple(formations), "unled": tuple(unled), "tied": tied}
    if len(tied) == 1:
        return PersonnelResponsibility(status="largest", result=tied[0], **common)
    chosen = [row for row in tied if lead_school_id in {school.pk for school in row.schools}]
    if len(chosen) == 1:
        return PersonnelResponsibility(status="chosen", result=chosen[0], **common)
    return PersonnelResponsibility(status="tie", **common)


class AppointmentShareQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        return Q(appointment__in=Appointment.objects.for_scope(scope))


class AppointmentShare(models.Model):
    """The part of an appointment worked at one school."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("appointment"), on_delete=models.CASCADE, related_name="shares"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="ib_shares"
    )
    fte = models.DecimalField(
        _("fte"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(ONE_FTE)],
    )

    objects = AppointmentShareQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["-fte", "school__name"]
        verbose_name = _("appointment share")
        verbose_name_plural = _("appointment shares")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "school"],
                name="share_unique_school",
                violation_error_message=_("A school can have only one share in an appointment."),
            ),
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1),
                name="share_fte_between_0_and_1",
                violation_error_message=_("A share is more than 0 and at most 1 fte."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.fte} fte"


def ib_fte_by_school(
    user: AnyUser, school_ids: list[int], day: datetime.date
) -> dict[int, Decimal]:
    """Appointed IB fte per school on a day, summed in SQL, for the schools among
    ``school_ids`` whose figures ``user`` reads (``School.objects.figures_for_user``); the
    others are left out, so a page shows no number rather than one it may not show."""
    rows = (
        AppointmentShare.objects.filter(
            school__in=School.objects.figures_for_user(user).filter(id__in=school_ids)
        )
        .filter(overlap_condition(day, day, "appointment__"))
        .values("school_id")
        .annotate(total=Sum("fte"))
    )
    return {row["school_id"]: row["total"] for row in rows}


# ---------------------------------------------------------------------------
# Imports of DUO open data (see schools/imports.py)
# ---------------------------------------------------------------------------


class ImportBatchQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # Only the board's own staff: directors, IBs and partnerships never see imports. A
        # staff file from HR (names, e-mail addresses) only the board's administrators.
        return if_any(
            scope.staff_board_ids,
            Q(board_id__in=scope.staff_board_ids)
            & (~Q(kind=ImportBatch.Kind.STAFF) | Q(board_id__in=scope.admin_board_ids)),
        )


class ImportBatch(models.Model):
    """One uploaded file: its parsed rows and the previewed actions, until it is committed.

    Everything lives in the database (no files, no process memory), so the preview and the
    commit may be served by different processes.
    """

    class Kind(models.TextChoices):
        LOCATIONS = "vestigingen", _("School locations (DUO)")
        PUPILS = "leerlingen", _("Pupils per location (DUO)")
        GROUPS = "groepen", _("Groups per school (CSV)")
        STAFF = "personeel", _("Staff and appointments (HR)")

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="import_batches"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    kind = models.CharField(_("kind of file"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows = models.JSONField(_("parsed rows"), default=list)
    actions = models.JSONField(_("actions"), default=list)
    # The layout recognised, the school year and where it came from, rows read and kept, and
    # the rows of other schools that were only counted (see schools.imports.read_upload).
    summary = models.JSONField(_("about the file"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["board", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def is_committed(self) -> bool:
        return self.committed_at is not None


class HrRecordQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        return if_any(scope.admin_board_ids, Q(board_id__in=scope.admin_board_ids))


class HrRecord(models.Model):
    """A person as the board's HR system knows them: the personnel number that makes a new
    HR import update this person instead of adding a second one (see schools/hr_import.py).

    ``ended_on`` is set when an import ends the person (gone from a full export, or an end
    date that has passed); the person and their history stay.
    """

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="hr_records"
    )
    personnel_number = models.CharField(_("personnel number"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="hr_records",
    )
    function = models.CharField(_("function"), max_length=100, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    objects = HrRecordQuerySet.as_manager()
    history = tracked("imported_at")

    class Meta:
        ordering = ["board", "personnel_number"]
        verbose_name = _("HR record")
        verbose_name_plural = _("HR records")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "personnel_number"], name="hr_record_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board}: {self.personnel_number}"


INVITATION_DAYS = 14


class InvitationQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        return if_any(scope.admin_board_ids, Q(board_id__in=scope.admin_board_ids))


class Invitation(models.Model):
    """An e-mail with a one-time link to set a password or to sign in with the school's
    account (see schools/invitations.py). Sending it again moves ``sent_at`` on, which makes
    the earlier link invalid."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["user", "board"], name="invitation_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.board})"

    @property
    def expires_at(self) -> datetime.datetime:
        return self.sent_at + datetime.timedelta(days=INVITATION_DAYS)

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if timezone.now() > self.expires_at:
            return self.Status.EXPIRED
        return self.Status.SENT

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


# ---------------------------------------------------------------------------
# A user's own settings
# ---------------------------------------------------------------------------


class PreferenceQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # Only the user's own: nobody else reads or changes them.
        return Q(user_id=scope.user_id)


class Preference(Versioned):
    """A user's own settings; a user without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="preference",
    )
    weekly_digest = models.BooleanField(
        _("weekly e-mail with what needs doing"),
        default=True,
        help_text=_("Once a week, only when something waits for you: the list of your start page."),
    )
    # Set by manage.py send_digest: a second run in the same week sends nothing again.
    digest_sent_at = models.DateTimeField(_("digest last sent"), null=True, blank=True)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user_id}"

    @classmethod
    def of(cls, user) -> Preference:
        """The user's settings as saved, or the defaults (unsaved) when there are none."""
        return cls.objects.for_user(user).first() or cls(user=user)


# ---------------------------------------------------------------------------
# The school's development points (ontwikkelpunten)
# ---------------------------------------------------------------------------


def development_condition(scope: Scope, school: str = "school__") -> Q | None:
    """Who reads a school's development points: its board's staff, its directors and the IBs
    who work there. Partnership staff do not: they are the school's own policy. ``school``
    is the path to the school ("" on School itself)."""
    own_schools = AppointmentShare.objects.filter(appointment__ib_id=scope.user_id)
    return any_of(
        staff_board_condition(scope, f"{school}board_id"),
        if_any(scope.director_school_ids, Q(**{f"{school}id__in": scope.director_school_ids})),
        if_any(scope.ib_board_ids, Q(**{f"{school}id__in": own_schools.values("school_id")})),
    )


class DevelopmentPointQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        return development_condition(scope)

    def usable(self) -> DevelopmentPointQuerySet:
        """Points a werkplan goal can be tied to: not declined."""
        return self.exclude(status=DevelopmentPoint.Status.DECLINED)

    def in_year(self, start_year: int) -> DevelopmentPointQuerySet:
        return self.filter(start_year__lte=start_year, end_year__gte=start_year)


class DevelopmentPoint(Versioned):
    """What a school means to improve over one or more school years, and where it comes from.

    The school's director (and the board's staff) keep them; an IB of the school can propose
    one, which the director accepts or declines. A werkplan goal of the IB refers to one.
    """

    class Source(models.TextChoices):
        SCHOOL_PLAN = "schoolplan", _("School plan")
        YEAR_PLAN = "jaarplan", _("Year plan")
        INSPECTION = "inspectie", _("Inspection report")
        RESULTS = "evaluatie", _("Evaluation of the results")
        PARTNERSHIP = "swv", _("Partnership")
        BOARD = "bestuur", _("Board")

    class Status(models.TextChoices):
        PROPOSED = "voorgesteld", _("Proposed by the IB")
        ACCEPTED = "vastgesteld", _("Accepted")
        DECLINED = "afgewezen", _("Declined")

    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="development_points",
    )
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    start_year = models.PositiveSmallIntegerField(
        _("from school year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("to school year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACCEPTED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.CharField(_("note on the decision"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DevelopmentPointQuerySet.as_manager()

    class Meta:
        ordering = ["-end_year", "start_year", "title", "id"]
        verbose_name = _("development point")
        verbose_name_plural = _("development points")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="development_point_period_in_order",
                violation_error_message=_("The last school year cannot come before the first."),
            ),
        ]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        """ "2026-2027" or "2026-2027 to 2029-2030"."""
        first = f"{self.start_year}-{self.start_year + 1}"
        if self.end_year == self.start_year:
            return first
        return _("%(first)s to %(last)s") % {
            "first": first,
            "last": f"{self.end_year}-{self.end_year + 1}",
        }

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": _("The last school year cannot come before the first.")}
            )


# ---------------------------------------------------------------------------
# Security events (see schools/security_events.py)
# ---------------------------------------------------------------------------


class SecurityEventQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # Only board administrators, and only the events of their board's own people: anyone
        # with a role at the board or at one of its schools.
        if not scope.admin_board_ids:
            return None
        return Q(user_id__in=board_people(scope.admin_board_ids))


def board_people(board_ids) -> models.QuerySet:
    """The ids of the users with a role at these boards or at one of their schools."""
    return Membership.objects.filter(
        Q(board_id__in=board_ids) | Q(school__board_id__in=board_ids)
    ).values("user_id")


class SecurityEvent(models.Model):
    """A sign-in, a failed sign-in, an export or an import: who, when, what, from where.

    Retention: events are kept for ``SECURITY_EVENT_DAYS`` (365) days; ``manage.py
    prune_security_events`` (daily, from cron) deletes older ones, and a person's events go
    with their account. ``network`` is the client's address with its last part cut off
    (IPv4 /24, IPv6 /48): enough to tell an office from abroad, not enough to name a machine.
    ``detail`` names the file or object by name or id only, never a person.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        # The password was right, the authenticator app's code was not: no sign-in.
        TWO_FACTOR_FAILED = "two_factor_failed", _("Failed sign-in: wrong two-factor code")
        TWO_FACTOR_ON = "two_factor_on", _("Two-factor sign-in turned on")
        TWO_FACTOR_OFF = "two_factor_off", _("Two-factor sign-in turned off")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    network = models.CharField(_("from (network)"), max_length=50, blank=True)
    detail = models.CharField(_("what"), max_length=200, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def detail_text(self) -> str:
        """The detail in the reader's language: ``detail`` holds a key of ``DETAILS``, a key
        and a value ("task_letter:12", an id or a code), or a file's name (shown as it is)."""
        key, _colon, value = self.detail.partition(":")
        if self.detail.startswith("task division "):  # stored in English before its key
            key, value = "task_division", self.detail.removeprefix("task division ")
        text = SECURITY_EVENT_DETAILS.get(key)
        if text is None:
            return SECURITY_EVENT_DETAILS.get(self.detail, self.detail)
        if key == "sso_refused":
            value = str(SSO_REFUSALS.get(value, value))
        return str(text) % {"value": value}


# What the sign-in and export views store in ``SecurityEvent.detail`` (ids and codes only).
SECURITY_EVENT_DETAILS = {
    "school_account": _("with the school account"),
    "two_factor": _("with password and two-factor code"),
    "recovery_code": _("with password and a recovery code"),
    "sso_required": _("password refused: the board requires the school account"),
    "sso_refused": _("school account refused: %(value)s"),
    "own_data": _("own personal data (%(value)s)"),
    "task_letter": _("task letter of package %(value)s"),
    "copy_letter": _("copy of the task letter of package %(value)s"),
    "task_division": _("task division %(value)s"),
    # Written in English before the keys above; still shown in the reader's language.
    "school account": _("with the school account"),
    "wrong two-factor code": _("wrong two-factor code"),
    "two-factor sign-in turned on": _("two-factor sign-in turned on"),
    "password refused: the board requires the school account": _(
        "password refused: the board requires the school account"
    ),
}
SSO_REFUSALS = {
    "state": _("the sign-in was not started here or took too long"),
    "provider_error": _("the school's sign-in service reported an error"),
    "unavailable": _("the school's sign-in service could not be reached"),
    "audience": _("the token was meant for another application"),
    "expired": _("the token has expired"),
    "issuer": _("the token came from another issuer"),
    "token": _("the token was refused"),
    "unverified_email": _("the e-mail address is not verified"),
    "unknown_email": _("no account with this e-mail address"),
    "ambiguous": _("several accounts with this e-mail address"),
    "secret": _("the stored client secret cannot be decrypted (key changed)"),
    "locked_out": _("too many failed sign-ins from this network; blocked for a while"),
}


# ---------------------------------------------------------------------------
# Sign-in with the school's account (OpenID Connect)
# ---------------------------------------------------------------------------


def sso_issuer_validator(value: str) -> None:
    """HTTPS, except on this machine (the test suite's provider, a developer's own)."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    local = parts.hostname in {"localhost", "127.0.0.1", "::1"}
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValidationError(_("The issuer must be an https:// address."))
    if parts.query or parts.fragment:
        raise ValidationError(_("The issuer has no query or fragment (?, #)."))


class SingleSignOnQuerySet(models.QuerySet):
    def enabled(self) -> models.QuerySet:
        return self.filter(enabled=True)

    def required_for(self, user: AnyUser) -> models.QuerySet:
        """The enabled configurations that require SSO of one of the user's boards (through a
        board role or a school's director role)."""
        board_ids = Membership.objects.filter(user_id=user.pk).values_list(
            "board_id", "school__board_id"
        )
        ids = {board for pair in board_ids for board in pair if board is not None}
        return self.filter(enabled=True, required=True, board_id__in=ids)


class SingleSignOn(models.Model):
    """A board's OpenID Connect provider: the button "sign in with the school's account".

    The user is matched by verified e-mail address to an existing, active account; the sign-in
    never creates an account or a role. ``required``: the board's users (board roles and the
    directors of its schools) cannot sign in with a password (superusers still can).
    The client secret is stored encrypted (``client_secret_encrypted``, core/encryption.py): the
    database, backups and exports hold only the token; ``client_secret`` reads and writes the
    clear text (also as a keyword of the constructor). It is never shown back in a form.
    """

    class Kind(models.TextChoices):
        ENTRA = "entra", _("Microsoft Entra ID")
        GOOGLE = "google", _("Google Workspace")
        OIDC = "oidc", _("Other OpenID Connect provider")

    board = models.ForeignKey(
        Board,
        verbose_name=_("board"),
        on_delete=models.CASCADE,
        related_name="single_sign_ons",
    )
    kind = models.CharField(_("sign-in service"), max_length=10, choices=Kind.choices)
    label = models.CharField(
        _("button text"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty for “Sign in with the school account of <board>”."),
    )
    # A CharField with the URL check: no form guesses a scheme for a URL typed without one.
    issuer = models.CharField(
        _("issuer"),
        max_length=300,
        validators=[URLValidator(schemes=["https", "http"]), sso_issuer_validator],
        help_text=_(
            "The issuer as the provider names it; its discovery document is read from "
            "<issuer>/.well-known/openid-configuration. Microsoft Entra ID: "
            "https://login.microsoftonline.com/<tenant id>/v2.0; Google Workspace: "
            "https://accounts.google.com."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret_encrypted = models.TextField(_("client secret (encrypted)"), editable=False)
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("Show the button on the login page.")
    )
    required = models.BooleanField(
        _("required for the board's users"),
        default=False,
        help_text=_(
            "The board's staff, IB'ers and directors can no longer sign in with a password; "
            "only with the school account."
        ),
    )

    objects = SingleSignOnQuerySet.as_manager()

    class Meta:
        ordering = ["board__name", "id"]
        verbose_name = _("sign-in with the school account")
        verbose_name_plural = _("sign-ins with the school account")

    def __str__(self) -> str:
        return self.button_text

    @property
    def client_secret(self) -> str:
        """The clear text; ``core.encryption.InvalidToken`` when no configured key opens it."""
        if not self.client_secret_encrypted:
            return ""
        return encryption.decrypt(self.client_secret_encrypted)

    @client_secret.setter
    def client_secret(self, value: str) -> None:
        self.client_secret_encrypted = encryption.encrypt(value) if value else ""

    @property
    def button_text(self) -> str:
        from django.utils.translation import gettext

        return self.label or gettext("Sign in with the school account of %(board)s") % {
            "board": self.board.name
        }

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


# The person's own reserved hours per appointment live in their own module; importing it
# registers the model here.
from .own_hours import OwnHours  # noqa: E402, F401
