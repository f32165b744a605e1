"""Small template helpers for task packages."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.defaultfilters import floatformat, linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tasks.models import PackageStatus

register = template.Library()

BADGE_CLASSES = {
    PackageStatus.CONCEPT: "text-bg-secondary",
    PackageStatus.SUBMITTED: "text-bg-primary",
    PackageStatus.AGREED: "text-bg-success",
    PackageStatus.RETURNED: "text-bg-warning",
}


@register.filter
def percentage_of(hours, budget) -> int:
    """``hours`` as a whole percentage of ``budget`` (0 without a budget)."""
    if not budget:
        return 0
    return int((Decimal(hours) * 100 / Decimal(budget)).quantize(Decimal("1"), ROUND_HALF_UP))


@register.simple_tag
def status_badge(status: str) -> SafeString:
    """The status of a package version as a coloured badge with its (translated) name.

    Written out here rather than by an included template: comparisons show one per school.
    """
    return format_html(
        '<span class="badge {}">{}</span>', BADGE_CLASSES[status], PackageStatus(status).label
    )


# ---------------------------------------------------------------------------
# The rows of a package's tasks, written out here rather than by an included template: a
# package has dozens of them, and the template engine cost about 1 ms per row (a URL, two
# labels with the task's name, several translated words), most of the package page's time
# (issue #11).
# ---------------------------------------------------------------------------


# A pk no item has: the remove URL is reversed once per page, then given each row's pk.
_PK = 987654321


class RowWords:
    """What every row repeats, translated and reversed once per page rather than once per
    row: kept in the render context of the template being rendered (``words``), so it never
    outlives the request or its language."""

    def __init__(self) -> None:
        self.not_ib_badge = format_html(
            '<span class="badge text-bg-danger">{}</span>', _("not IB work")
        )
        self.own_badge = format_html(
            '<span class="badge text-bg-light border">{}</span>', _("own task")
        )
        not_saved = _("not saved")
        self.unsaved_badges = {
            changed: format_html(
                '<span class="badge text-bg-warning unsaved-badge"{}>{}</span>',
                "" if changed else mark_safe(" hidden"),
                not_saved,
            )
            for changed in (True, False)
        }
        self.far_off = _("far off the plan")
        self.hours = _("Hours")
        self.hours_for = _("Hours for “%(task)s”")
        self.note = _("Note")
        self.note_for = _("Note for “%(task)s”")
        self.comment_of_ib = _("Comment of the IB")
        self.remove = _("Remove")
        self.your_comment = _("your comment")
        self.h = _("h")
        before, after = reverse("tasks:item-remove", args=[_PK]).split(str(_PK))
        self.remove_url = lambda pk: f"{before}{pk}{after}"


def words(context) -> RowWords:
    """The page's ``RowWords``, made by the first row that asks."""
    found = context.render_context.get(RowWords)
    if found is None:
        found = context.render_context[RowWords] = RowWords()
    return found


def _task_cell(item, *, unsaved: bool | None, errors: list[str], said: RowWords) -> SafeString:
    """The first cell: the title with its badges, the not-IB reason, the row's errors."""
    badges = []
    if not item.is_ib_task:
        badges.append(said.not_ib_badge)
    if not item.task_id:
        badges.append(said.own_badge)
    if unsaved is not None:  # the sheet: the JavaScript shows it as soon as a value changes
        badges.append(said.unsaved_badges[bool(unsaved)])
    reason = ""
    if not item.is_ib_task and item.not_ib_reason:
        reason = format_html('<div class="small text-danger-emphasis">{}</div>', item.not_ib_reason)
    # Last year this task's realised hours differed much from the plan (tasks.nextyear).
    mark = getattr(item, "last_year", None)
    if mark is not None:
        reason = format_html(
            "{}{}",
            reason,
            format_html(
                '<div class="small last-year-mark" id="{}">'
                '<span class="badge text-bg-info">{}</span> {}</div>',
                last_year_id(item),
                said.far_off,
                mark.text,
            ),
        )
    error_block = ""
    if errors:
        error_block = format_html(
            '<div class="invalid-feedback d-block" id="item{}-error">{}</div>',
            item.pk,
            format_html_join("", '<span class="d-block">{}</span>', ((e,) for e in errors)),
        )
    return format_html(
        '<td class="sheet-task"><div class="fw-semibold">{} {}</div>{}{}</td>',
        item.title,
        mark_safe(" ".join(badges)),  # each went through format_html
        reason,
        error_block,
    )


def last_year_id(item) -> str:
    """The id of the task's mark, for the hours input's ``aria-describedby`` ("" unmarked)."""
    return f"item{item.pk}-last-year" if getattr(item, "last_year", None) else ""


def _saved_hint(item_pk: int, kind: str, value: str, saved: str) -> tuple[SafeString, str]:
    """Under an input whose kept value differs from the stored one (a refused save, e.g. after
    someone else changed the package): the stored value, so the user can compare before saving
    again. Returns the hint and its id for ``aria-describedby`` (empty when the values match)."""
    if value == saved:
        return mark_safe(""), ""
    hint_id = f"item{item_pk}-saved-{kind}"
    text = _("saved: %(value)s") % {"value": saved} if saved else _("saved: empty")
    return format_html('<div class="form-text" id="{}">{}</div>', hint_id, text), hint_id


def _described_by(*ids: str) -> SafeString:
    ids = tuple(i for i in ids if i)
    return format_html(' aria-describedby="{}"', " ".join(ids)) if ids else mark_safe("")


@register.simple_tag(takes_context=True)
def sheet_row(context, row, show_comments: bool) -> SafeString:
    """One task of the director's sheet: plain inputs named for the item, its remove button."""
    said = words(context)
    item = row.item
    hours_hint, hours_hint_id = _saved_hint(item.pk, "hours", row.hours, row.saved_hours)
    note_hint, note_hint_id = _saved_hint(item.pk, "note", row.note, row.saved_note)
    mark_id = last_year_id(item)
    invalid = (
        format_html(
            ' aria-invalid="true"{}',
            _described_by(f"item{item.pk}-error", hours_hint_id, mark_id),
        )
        if row.errors
        else _described_by(hours_hint_id, mark_id)
    )
    comment = ""
    if show_comments:
        comment = format_html(
            '<td class="small" data-label="{}">{}</td>',
            said.comment_of_ib,
            linebreaksbr(item.ib_comment, autoescape=True),
        )
    return format_html(
        '<tr id="item-{pk}" data-sheet-row class="sheet-row{state}">{task}'
        '<td class="num" data-label="{hours_word}">'
        '<label class="visually-hidden" for="item{pk}-hours">{hours_label}</label>'
        '<input type="text" name="{hours_name}" id="item{pk}-hours" value="{hours}" '
        'data-saved="{saved_hours}" class="form-control form-control-sm hours-input{bad}" '
        'inputmode="decimal" autocomplete="off"{invalid}>{hours_hint}</td>'
        '<td data-label="{note_word}">'
        '<label class="visually-hidden" for="item{pk}-note">{note_label}</label>'
        '<input type="text" name="{note_name}" id="item{pk}-note" value="{note}" '
        'data-saved="{saved_note}" maxlength="500" class="form-control form-control-sm" '
        'autocomplete="off"{note_described}>{note_hint}</td>{comment}'
        '<td class="text-end text-nowrap d-print-none sheet-remove">'
        '<button type="submit" formaction="{remove_url}" class="btn btn-sm btn-outline-danger" '
        'data-remove="{title}">{remove}<span class="visually-hidden"> {title}</span></button>'
        "</td></tr>",
        pk=item.pk,
        state=(" has-error" if row.errors else "") + (" is-unsaved" if row.changed else ""),
        task=_task_cell(item, unsaved=row.changed, errors=row.errors, said=said),
        hours_word=said.hours,
        hours_label=said.hours_for % {"task": item.title},
        hours_name=row.hours_name,
        hours=row.hours,
        saved_hours=row.saved_hours,
        bad=" is-invalid" if row.errors else "",
        invalid=invalid,
        note_word=said.note,
        note_label=said.note_for % {"task": item.title},
        note_name=row.note_name,
        note=row.note,
        saved_note=row.saved_note,
        hours_hint=hours_hint,
        note_hint=note_hint,
        note_described=_described_by(note_hint_id),
        comment=comment,
        remove_url=said.remove_url(item.pk),
        title=item.title,
        remove=said.remove,
    )


@register.simple_tag(takes_context=True)
def read_row(context, row, show_comments: bool) -> SafeString:
    """One task read-only, with the IB's comment when there is one."""
    item = row["item"]
    comment = ""
    if show_comments:
        # The IB's own comment fields are on the review page (tasks/_review.html).
        content = linebreaksbr(item.ib_comment, autoescape=True)
        comment = format_html('<td class="small">{}</td>', content)
    return format_html(
        '<tr id="item-{}">{}<td class="num">{}</td><td class="small">{}</td>{}</tr>',
        item.pk,
        _task_cell(item, unsaved=None, errors=[], said=words(context)),
        floatformat(item.hours, -1),
        item.note,
        comment,
    )


@register.simple_tag(takes_context=True)
def review_card(context, row) -> SafeString:
    """One task of the IB's review page: a card with the task and the IB's comment field.

    ``row["review"]`` is the field as ``package_views.review_cell`` describes it; written out
    here rather than as a bound field per task (the form's fields validate).
    """
    said = words(context)
    item, field = row["item"], row["review"]
    badges = []
    if not item.is_ib_task:
        badges.append(said.not_ib_badge)
    if not item.task_id:
        badges.append(said.own_badge)
    note = format_html('<div class="small text-body-secondary">{}</div>', item.note)
    reason = ""
    if not item.is_ib_task and item.not_ib_reason:
        reason = format_html('<div class="small text-danger-emphasis">{}</div>', item.not_ib_reason)
    invalid = errors = ""
    messages = field["errors"]
    if messages:
        invalid = format_html(' aria-invalid="true" aria-describedby="{}_error"', field["id"])
        errors = format_html(
            '<div class="invalid-feedback d-block" id="{}_error">{}</div>',
            field["id"],
            format_html_join("", '<span class="d-block">{}</span>', ((e,) for e in messages)),
        )
    return format_html(
        '<div class="review-task card mb-2" id="item-{pk}"><div class="card-body py-2">'
        '<div class="row g-2"><div class="col-md-5">'
        '<label class="fw-semibold d-block" for="{id}">{title}'
        '<span class="visually-hidden"> &ndash; {your_comment}</span></label>'
        '<div class="small"><span class="fw-semibold">{hours}&nbsp;{h}</span> {badges}</div>'
        "{note}{reason}</div>"
        '<div class="col-md-7">'
        '<textarea name="{name}" id="{id}" cols="40" rows="2" '
        'class="form-control form-control-sm" maxlength="2000"{invalid}>\n{value}</textarea>'
        "{errors}</div></div></div></div>",
        pk=item.pk,
        id=field["id"],
        title=item.title,
        your_comment=said.your_comment,
        hours=floatformat(item.hours, -1),
        h=said.h,
        badges=mark_safe(" ".join(badges)),  # each went through format_html
        note=note if item.note else "",
        reason=reason,
        name=field["name"],
        invalid=invalid,
        value=field["value"],
        errors=errors,
    )


# ---------------------------------------------------------------------------
# The competencies a package's tasks ask (tasks.competency_links), written out here for the
# same reason as the rows above: a line and a flagged task per cell and per task.
# ---------------------------------------------------------------------------


@register.simple_tag
def competency_rows(competencies) -> SafeString:
    """The table rows: each competency, the tasks asking it and, for who may see them, the
    IB's level (flagged when the lowest or not assessed)."""
    sees_levels = competencies.sees_levels
    lowest_badge = format_html(' <span class="badge text-bg-warning">{}</span>', _("lowest level"))
    not_assessed = format_html('<span class="badge text-bg-secondary">{}</span>', _("not assessed"))
    rows = []
    for line in competencies.lines:
        level = ""
        if sees_levels:
            if line.level:
                level = format_html(
                    "<td>{}{}</td>", line.level, lowest_badge if line.lowest else ""
                )
            else:
                level = format_html("<td>{}</td>", not_assessed)
        rows.append(
            format_html(
                '<tr{}><td><span class="small text-body-secondary">{}:</span> {}</td>'
                '<td class="small">{}</td>{}</tr>',
                mark_safe(' class="table-warning"') if sees_levels and line.flagged else "",
                line.cell.framework.name,
                line.cell,
                "; ".join(item.title for item in line.items),  # escaped as a whole
                level,
            )
        )
    return mark_safe("\n".join(rows))  # each went through format_html


@register.simple_tag
def flagged_tasks(competencies) -> SafeString:
    """The list items of the tasks that ask a competency at the lowest level or not assessed."""
    lowest_word, not_assessed_word = _("lowest level:"), _("not assessed:")
    entries = []
    for flag in competencies.flagged:
        lowest = not_assessed = ""
        if flag.lowest:
            lowest = format_html(
                " &middot; {} {}", lowest_word, ", ".join(str(cell) for cell in flag.lowest)
            )
        if flag.not_assessed:
            not_assessed = format_html(
                " &middot; {} {}",
                not_assessed_word,
                ", ".join(str(cell) for cell in flag.not_assessed),
            )
        entries.append(
            format_html(
                '<li><span class="fw-semibold">{}</span>{}{}</li>',
                flag.item.title,
                lowest,
                not_assessed,
            )
        )
    return mark_safe("\n".join(entries))  # each went through format_html
