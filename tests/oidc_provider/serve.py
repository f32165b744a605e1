"""Start the test OpenID Connect provider: ``python -m tests.oidc_provider.serve``.

Environment: OIDC_PROVIDER_PORT (required), OIDC_PROVIDER_DB (a fresh SQLite file),
OIDC_PROVIDER_REDIRECT_URIS (space-separated: the portal's callback), OIDC_PROVIDER_USERS (JSON
list of {"username", "email", "password", "verified"}) and OIDC_PROVIDER_CLIENTS (JSON list of
{"client_id", "client_secret"}). Prints "ready" once it serves.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        if os.environ.get("OIDC_PROVIDER_VERBOSE"):
            super().log_message(format, *args)


def rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def seed() -> None:
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import get_application_model

    user_model = get_user_model()
    for person in json.loads(os.environ.get("OIDC_PROVIDER_USERS", "[]")):
        user_model.objects.create_user(
            person["username"],
            email=person["email"],
            password=person["password"],
            last_name="" if person.get("verified", True) else "Unverified",
        )
    application_model = get_application_model()
    for client in json.loads(os.environ.get("OIDC_PROVIDER_CLIENTS", "[]")):
        application_model.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            client_type=application_model.CLIENT_CONFIDENTIAL,
            authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
            redirect_uris=os.environ.get("OIDC_PROVIDER_REDIRECT_URIS", ""),
            algorithm=application_model.RS256_ALGORITHM,
            skip_authorization=True,
        )


def main() -> None:
    port = int(os.environ["OIDC_PROVIDER_PORT"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ.setdefault("OIDC_PROVIDER_ISSUER", f"http://127.0.0.1:{port}/o")
    os.environ.setdefault("OIDC_PROVIDER_RSA_KEY", rsa_key())
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)
    seed()
    server = make_server(
        "127.0.0.1",
        port,
        get_wsgi_application(),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    print("ready", flush=True)
    with contextlib.suppress(KeyboardInterrupt):  # stopped by hand
        server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
