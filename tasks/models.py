"""LBBO domains and task catalogues: the standard catalogue is code, each board keeps a copy.

Packages (the yearly tasks of one IB share) build on these and arrive with the package work.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models import Board, School, Scope, ScopedQuerySet, any_of, get_scope, if_any


class Domain(models.Model):
    """One of the three LBBO 2022 domains, each with its role."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100)
    description = models.TextField(_("description"))
    older_name = models.CharField(_("older name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("LBBO domain")
        verbose_name_plural = _("LBBO domains")

    def __str__(self) -> str:
        return self.name


def catalogue_board_condition(scope: Scope) -> Q | None:
    """Boards whose catalogue the user reads: their own as staff or IB, their schools' boards."""
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


def catalogue_boards(user) -> models.QuerySet[Board]:
    """The one entry point for a catalogue page's board (partnership staff: none)."""
    condition = catalogue_board_condition(get_scope(user))
    return Board.objects.none() if condition is None else Board.objects.filter(condition)


class CatalogueTaskQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        condition = catalogue_board_condition(scope)
        if condition is None:
            return None
        return Q(board_id__in=Board.objects.filter(condition).values("id"))

    def active(self) -> CatalogueTaskQuerySet:
        return self.filter(is_active=True)


class CatalogueTask(models.Model):
    """A task in a board's catalogue, copied from the standard catalogue or added by the board."""

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="catalogue_tasks"
    )
    standard_key = models.SlugField(
        _("standard task"),
        max_length=80,
        blank=True,
        help_text=_("The task of the standard catalogue this one was copied from."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    domain = models.ForeignKey(
        Domain, verbose_name=_("LBBO domain"), on_delete=models.PROTECT, related_name="tasks"
    )
    default_hours = models.DecimalField(
        _("default hours per year"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1659"))],
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_ib_task = models.BooleanField(
        _("IB task"),
        default=True,
        help_text=_("Untick for work that is not the IB's (role purity), and give the reason."),
    )
    not_ib_reason = models.TextField(_("why this is not IB work"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A task used in a package is deactivated, never deleted."),
    )

    objects = CatalogueTaskQuerySet.as_manager()

    class Meta:
        ordering = ["domain__order", "title"]
        verbose_name = _("catalogue task")
        verbose_name_plural = _("catalogue tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "standard_key"],
                condition=~Q(standard_key=""),
                name="catalogue_task_unique_standard_key",
            ),
            models.CheckConstraint(
                condition=Q(is_ib_task=True) | ~Q(not_ib_reason=""),
                name="catalogue_task_not_ib_needs_reason",
                violation_error_message=_("Say why this task is not IB work."),
            ),
        ]
        indexes = [models.Index(fields=["board", "is_active"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.is_ib_task and not self.not_ib_reason.strip():
            raise ValidationError({"not_ib_reason": _("Say why this task is not IB work.")})
        if self.is_ib_task:
            self.not_ib_reason = ""
