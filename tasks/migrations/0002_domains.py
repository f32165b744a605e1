"""Load the three LBBO domains (data, not code: boards' tasks point at them)."""

from django.db import migrations

from tasks.services import domains_load


def load_domains(apps, schema_editor):
    domains_load(apps.get_model("tasks", "Domain"))


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial")]

    operations = [migrations.RunPython(load_domains, migrations.RunPython.noop)]
