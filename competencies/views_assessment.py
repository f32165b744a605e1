"""Self-assessment pages: the IB's rounds and trend, one round, the director's shared list.

Thin functions in the style of ``schools.views``: fetch through ``for_user`` (an unshared
round does not exist for anyone but its IB: 404), refuse a role that sees but may not act
(403), bind a form, call a service from ``rounds``, redirect with a message. A refused form
re-renders the round page with the input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.versioning import StaleEdit, StaleNotice, stale_notice
from schools.models import Board, display_name, get_scope

from . import rounds
from .assessment_forms import CellLevelsForm, ConversationForm, DirectorViewsForm, RatingsForm
from .grid import cell_grid, spread
from .models import AssessmentRound, Framework

# ---------------------------------------------------------------------------
# fetching and page data
# ---------------------------------------------------------------------------


def get_round(request: HttpRequest, pk: int) -> AssessmentRound:
    return get_object_or_404(
        AssessmentRound.objects.for_user(request.user).select_related(
            "framework", "board", "ib", "shared_with"
        ),
        pk=pk,
    )


def round_page(
    request: HttpRequest,
    round_: AssessmentRound,
    *,
    ratings_form: RatingsForm | None = None,
    views_form: DirectorViewsForm | None = None,
    conversation_form: ConversationForm | None = None,
    stale: StaleNotice | None = None,
    status: int = 200,
) -> HttpResponse:
    """The round page; the bound form that failed is passed in, the others start fresh.

    Queries: cells (with row, column), levels, ratings, director views, conversations: a fixed
    number whatever the size of the framework.
    """
    user = request.user
    framework = round_.framework
    cells = list(framework.cells.select_related("row", "column"))
    levels = list(framework.levels.all())
    ratings = {rating.cell_id: rating for rating in round_.ratings.select_related("level")}
    # Views stay stored when sharing is withdrawn: show only those of the current director.
    views = {}
    if round_.shared_with_id:
        current = round_.director_views.filter(author_id=round_.shared_with_id)
        views = {view.cell_id: view for view in current.select_related("level")}
    conversations = []
    if round_.shared_with_id:
        conversations = list(round_.conversations.select_related("recorded_by"))

    can_fill_in = rounds.can_fill_in(round_, user)
    can_add_view = rounds.can_add_view(round_, user)
    if can_fill_in and ratings_form is None:
        ratings_form = RatingsForm(
            cells=cells,
            levels=levels,
            initial_by_cell={pk: (r.level, r.evidence) for pk, r in ratings.items()},
            version=round_.lock_version,
        )
    if can_add_view and views_form is None:
        views_form = DirectorViewsForm(
            cells=cells,
            levels=levels,
            initial_by_cell={pk: (v.level, v.note) for pk, v in views.items()},
            version=round_.lock_version,
        )
    can_converse = rounds.can_record_conversation(round_, user)
    if can_converse and conversation_form is None:
        conversation_form = ConversationForm()
    form = ratings_form if can_fill_in else views_form if can_add_view else None

    entries = {}
    for cell in cells:
        rating, view = ratings.get(cell.pk), views.get(cell.pk)
        ib_level = rating.level if rating else None
        director_level = view.level if view else None
        entries[cell.pk] = {
            "cell": cell,
            "rating": rating,
            "view": view,
            "ib_level": ib_level,
            "director_level": director_level,
            # A view is stored for every cell the form posts; only a level the director
            # gave can differ from the IB's.
            "differs": director_level is not None and ib_level != director_level,
            "level_field": form[f"level_{cell.pk}"] if form else None,
            "text_field": form[f"text_{cell.pk}"] if form else None,
        }
    columns, grid = cell_grid(cells, lambda cell: entries[cell.pk])
    grid_rows = [
        {"row": grid_row.row, "positions": [position(items) for items in grid_row.positions]}
        for grid_row in grid
    ]
    return render(
        request,
        "competencies/round_detail.html",
        {
            "round": round_,
            "framework": framework,
            "is_matrix": framework.kind == Framework.Kind.MATRIX,
            "columns": [column for column in columns if column],
            "grid_rows": grid_rows,
            "entries": [entries[c.pk] for c in cells],
            "form": form,
            "can_fill_in": can_fill_in,
            "can_add_view": can_add_view,
            "is_ib": round_.ib_id == user.pk,
            "shows_views": bool(round_.shared_with_id),
            # Differences are counted once the director has given a level (the form stores a
            # view, maybe empty, for every cell).
            "has_views": any(view.level_id for view in views.values()),
            "differences": sum(1 for e in entries.values() if e["differs"]),
            "conversations": conversations,
            "conversation_form": conversation_form if can_converse else None,
            "stale": stale,
        },
        status=status,
    )


def position(entries: list[dict]) -> dict | None:
    """One role in a context (or one competency): its indicators' entries and, when it has
    several, how the IB's levels (and the director's) are spread over them."""
    if not entries:
        return None
    several = len(entries) > 1
    return {
        "entries": entries,
        "differs": any(entry["differs"] for entry in entries),
        "column": entries[0]["cell"].column,
        "ib_spread": spread(e["ib_level"] for e in entries) if several else [],
        "director_spread": (
            spread(e["director_level"] for e in entries if e["view"]) if several else []
        ),
    }


def cells_stale_notice(
    form: CellLevelsForm, round_: AssessmentRound, saved: dict[int, tuple]
) -> StaleNotice:
    """The cells as saved now (``saved``: cell id -> (level, text)) against the input."""
    current = type(form)(
        cells=form.cells, levels=list(form.levels_by_id.values()), initial_by_cell=saved
    )
    return stale_notice(form, current, version=round_.lock_version, label=form.difference_label)


def add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# ---------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    """The IB's rounds, the frameworks to start a round on, and the trend per framework."""
    my_rounds = AssessmentRound.objects.filter(ib=request.user).select_related(
        "framework", "shared_with"
    )
    scope = get_scope(request.user)
    consents = rounds.open_consents(request.user) if scope.is_ib else {}
    return render(
        request,
        "competencies/round_list.html",
        {
            "rounds": my_rounds,
            "frameworks": rounds.startable_frameworks(request.user),
            "trends": rounds.trends_for(request.user),
            "is_ib": scope.is_ib,
            "consent_boards": [
                (board, consents.get(board.pk))
                for board in Board.objects.filter(id__in=scope.ib_board_ids)
            ],
        },
    )


@require_POST
def heatmap_consent(request: HttpRequest, board_pk: int) -> HttpResponse:
    """The IB gives or withdraws consent to count their self-assessments in the heat map."""
    board = get_object_or_404(Board.objects.for_user(request.user), pk=board_pk)
    if board.pk not in get_scope(request.user).ib_board_ids:
        raise PermissionDenied(_("Only an IB of this board gives or withdraws this consent."))
    if request.POST.get("action") == "withdraw":
        rounds.heatmap_consent_withdraw(board=board, actor=request.user)
        messages.success(
            request,
            _(
                "Consent withdrawn: only self-assessments you share count in %(board)s's heat "
                "map, from now on."
            )
            % {"board": board.name},
        )
    else:
        rounds.heatmap_consent_give(board=board, actor=request.user)
        messages.success(
            request,
            _(
                "Consent given: your completed self-assessments count anonymously in "
                "%(board)s's heat map. You can withdraw it here at any time."
            )
            % {"board": board.name},
        )
    return redirect("competencies:round-list")


@require_GET
def shared_rounds(request: HttpRequest) -> HttpResponse:
    """The rounds IBs shared with this director."""
    shared = (
        AssessmentRound.objects.for_user(request.user)
        .filter(shared_with=request.user)
        .select_related("framework", "ib", "board")
        .order_by("-shared_at", "-pk")
    )
    return render(request, "competencies/round_shared_list.html", {"rounds": shared})


@require_POST
def round_start(request: HttpRequest, framework_pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework.objects.for_user(request.user), pk=framework_pk)
    had_draft = AssessmentRound.objects.filter(
        ib=request.user, framework=framework, status=AssessmentRound.Status.DRAFT
    ).exists()
    try:
        round_ = rounds.round_start(ib=request.user, framework=framework)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("competencies:round-list")
    if had_draft:
        messages.info(
            request, _("You already have a draft of this self-assessment: continue it here.")
        )
    else:
        messages.success(request, _("Self-assessment started. Save as draft as often as you like."))
    return redirect("competencies:round-detail", pk=round_.pk)


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return round_page(request, get_round(request, pk))


@require_POST
def round_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the IB's levels and evidence; with the complete button also complete the round."""
    round_ = get_round(request, pk)
    if round_.ib_id != request.user.pk:
        raise PermissionDenied(_("Only the IB of this self-assessment fills it in."))
    if round_.status != AssessmentRound.Status.DRAFT:
        messages.error(request, _("A completed self-assessment can no longer be changed."))
        return redirect("competencies:round-detail", pk=round_.pk)
    framework = round_.framework
    form = RatingsForm(
        request.POST,
        cells=list(framework.cells.select_related("row", "column")),
        levels=list(framework.levels.all()),
        version=round_.lock_version,
    )
    if not form.is_valid():
        return round_page(request, round_, ratings_form=form)
    try:
        rounds.ratings_save(
            round=round_,
            actor=request.user,
            data=form.cell_data(),
            lock_version=form.posted_version,
        )
    except StaleEdit:
        round_ = get_round(request, pk)
        if not rounds.can_fill_in(round_, request.user):  # completed in another tab
            messages.error(request, _("A completed self-assessment can no longer be changed."))
            return redirect("competencies:round-detail", pk=round_.pk)
        saved = {r.cell_id: (r.level, r.evidence) for r in round_.ratings.select_related("level")}
        stale = cells_stale_notice(form, round_, saved)
        return round_page(request, round_, ratings_form=form, stale=stale, status=409)
    action = request.POST.get("action")
    detail_url = reverse("competencies:round-detail", args=[round_.pk])
    if action not in ("complete", "complete_anyway"):
        messages.success(request, _("Draft saved."))
        return redirect(detail_url)
    missing = rounds.missing_levels(round_)
    if action == "complete":
        # Ask first: once completed, a self-assessment can no longer be changed.
        if missing:
            question = ngettext(
                "%(count)d competency has no level yet. Fill it in, or complete the "
                "self-assessment as it is.",
                "%(count)d competencies have no level yet. Fill them in, or complete the "
                "self-assessment as it is.",
                missing,
            ) % {"count": missing}
        else:
            question = _(
                "Your levels are saved. Once completed, the self-assessment can no longer be "
                "changed: complete it now, or keep it as a draft."
            )
        messages.warning(request, question)
        return redirect(f"{detail_url}?{'onvolledig' if missing else 'afronden'}=1")
    rounds.round_complete(round=round_, actor=request.user)
    messages.success(request, _("Self-assessment completed. You can now share it."))
    if missing:
        messages.warning(
            request,
            ngettext(
                "%(count)d competency has no level.",
                "%(count)d competencies have no level.",
                missing,
            )
            % {"count": missing},
        )
    return redirect(detail_url)


@require_POST
def round_share(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    try:
        result = rounds.round_share(round=round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("competencies:round-detail", pk=round_.pk)
    messages.success(request, _("Shared with %(name)s.") % {"name": display_name(result.director)})
    if result.others:
        messages.info(
            request,
            _(
                "Your appointment has several personnel-responsible co-directors; shared with "
                "%(name)s only, not with %(others)s."
            )
            % {
                "name": display_name(result.director),
                "others": ", ".join(display_name(user) for user in result.others),
            },
        )
    return redirect("competencies:round-detail", pk=round_.pk)


@require_POST
def round_unshare(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    try:
        rounds.round_unshare(round=round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sharing withdrawn. The director no longer sees it."))
    return redirect("competencies:round-detail", pk=round_.pk)


@require_POST
def round_director_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    if not rounds.can_add_view(round_, request.user):
        raise PermissionDenied(_("Only the director it is shared with adds a view."))
    framework = round_.framework
    form = DirectorViewsForm(
        request.POST,
        cells=list(framework.cells.select_related("row", "column")),
        levels=list(framework.levels.all()),
        version=round_.lock_version,
    )
    if not form.is_valid():
        return round_page(request, round_, views_form=form)
    try:
        rounds.director_views_save(
            round=round_,
            actor=request.user,
            data=form.cell_data(),
            lock_version=form.posted_version,
        )
    except StaleEdit:
        round_ = get_round(request, pk)
        if not rounds.can_add_view(round_, request.user):  # sharing withdrawn meanwhile
            raise PermissionDenied(_("Only the director it is shared with adds a view.")) from None
        views = round_.director_views.filter(author=request.user).select_related("level")
        stale = cells_stale_notice(form, round_, {v.cell_id: (v.level, v.note) for v in views})
        return round_page(request, round_, views_form=form, stale=stale, status=409)
    messages.success(request, _("Your view is saved."))
    return redirect("competencies:round-detail", pk=round_.pk)


@require_POST
def round_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    if not rounds.can_record_conversation(round_, request.user):
        raise PermissionDenied(_("Only the IB and the director it is shared with record this."))
    form = ConversationForm(request.POST)
    if not form.is_valid():
        return round_page(request, round_, conversation_form=form)
    try:
        rounds.conversation_add(round=round_, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return round_page(request, round_, conversation_form=form)
    messages.success(request, _("Conversation recorded."))
    return redirect("competencies:round-detail", pk=round_.pk)
