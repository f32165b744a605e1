"""POST data for the framework edit page, shared by test_frameworks and the access matrix."""

from __future__ import annotations

from competencies.models import Framework

PARTS = (
    ("levels", "levels", ("name", "description")),
    ("rows", "rows", ("title", "description", "order")),
    ("columns", "columns", ("title", "order")),
    ("cells", "cells", ("descriptor",)),
)


def framework_edit_data(framework: Framework, **overrides) -> dict:
    """The edit page as it loads (every value unchanged), with ``overrides`` on top."""
    data = {
        "name": framework.name,
        "description": framework.description,
        "lock_version": str(framework.lock_version),
    }
    for prefix, related, fields in PARTS:
        objects = list(getattr(framework, related).all())
        data[f"{prefix}-TOTAL_FORMS"] = str(len(objects))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(objects))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, obj in enumerate(objects):
            data[f"{prefix}-{index}-id"] = str(obj.pk)
            for name in fields:
                data[f"{prefix}-{index}-{name}"] = str(getattr(obj, name))
    data.update(overrides)
    return data


def row_add_data(framework: Framework, title: str = "Nieuwe rol") -> dict:
    data = {"title": title, "description": ""}
    keys = [column.pk for column in framework.columns.all()] or [0]
    data.update({f"cell_{key}": f"{title}, beschrijving" for key in keys})
    return data


def column_add_data(framework: Framework, title: str = "Nieuwe context") -> dict:
    data = {"title": title}
    data.update({f"cell_{row.pk}": f"{row.title} in {title}" for row in framework.rows.all()})
    return data
