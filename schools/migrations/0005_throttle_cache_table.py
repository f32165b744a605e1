"""The table of the "throttle" cache (settings.CACHES): shared counters such as the
password-reset limits. Made here so that ``migrate`` is the only deployment step."""

from django.core.management import call_command
from django.db import migrations

TABLE = "ibportal_throttle"


def create_table(apps, schema_editor) -> None:
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("schools", "0004_lock_version")]

    operations = [migrations.RunPython(create_table, drop_table)]
