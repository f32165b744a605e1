"""Load the three LBBO domains (data, not code: boards' tasks point at them)."""

from django.db import migrations

from tasks.standard_catalogue import DOMAINS


def load_domains(apps, schema_editor):
    Domain = apps.get_model("tasks", "Domain")
    for order, domain in enumerate(DOMAINS, start=1):
        Domain.objects.update_or_create(
            code=domain["code"],
            defaults={
                "name": domain["name"],
                "role": domain["role"],
                "description": domain["description"],
                "older_name": domain["older_name"],
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial")]

    operations = [migrations.RunPython(load_domains, migrations.RunPython.noop)]
