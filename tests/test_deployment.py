"""The app under gunicorn with two workers against PostgreSQL, as it runs in production.

A real gunicorn (``--workers 2``) is started on a free port on 127.0.0.1 against pytest's
test database, with the production settings as the test suite uses them
(``ibportal.test_settings``: DEBUG off, plain HTTP, fast password hashing, static files from
the apps instead of collectstatic) and the secure cookies off for plain HTTP. Over HTTP, with
one cookie jar (one browser), the test logs in through the login form and then proves that

- both worker processes serve authenticated pages for that one session: sessions live in the
  database, not in a worker's memory;
- a save served by one worker is visible in a page served by the other.

The worker that served a request is read from gunicorn's access log, which logs the worker's
pid (``%(p)s``) and the test's own ``X-Probe`` request header.

On SQLite the test is skipped: several processes against one SQLite file is not a supported
deployment. It runs in the PostgreSQL pass of ``scripts/test.sh``.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from gunicorn.config import Config as GunicornConfig

from . import factories as f

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs PostgreSQL (DATABASE_URL): several gunicorn workers cannot share the "
        "SQLite test database; scripts/test.sh runs this in its PostgreSQL pass",
    ),
    pytest.mark.django_db(transaction=True),  # the workers must see committed rows
]

PASSWORD = "demo-wachtwoord"  # tests/factories.py
# The worker's pid, the status, the method, the path and the test's X-Probe header.
ACCESS_FORMAT = "%(p)s %(s)s %(m)s %(U)s probe=%({x-probe}i)s"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The URL of the test database (test_<name>), for the gunicorn process."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}{db['HOST'] or ''}{port}/{db['NAME']}"


@dataclass
class Server:
    url: str
    access_log: Path
    process: subprocess.Popen

    def probes(self) -> dict[str, tuple[str, str]]:
        """X-Probe value -> (worker pid, status) from the access log; a POST as "value:POST".

        (urllib sends the header again on the GET that follows a POST's redirect.)
        """
        found: dict[str, tuple[str, str]] = {}
        for line in self.access_log.read_text(encoding="utf-8").splitlines():
            match = re.match(r"<(\d+)> (\d{3}) (\S+) \S+ probe=(\S+)", line)
            if match and match.group(4) != "-":
                pid, status, method, probe = match.groups()
                found[probe if method == "GET" else f"{probe}:{method}"] = (pid, status)
        return found


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[Server]:
    port = free_port()
    access_log, error_log = tmp_path / "access.log", tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ibportal.test_settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on localhost: cookies marked Secure would never be sent back.
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "ibportal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--timeout",
        "30",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        ACCESS_FORMAT,
    ]
    if "control_socket_disable" in GunicornConfig().settings:
        # gunicorn 25+: no control socket in ~/.gunicorn shared with other servers.
        command.append("--no-control-socket")
    with error_log.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    server = Server(url=f"http://127.0.0.1:{port}", access_log=access_log, process=process)
    try:
        wait_for_workers(server, error_log)
        yield server
    finally:
        # Before pytest-django flushes or drops the database the workers are connected to.
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_workers(server: Server, error_log: Path, timeout: float = 20) -> None:
    """Until both workers have booted and the login page answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{error_log.read_text()}")
        booted = error_log.read_text().count("Booting worker")
        if booted >= 2:
            try:
                with urllib.request.urlopen(f"{server.url}/account/login/", timeout=5) as page:
                    if page.status == 200:
                        return
            except OSError:
                pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not start within {timeout} s:\n{error_log.read_text()}")


class Browser:
    """One cookie jar shared by every request, also from several threads at once."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def request(self, path: str, data: dict | None = None, probe: str = "") -> tuple[str, str]:
        """GET (or POST ``data`` with the CSRF token), following redirects: (final path, body)."""
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookie("csrftoken")}
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(
            self.base_url + path, data=body, headers={"X-Probe": probe} if probe else {}
        )
        with self.opener.open(request, timeout=20) as response:
            assert response.status == 200, f"{path}: {response.status}"
            return urllib.parse.urlsplit(response.geturl()).path, response.read().decode()

    def log_in(self, username: str, password: str) -> str:
        _path, form = self.request("/account/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        with self.opener.open(f"{self.base_url}/account/login/", data=body, timeout=20) as page:
            return urllib.parse.urlsplit(page.geturl()).path


def burst(browser: Browser, path: str, count: int) -> dict[str, tuple[str, str]]:
    """``count`` parallel GETs of ``path``, each with its own probe: probe -> (path, body)."""
    names = [f"p{uuid.uuid4().hex[:10]}" for _ in range(count)]
    with ThreadPoolExecutor(max_workers=count) as pool:
        pages = list(pool.map(lambda name: browser.request(path, probe=name), names))
    return dict(zip(names, pages, strict=True))


def served_by(server: Server, names, timeout: float = 5) -> dict[str, str]:
    """probe -> worker pid, once the access log holds every probe."""
    deadline = time.monotonic() + timeout
    while True:
        found = server.probes()
        if all(name in found for name in names) or time.monotonic() > deadline:
            return {name: found[name][0] for name in names if name in found}
        time.sleep(0.05)


def test_two_workers_share_sessions_and_saves(gunicorn: Server) -> None:
    appointment = f.AppointmentFactory()
    ib = appointment.ib
    browser = Browser(gunicorn.url)

    start = browser.log_in(ib.username, PASSWORD)
    assert start == "/aanstellingen/", "the IB's start page after logging in"
    assert browser.cookie("sessionid")

    # Parallel requests for one session until both workers have served some of them; a
    # worker without the session would answer with the login page instead.
    plan = "/mijn-ontwikkeling/"
    pids: dict[str, str] = {}
    for _attempt in range(10):
        pages = burst(browser, plan, 8)
        assert all(path == plan for path, _body in pages.values()), "session lost"
        pids.update(served_by(gunicorn, pages))
        if len(set(pids.values())) >= 2:
            break
    assert len(set(pids.values())) == 2, f"one worker served everything: {set(pids.values())}"

    # A save served by one worker, then read by both: each must show it.
    title = f"Doel {uuid.uuid4().hex[:12]}"
    path, _body = browser.request(
        "/mijn-ontwikkeling/doelen/nieuw/",
        {"title": title, "description": "", "due_date": "", "status": "open", "evidence": ""},
        probe="save",
    )
    assert path == plan, "the goal form redirects to the plan when saved"
    saver = served_by(gunicorn, ["save:POST"])["save:POST"]
    readers: set[str] = set()
    for _attempt in range(10):
        pages = burst(browser, plan, 8)
        assert all(title in body for _path, body in pages.values()), "a page misses the save"
        readers |= set(served_by(gunicorn, pages).values())
        if readers - {saver}:
            break
    assert readers - {saver}, "the other worker never served the plan after the save"
