"""This app's models holding personal data, for the download and the anonymisation of a
person (``schools.personal_data``): a package is about its IB; events, realisations and
evaluations also name who acted."""

from __future__ import annotations

import datetime

from schools.personal_data import anonymiser, holds, replace_names

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
def replace_names_in_texts(user, day: datetime.date) -> int:
    return sum(replace_names(user, model, fields) for model, fields in NAMED_IN)
