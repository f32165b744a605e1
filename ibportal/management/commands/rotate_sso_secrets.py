"""Encrypt every board's OpenID Connect client secret again under the current key.

Rotation (README "Running in production"): put a new key in front of ``SSO_SECRET_KEY``
(``new,old``), restart, run this command, then drop the old key. Secrets no configured key
opens are named by configuration id and left as they are (their board enters them again).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.encryption import InvalidToken, rotate
from schools.models import SingleSignOn


class Command(BaseCommand):
    help = "Encrypt the boards' client secrets again under the first key of SSO_SECRET_KEY."

    def handle(self, *args, **options) -> None:
        done, unreadable = 0, []
        for sso in SingleSignOn.objects.exclude(client_secret_encrypted="").order_by("pk"):
            try:
                sso.client_secret_encrypted = rotate(sso.client_secret_encrypted)
            except InvalidToken:
                unreadable.append(sso.pk)
                continue
            sso.save(update_fields=["client_secret_encrypted"])
            done += 1
        self.stdout.write(f"Client secrets encrypted under the current key: {done}.")
        if unreadable:
            ids = ", ".join(str(pk) for pk in unreadable)
            raise CommandError(f"No configured key opens the secret of configuration(s) {ids}.")
