"""Delete security events older than their retention (schools/security_events.py, 365 days);
run it daily from cron or a timer, e.g. ``30 3 * * * .../manage.py prune_security_events``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from schools.security_events import SECURITY_EVENT_DAYS, prune


class Command(BaseCommand):
    help = f"Delete security events older than {SECURITY_EVENT_DAYS} days."

    def handle(self, *args, **options) -> None:
        deleted = prune()
        self.stdout.write(
            f"Security events: {deleted} older than {SECURITY_EVENT_DAYS} days deleted."
        )
