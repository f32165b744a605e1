"""The standard catalogue's usual roles on the boards' existing copies (issue 16): who does a
standard task that is not IB work, for the task division's role purity signal. A copy whose
role a board has set already is left alone."""

from django.db import migrations

# The standard catalogue's ``usual_role`` of its tasks that are not IB work, as of this
# migration (frozen here: the catalogue may change later).
USUAL_ROLES = {
    "invallen-lesgeven": "groepsleerkrachten",
    "leerkrachten-beoordelen": "directeur",
    "gegevens-invoeren-administratie": "groepsleerkrachten",
    "remedial-teaching-leerlingen": "remedial_teacher",
    "diagnostisch-onderzoek-zelf-afnemen": "gedragswetenschapper",
    "orthotheek-bestellen-inrichten": "remedial_teacher",
    "oudergesprekken-overnemen": "groepsleerkrachten",
    "casus-overnemen": "groepsleerkrachten",
    "vervanging-regelen": "directeur",
}


def fill(apps, schema_editor):
    task_model = apps.get_model("tasks", "CatalogueTask")
    for key, role in USUAL_ROLES.items():
        task_model.objects.filter(standard_key=key, usual_role="").update(usual_role=role)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0022_catalogue_task_usual_role")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
