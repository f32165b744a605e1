"""Send the weekly e-mail digest (ibportal/digest.py); run it once a week from cron or a timer,
e.g. ``0 7 * * 1 .../manage.py send_digest`` (Monday 07:00)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ibportal.digest import send_digests


class Command(BaseCommand):
    help = "Queue the weekly e-mail with what needs doing for every user who has something to do."

    def handle(self, *args, **options) -> None:
        outcomes = send_digests()
        summary = ", ".join(f"{key}: {count}" for key, count in sorted(outcomes.items()))
        self.stdout.write(f"Weekly digest: {summary or 'no recipients'}.")
