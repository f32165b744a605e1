"""The school's development points: who may do what, the services that save them, the form.

The director of the school and the board's staff keep the points (accepted as they save
them); an IB of the school proposes one, which the director accepts or declines. Every save
goes through the point's ``lock_version`` (``core.versioning``).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.versioning import ExpectedVersion, VersionedFormMixin, claim_version

from .models import AppointmentShare, DevelopmentPoint, School, SchoolYear, get_scope

Status = DevelopmentPoint.Status


# ---------------------------------------------------------------------------
# who may do what
# ---------------------------------------------------------------------------


def can_manage(school: School, user) -> bool:
    """The school's director and the board's staff keep the development points."""
    scope = get_scope(user)
    return school.pk in scope.director_school_ids or school.board_id in scope.staff_board_ids


def is_school_ib(school: School, user) -> bool:
    """An IB with a share at the school (past or present) proposes points."""
    return (
        get_scope(user).is_ib
        and AppointmentShare.objects.filter(school=school, appointment__ib_id=user.pk).exists()
    )


def can_change(point: DevelopmentPoint, user) -> bool:
    """Managers change any point; the IB who proposed one changes it until it is decided."""
    if can_manage(point.school, user):
        return True
    return point.status == Status.PROPOSED and point.proposed_by_id == user.pk


# ---------------------------------------------------------------------------
# services
# ---------------------------------------------------------------------------


@transaction.atomic
def development_point_save(
    *, point: DevelopmentPoint, actor, lock_version: ExpectedVersion
) -> DevelopmentPoint:
    """Save a new or changed point; a new one by an IB is a proposal."""
    school = point.school
    if point.pk is None:
        if can_manage(school, actor):
            point.status = Status.ACCEPTED
        elif is_school_ib(school, actor):
            point.status = Status.PROPOSED
            point.proposed_by = actor
        else:
            raise PermissionDenied(_("Only the director or the IB of the school adds points."))
    elif not can_change(point, actor):
        raise PermissionDenied(_("Only the director of the school changes this point."))
    claim_version(point if point.pk else None, lock_version)
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def development_point_decide(
    *, point: DevelopmentPoint, actor, lock_version: ExpectedVersion, accept: bool, note: str = ""
) -> DevelopmentPoint:
    """The director (or board staff) accepts or declines an IB's proposal."""
    if not can_manage(point.school, actor):
        raise PermissionDenied(_("Only the director of the school decides on a proposal."))
    claim_version(point, lock_version)
    if point.status != Status.PROPOSED:
        raise ValidationError(_("This point has been decided on already."))
    point.status = Status.ACCEPTED if accept else Status.DECLINED
    point.decision_note = note.strip()[:500]
    point.full_clean()
    point.save()
    return point


# ---------------------------------------------------------------------------
# the form
# ---------------------------------------------------------------------------


def year_options(*years: int | None) -> list[tuple[int, str]]:
    """School years to choose from: four back and four ahead, and any year already chosen."""
    current = SchoolYear.current_start_year()
    known = set(range(current - 4, current + 5)) | {year for year in years if year}
    return [(year, f"{year}-{year + 1}") for year in sorted(known)]


class DevelopmentPointForm(VersionedFormMixin, forms.ModelForm):
    start_year = forms.TypedChoiceField(label=gettext_lazy("From school year"), coerce=int)
    end_year = forms.TypedChoiceField(label=gettext_lazy("To school year"), coerce=int)

    class Meta:
        model = DevelopmentPoint
        fields = ["title", "source", "start_year", "end_year", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": gettext_lazy("What the school wants to improve, in a few words."),
            "description": gettext_lazy("Optional: what the source says, what is the aim."),
        }

    def __init__(self, *args, school: School, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.school = school
        options = year_options(self.instance.start_year, self.instance.end_year)
        self.fields["start_year"].choices = options
        self.fields["end_year"].choices = options
        if self.instance.pk is None and not self.is_bound:
            current = SchoolYear.current_start_year()
            self.initial.setdefault("start_year", current)
            self.initial.setdefault("end_year", current)


class DecisionForm(VersionedFormMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note on the decision (optional)"), max_length=500, required=False
    )
