"""This app's models holding personal data, for the download and the anonymisation of a
person (``schools.personal_data``): a package is about its IB; events, realisations and
evaluations also name who acted."""

from __future__ import annotations

import datetime

from django.db.models import Q

from schools.personal_data import anonymiser, holds

from .models import (
    Evaluation,
    EvaluationGoal,
    Package,
    PackageEvent,
    PackageItem,
    PackageVersion,
    Realisation,
    RealisationLine,
    WerkplanGoal,
)

IB = "share__appointment__ib"

holds(Package, IB)
holds(PackageVersion, f"package__{IB}")
holds(PackageItem, f"version__package__{IB}")
holds(PackageEvent, "actor", f"package__{IB}")
holds(WerkplanGoal, f"version__package__{IB}")
holds(Realisation, "recorded_by", f"package__{IB}")
holds(RealisationLine, f"realisation__package__{IB}")
holds(Evaluation, "closed_by", f"package__{IB}")
holds(EvaluationGoal, f"evaluation__package__{IB}")

# Free texts that name people present or spoken to: the person's name is replaced there.
NAMED_IN = (
    (Evaluation, ("participants", "agreements", "director_view")),
    (PackageEvent, ("comment",)),
)


@anonymiser("names_in_texts_replaced")
def replace_names(user, day: datetime.date) -> int:
    """Replace the person's full name, then their last name, in the texts that list people
    (who was present at an evaluation conversation, ...); the texts themselves stay."""
    names = [name for name in (user.get_full_name(), user.last_name) if len(name) >= 3]
    if not names:
        return 0
    replacement = f"Oud-medewerker {user.pk}"
    changed = 0
    for model, fields in NAMED_IN:
        condition = Q()
        for field in fields:
            for name in names:
                condition |= Q(**{f"{field}__icontains": name})
        for row in model.objects.filter(condition):
            for field in fields:
                text = getattr(row, field)
                for name in names:
                    text = replace_ignoring_case(text, name, replacement)
                setattr(row, field, text)
            # update(): no lock bump and no timestamps, the content stays as it was.
            model.objects.filter(pk=row.pk).update(
                **{field: getattr(row, field) for field in fields}
            )
            changed += 1
    return changed


def replace_ignoring_case(text: str, name: str, replacement: str) -> str:
    import re

    return re.sub(re.escape(name), replacement, text, flags=re.IGNORECASE)
