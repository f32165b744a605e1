"""The pytest fixture that runs the test OpenID Connect provider in a second process.

The provider is django-oauth-toolkit (a dev dependency) in its own Django project
(``tests/oidc_provider``), on a free port of 127.0.0.1 while the portal's live server runs on
``localhost``: two hosts, so the browser keeps their cookies apart. It is started once per
session with the portal's callback as redirect URI, its users and clients given here.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]

CLIENT_SECRET = "secret-of-the-test-provider"
CLIENTS = ["portal", "portal-wrong-audience", "portal-expired"]
PASSWORD = "school-account-password"
# The people of the school accounts; the portal's test users carry the same addresses.
USERS = [
    {"username": "ib.sso", "email": "ib.sso@kempenwaard.example", "verified": True},
    {"username": "unverified", "email": "onbevestigd@kempenwaard.example", "verified": False},
    {"username": "stranger", "email": "onbekend@kempenwaard.example", "verified": True},
]


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_secret: str = CLIENT_SECRET
    password: str = PASSWORD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory) -> Iterator[Provider]:
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    env = {
        **os.environ,
        "OIDC_PROVIDER_PORT": str(port),
        "OIDC_PROVIDER_ISSUER": issuer,
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("oidc-provider") / "provider.sqlite3"),
        "OIDC_PROVIDER_REDIRECT_URIS": f"{live_server.url}/account/schoolaccount/terug/",
        "OIDC_PROVIDER_USERS": json.dumps([{**user, "password": PASSWORD} for user in USERS]),
        "OIDC_PROVIDER_CLIENTS": json.dumps(
            [{"client_id": client, "client_secret": CLIENT_SECRET} for client in CLIENTS]
        ),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log_path = tmp_path_factory.mktemp("oidc-provider-log") / "provider.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                output = log_path.read_text()
                pytest.fail(f"the OIDC provider did not start:\n{output}")
            try:
                response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
                if response.ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the OIDC provider did not answer within 60 seconds")
            time.sleep(0.2)
        yield Provider(issuer=issuer)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
