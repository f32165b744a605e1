"""Mark the tasks that concern the partnership (issue 14) on every board's copy of those
standard tasks and on the package items made from them.

Only the new ``concerns_partnership`` columns are written: no existing value changes. Agreed
versions are NOT marked as shared with the partnership: whether a board shared when a version
was agreed is not known, and a board that ticked "share figures" agreed to share the
comparison, not the packages' content. A package becomes the partnership's copy when it is
next agreed while its board shares.
"""

from django.db import migrations

from tasks.standard_catalogue import PARTNERSHIP_RETIRED, PARTNERSHIP_TASKS


def forwards(apps, schema_editor):
    task_model = apps.get_model("tasks", "CatalogueTask")
    item_model = apps.get_model("tasks", "PackageItem")
    keys = PARTNERSHIP_TASKS | PARTNERSHIP_RETIRED
    task_model.objects.filter(standard_key__in=keys).update(concerns_partnership=True)
    item_model.objects.filter(task__standard_key__in=keys).update(concerns_partnership=True)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0013_partnership_copy")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
