"""The general school duties' description said they stay out of the distribution over the
domains, while the package sheet and the comparison show their share of the assigned hours
beside the three domains: databases that ran 0009 get the corrected text."""

from django.db import migrations

from tasks.services import domains_load


def forwards(apps, schema_editor):
    domains_load(apps.get_model("tasks", "Domain"))


class Migration(migrations.Migration):
    dependencies = [("tasks", "0009_catalogue_2026")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
