"""Give boards the standard frameworks' second edition, on indicators, as a new version.

The first edition had one descriptor per cell that bundled two to four behaviours, rated with
one level. The second rates one observable behaviour per indicator (``Cell.order`` 1..n) and
names the levels with adjectives of one kind (beginnend, ontwikkelend, bekwaam, excellent).

For every board's current copy of a standard framework that the board has not edited (its
content still matches the first edition, by fingerprint), this migration adds the second
edition as the next version (``previous`` = that copy), exactly as editing a framework in use
does. Nothing existing is changed: the old version keeps its rows, cells and levels, and every
round, rating, director's view, goal and catalogue task link keeps pointing at it, so a round
made on it shows its cells and levels as they were. A copy the board edited is left alone
(its edits are the board's); the board can copy the new edition from the framework list.

Reversing leaves the added versions in place (no data is removed); reversing 0006 as well
needs them gone first.
"""

import hashlib
import json

from django.db import migrations

from competencies.migrations._standard_frameworks_2026 import FRAMEWORKS

# sha256 of the first edition's content per standard key (see ``fingerprint``).
FIRST_EDITION = {
    "kempenkind-matrix": "c2eaebe80187e830f9f51bd2318f324b829821aaa68a4b58c31ede82fd3fe30d",
    "zeven-ib-competenties": "d8b5996c3c592ecb141f4a9853aff8713e565dfc40aee84aee8048f9262282fa",
    "lbbo-2022-domeinen": "f588d60ed663ef45bf7442b06302d1bb6415a4068bb0d92112aea9a1ea658731",
}


def fingerprint(framework) -> str:
    """The framework's texts in order, hashed: what a board sees and could have edited."""
    columns = list(framework.columns.order_by("order", "id"))
    cells = {(cell.row_id, cell.column_id): cell.descriptor for cell in framework.cells.all()}
    content = {
        "name": framework.name,
        "description": framework.description,
        "kind": framework.kind,
        "columns": [column.title for column in columns],
        "rows": [
            [
                row.title,
                row.description,
                [cells.get((row.pk, column.pk if column else None)) for column in columns or [None]],
            ]
            for row in framework.rows.order_by("order", "id")
        ],
        "levels": [[level.name, level.description] for level in framework.levels.order_by("number")],
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def add_second_edition(apps, schema_editor):
    Framework = apps.get_model("competencies", "Framework")
    FrameworkRow = apps.get_model("competencies", "FrameworkRow")
    FrameworkColumn = apps.get_model("competencies", "FrameworkColumn")
    Cell = apps.get_model("competencies", "Cell")
    Level = apps.get_model("competencies", "Level")
    current = Framework.objects.filter(
        standard_key__in=list(FIRST_EDITION), next_versions__isnull=True
    ).order_by("pk")
    for old in current:
        if fingerprint(old) != FIRST_EDITION[old.standard_key]:
            continue  # edited by the board: theirs to keep
        data = FRAMEWORKS[old.standard_key]
        new = Framework.objects.create(
            board_id=old.board_id,
            standard_key=old.standard_key,
            name=data["name"],
            description=data["description"],
            kind=data["kind"],
            version=old.version + 1,
            previous=old,
            is_active=old.is_active,
        )
        columns = [
            FrameworkColumn.objects.create(framework=new, title=title, order=order)
            for order, title in enumerate(data["columns"], start=1)
        ]
        for order, row_data in enumerate(data["rows"], start=1):
            row = FrameworkRow.objects.create(
                framework=new,
                title=row_data["title"],
                description=row_data["description"],
                order=order,
            )
            for column, indicators in zip(columns or [None], row_data["cells"], strict=True):
                Cell.objects.bulk_create(
                    Cell(framework=new, row=row, column=column, descriptor=text, order=number)
                    for number, text in enumerate(indicators, start=1)
                )
        Level.objects.bulk_create(
            Level(framework=new, number=number, name=level["name"], description=level["description"])
            for number, level in enumerate(data["levels"], start=1)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("competencies", "0006_cell_indicators"),
    ]

    operations = [
        migrations.RunPython(add_second_edition, migrations.RunPython.noop, elidable=False),
    ]
