"""The catalogue of December 2026: the general school duties as a fourth domain, and every
board's copy of the standard catalogue brought up to date (units, merged tasks, new tasks).

Copies a board did not edit get the new text and hours; edited copies are kept as they are;
copies of merged or removed standard tasks are deactivated, never deleted (package items refer
to them). Nothing is undone on the way back: the new fields go with the schema migration.
"""

from django.db import migrations

from tasks.services import catalogue_sync_standard, domains_load


def forwards(apps, schema_editor):
    domain_model = apps.get_model("tasks", "Domain")
    domains_load(domain_model)
    catalogue_sync_standard(
        apps.get_model("tasks", "CatalogueTask"), domain_model, apps.get_model("schools", "Board")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0008_catalogue_units"),
        ("schools", "0006_schoolfigures_teachers"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
