"""The app as it runs in production: several gunicorn processes and the mail worker on
PostgreSQL.

1. ``test_two_workers_share_sessions_and_saves``: a real gunicorn (``--workers 2``) on a free
   port on 127.0.0.1 against pytest's test database, with the test suite's settings
   (``ibportal.test_settings``: DEBUG off, plain HTTP, fast password hashing, static files from
   the apps) and the secure cookies off for plain HTTP. Over HTTP, with one cookie jar (one
   browser), the test logs in through the login form and then proves that both worker
   processes serve authenticated pages for that one session (sessions live in the database,
   not in a worker's memory), and that a save served by one worker is visible in a page served
   by the other. The worker that served a request is read from gunicorn's access log, which
   logs the worker's pid (``%(p)s``) and the test's own ``X-Probe`` request header.

2. ``test_the_units_run_the_site_and_the_worker_sends_the_notice``: the shipped systemd units
   (deploy/systemd/), run as they stand: the release unit's steps (migrate, collectstatic,
   check --deploy), then two web units (``ib-portaal-web@<port>``) and the worker, each the
   unit's own ExecStart (tests/deploy_units.py reads them; only the install folder becomes this
   checkout and its virtual environment the one running the tests) with the environment
   systemd gives them: the unit's Environment= and the example environment file. Only what
   must point elsewhere is replaced: the database (pytest's test database), the mail server
   (an SMTP server in this process), the folders and the secret key. The rest stays as in
   production: ``ibportal.settings`` with DEBUG off, HTTPS cookies and redirects, the database
   queue and the SMTP backend. The test speaks to the web units as nginx does (the public
   Host, and the X-Forwarded-Proto and X-Forwarded-For headers of deploy/nginx/ib-portaal.conf).

On SQLite both are skipped: several processes against one SQLite file is not a supported
deployment. They run in the PostgreSQL pass of ``scripts/test.sh``, which fails without
PostgreSQL when it is required (``CI=true`` or ``REQUIRE_POSTGRES=1``); this file alone:
``bash scripts/test.sh tests/test_deployment.py``.
"""

from __future__ import annotations

import contextlib
import email
import email.message
import email.policy
import http.client
import http.cookiejar
import http.cookies
import os
import re
import secrets
import signal
import socket
import socketserver
import subprocess
import sys
import threading
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
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from gunicorn.config import Config as GunicornConfig

from tasks.models import PackageStatus
from tasks.packages import current_version

from . import factories as f
from .deploy_units import (
    RELEASE_UNIT,
    ROOT,
    WEB_UNIT,
    WORKER_UNIT,
    localise,
    read_env_file,
    read_unit,
)
from .test_package_views import lv

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


# ---------------------------------------------------------------------------------------------
# The shipped units (deploy/systemd/), run as they stand
# ---------------------------------------------------------------------------------------------


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    server: MailServer

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost test SMTP")
        sender, recipients = "", []
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost\r\n250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                for data in self.rfile:
                    if data == b".\r\n":
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.receiving.set()
                time.sleep(self.server.answer_delay)
                self.server.store(sender, recipients, b"".join(lines))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class MailServer(socketserver.ThreadingTCPServer):
    """A local SMTP server that keeps what it receives; ``answer_delay`` makes it slow."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.arrived = threading.Condition()
        self.receiving = threading.Event()
        self.answer_delay = 0.0

    @property
    def port(self) -> int:
        return self.server_address[1]

    def store(self, _sender: str, recipients: list[str], data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self.arrived:
            self.messages.append((recipients, message))
            self.arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 20) -> list:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def unit_environment(tmp_path: Path, mail_port: int) -> dict[str, str]:
    """What systemd gives the units (a clean environment, the units' Environment= and the
    example file), with the database, mail server, folders and secret key of the test."""
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": str(tmp_path)}
    env |= read_unit(WEB_UNIT).environment()
    env |= read_env_file()
    env |= {
        "DATABASE_URL": database_url(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        # Two cores on a test machine: one gunicorn worker per web unit.
        "WEB_CONCURRENCY": "1",
    }
    return env


@dataclass
class UnitProcess:
    name: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 20) -> int:
        """SIGTERM to the main process, as systemctl stop sends it (KillMode=mixed); whatever
        is left after ``timeout`` is killed, as systemd does at TimeoutStopSec. The exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"{self.name} did not stop on SIGTERM within {timeout} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL to the unit's processes (its process group: gunicorn's workers too)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def start_unit(name: str, args: list[str], env: dict, tmp_path: Path) -> UnitProcess:
    log = tmp_path / f"{name}.log"
    with log.open("w") as out:
        # A process group of its own, like the unit's control group.
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    return UnitProcess(name, process, log)


class ProxiedBrowser:
    """One browser, its requests arriving at a web unit as nginx passes them on: the public
    Host, X-Forwarded-Proto https and the client's address in X-Forwarded-For. Cookies are
    kept by hand (they are Secure, for HTTPS); redirects are not followed."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.cookies: dict[str, str] = {}

    def request(self, port: int, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of one GET, or POST of ``form``."""
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "192.0.2.7",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{self.host}",
                "Referer": f"https://{self.host}{path}",
            }
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            connection.request("POST" if form is not None else "GET", path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), text

    def form_token(self, port: int, path: str) -> str:
        status, _location, page = self.request(port, path)
        assert status == 200, f"{path}: {status}"
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def log_in(self, port: int, username: str) -> str:
        token = self.form_token(port, "/account/login/")
        status, location, _page = self.request(
            port,
            "/account/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert status == 302, f"login refused: {status}"
        return location


def wait_until_serving(units: list[UnitProcess], ports: list[int], host: str) -> None:
    deadline = time.monotonic() + 30
    waiting = set(ports)
    while waiting and time.monotonic() < deadline:
        for unit in units:
            if unit.process.poll() is not None:
                pytest.fail(f"{unit.name} exited:\n{unit.output()}")
        for port in list(waiting):
            try:
                status, _location, body = ProxiedBrowser(host).request(port, "/gezond/")
            except OSError:
                continue
            if status == 200 and body.strip() == "ok":
                waiting.discard(port)
        time.sleep(0.2)
    assert not waiting, "\n".join(unit.output() for unit in units)


def finished_mail(count: int, timeout: float = 10) -> list[DBTaskResult]:
    """The queued mails, once ``count`` of them are finished (the worker records the result
    just after the mail server has taken the mail)."""
    deadline = time.monotonic() + timeout
    while True:
        tasks = list(DBTaskResult.objects.filter(task_path="core.mail.send_user_mail"))
        done = [task for task in tasks if task.finished_at is not None]
        if len(done) >= count or time.monotonic() > deadline:
            return tasks
        time.sleep(0.1)


def production_password(user) -> None:
    """The production settings know no MD5 (the test settings' fast hasher): a PBKDF2 hash,
    with few iterations (the web unit raises them at the first login, as after an upgrade)."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])


def test_the_units_run_the_site_and_the_worker_sends_the_notice(
    tmp_path: Path, mail_server: MailServer, cast, package_a
) -> None:
    env = unit_environment(tmp_path, mail_server.port)
    host = env["ALLOWED_HOSTS"].split(",")[0]

    # The release steps first: migrate, collectstatic, check --deploy (in order, each must pass).
    release = read_unit(RELEASE_UNIT)
    for args in release.commands():
        done = subprocess.run(
            localise(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    assert (tmp_path / "static" / "staticfiles.json").exists(), "collectstatic wrote no manifest"

    ports = [free_port()]
    while len(ports) < 2:
        ports = sorted({*ports, free_port()})
    web_unit, worker_unit = read_unit(WEB_UNIT), read_unit(WORKER_UNIT)
    started: list[UnitProcess] = []
    try:
        for port in ports:
            [args] = web_unit.commands(instance=str(port))
            started.append(start_unit(f"web@{port}", localise(args), env, tmp_path))
        [args] = worker_unit.commands()
        worker = start_unit("worker", localise(args), env, tmp_path)
        started.append(worker)
        wait_until_serving(started, ports, host)
        first, second = ports

        # The director signs in on one web unit and submits the package on the other: one
        # session, in the database, for both.
        for user in (cast.director_a, cast.ib_a):
            production_password(user)
        director = ProxiedBrowser(host)
        assert not director.log_in(first, cast.director_a.username).startswith("/account/")
        page = f"/pakketten/{package_a.pk}/"
        token = director.form_token(second, page)
        status, location, _body = director.request(
            second,
            f"/pakketten/{package_a.pk}/voorleggen/",
            {"csrfmiddlewaretoken": token, "lock_version": lv(package_a), "comment": "Graag"},
        )
        assert (status, location) == (302, page), director.cookies
        assert current_version(package_a).status == PackageStatus.SUBMITTED

        # The worker sends the IB's notice through the mail server.
        [(recipients, message)] = mail_server.wait_for(1)
        assert recipients == [cast.ib_a.email]
        assert message["From"] == env["DEFAULT_FROM_EMAIL"]
        link = f"{env['SITE_URL']}{page}"
        assert link in message.get_content()
        [queued] = finished_mail(1)
        assert queued.status == TaskResultStatus.SUCCESSFUL
        assert queued.worker_ids, "sent by the worker, not inside the request"

        # The IB follows the link, signed in on the other web unit.
        ib = ProxiedBrowser(host)
        ib.log_in(second, cast.ib_a.username)
        status, _location, body = ib.request(first, urllib.parse.urlsplit(link).path)
        assert status == 200 and "School A1" in body

        # Stopped (SIGTERM) while it sends a mail, the worker finishes that mail, then exits.
        mail_server.answer_delay = 2.0
        mail_server.receiving.clear()
        anonymous = ProxiedBrowser(host)
        token = anonymous.form_token(first, "/account/password_reset/")
        status, _location, _body = anonymous.request(
            first,
            "/account/password_reset/",
            {"csrfmiddlewaretoken": token, "email": cast.ib_a.email},
        )
        assert status == 302
        assert mail_server.receiving.wait(20), "the worker did not start sending the reset mail"
        assert worker.stop() == 0, worker.output()
        assert "shutting down gracefully" in worker.output()
        [_notice, (recipients, reset)] = mail_server.wait_for(2, timeout=1)
        assert recipients == [cast.ib_a.email]
        assert f"https://{host}/account/reset/" in reset.get_content()
        assert {task.status for task in finished_mail(2)} == {TaskResultStatus.SUCCESSFUL}

        # The web units stop cleanly too.
        for unit in started:
            assert unit.stop() == 0, unit.output()
    finally:
        # Before pytest-django flushes the database the units are connected to.
        for unit in started:
            if unit.process.poll() is None:
                unit.process.send_signal(signal.SIGTERM)
        for unit in started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                unit.process.wait(timeout=10)
            unit.kill()
