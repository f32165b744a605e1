"""Write a backup archive: every record and every uploaded file (see ibportal/backup.py).

Usage::

    python manage.py backup /srv/backups/ib-portaal-2026-01-31.zip
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ibportal.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write all data and uploaded files to one archive (.zip) for `manage.py restore`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. backup.zip")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, path, database, **options):
        try:
            manifest = backup(path, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for name in manifest["missing_files"]:
            self.stderr.write(self.style.WARNING(f"File in the data but not in storage: {name}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path}: {sum(manifest['counts'].values())} records, "
                f"{len(manifest['files'])} files."
            )
        )
        if options["verbosity"] > 1:
            for label, count in manifest["counts"].items():
                self.stdout.write(f"  {label}: {count}")
