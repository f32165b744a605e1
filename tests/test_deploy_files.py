"""The shipped deployment files (deploy/) agree with the application and with each other.

Every command a systemd unit runs is a real command with options it accepts; every timer starts
a unit that exists; the example environment sets only variables the settings read; the nginx
example passes the headers the settings trust, lets the largest upload through, and balances
over the web units the README enables. tests/test_deployment.py runs the web, worker and
release units themselves.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from gunicorn.config import Config as GunicornConfig

from schools import imports

from .deploy_units import (
    DEPLOY,
    ENV_EXAMPLE,
    INSTALL_DIR,
    NGINX,
    RELEASE_UNIT,
    ROOT,
    SYSTEMD,
    WEB_UNIT,
    WORKER_UNIT,
    Unit,
    localise,
    localise_text,
    read_env_file,
    read_unit,
    units,
)

EXEC_KEYS = ("ExecStartPre", "ExecStart", "ExecStartPost")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def manage_py_calls(args: list[str]) -> list[list[str]]:
    """The manage.py commands in one command line (also inside ``sh -c '...'``), without
    ``python manage.py``."""
    if Path(args[0]).name == "sh" and args[1] == "-c":
        return manage_py_calls([word for word in shlex.split(args[2]) if word != "exec"])
    if "manage.py" in args:
        return [args[args.index("manage.py") + 1 :]]
    return []


def all_commands() -> list[tuple[Unit, list[str]]]:
    found = []
    for unit in units("*.service"):
        for key in EXEC_KEYS:
            found += [(unit, args) for args in unit.commands(key, instance="8001")]
    return found


def test_the_units_are_where_the_readme_says() -> None:
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file() and path.suffix != ".py":
            name = path.relative_to(ROOT).as_posix()
            assert name in README or path.name in README, f"the README does not mention {name}"
    for unit in (WEB_UNIT, WORKER_UNIT, RELEASE_UNIT):
        assert unit.exists()


def test_every_service_runs_in_the_checkout_with_the_environment_file() -> None:
    services = units("*.service")
    assert len(services) >= 6
    for unit in services:
        assert unit.value("Service", "WorkingDirectory") == INSTALL_DIR, unit.path.name
        assert unit.values("Service", "EnvironmentFile") == ["/etc/ib-portaal/ib-portaal.env"]
        assert unit.value("Service", "User") == "ib-portaal"
        # Hardened alike: read-only system, writable state folder only.
        assert unit.value("Service", "ProtectSystem") == "strict", unit.path.name
        assert unit.value("Service", "NoNewPrivileges") == "true", unit.path.name
        assert "ib-portaal" in unit.value("Service", "StateDirectory").split()


def test_every_management_command_exists_and_takes_its_options(settings) -> None:
    # The production queue (the test settings send mail at once): db_worker checks it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    commands = get_commands()
    called = set()
    for unit, args in all_commands():
        for call in manage_py_calls(args):
            name, options = call[0], call[1:]
            assert name in commands, f"{unit.path.name}: no command {name!r}"
            parser = load_command_class(commands[name], name).create_parser("manage.py", name)
            parser.parse_args(options)  # raises CommandError on an unknown option
            called.add(name)
    # The long-running worker and every command the README asks to run on a schedule.
    assert {
        "db_worker",
        "migrate",
        "collectstatic",
        "check",
        "send_digest",
        "prune_security_events",
        "prune_db_task_results",
        "clearsessions",
        "backup",
    } <= called


def test_gunicorn_takes_the_web_units_options() -> None:
    unit = read_unit(WEB_UNIT)
    [args] = unit.commands(instance="8001")
    assert Path(args[0]).name == "gunicorn"
    parsed = GunicornConfig().parser().parse_args(args[1:])
    assert parsed.bind == ["127.0.0.1:8001"], "one web unit per local port (the instance)"
    assert parsed.args == ["ibportal.wsgi"]
    config = Path(localise([parsed.config])[0])
    assert config.is_file(), parsed.config
    values: dict = {}
    exec(compile(config.read_text(), str(config), "exec"), values)  # noqa: S102 - our own file
    known = GunicornConfig().settings
    for name in ("timeout", "graceful_timeout", "worker_class", "forwarded_allow_ips"):
        assert name in values and name in known, name
    # gunicorn stops gracefully before systemd gives up on it; nginx waits longer than gunicorn.
    assert values["graceful_timeout"] < int(unit.value("Service", "TimeoutStopSec"))
    nginx_read = re.search(r"proxy_read_timeout (\d+)s;", NGINX.read_text())
    assert int(nginx_read.group(1)) > values["timeout"]


def test_every_timer_starts_a_oneshot_service() -> None:
    timers = units("*.timer")
    assert {timer.path.stem for timer in timers} >= {
        "ib-portaal-digest",
        "ib-portaal-housekeeping",
        "ib-portaal-backup",
    }
    for timer in timers:
        target = timer.values("Timer", "Unit") or [timer.path.stem + ".service"]
        service = read_unit(SYSTEMD / target[0])
        assert service.value("Service", "Type") == "oneshot"
        assert timer.values("Timer", "OnCalendar"), timer.path.name
        assert timer.value("Timer", "Persistent") == "true", "runs after a missed time"
        assert timer.value("Install", "WantedBy") == "timers.target"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """``systemd-analyze verify`` on copies pointing at this checkout (it wants the programs to
    exist): no unknown keys, no bad values, valid calendar expressions."""
    names = []
    for unit in units():
        text = localise_text(unit.path.read_text(encoding="utf-8"))
        name = unit.path.name.replace("@.", "@8001.")
        (tmp_path / name).write_text(text, encoding="utf-8")
        names.append(f"./{name}")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [line for line in result.stderr.splitlines() if str(tmp_path) in line]
    assert not problems, "\n".join(problems)


def test_the_example_environment_sets_only_what_the_settings_read() -> None:
    env = read_env_file()
    source = (ROOT / "ibportal" / "settings.py").read_text(encoding="utf-8")
    for name in env:
        if name == "WEB_CONCURRENCY":  # read by gunicorn itself
            continue
        assert f'"{name}"' in source, f"{ENV_EXAMPLE.name}: {name} is not a setting"
    # Production choices, not the defaults meant for development.
    assert env["DEBUG"] == "false"
    assert env["TASKS_BACKEND"] == "database"
    assert env["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["SITE_URL"].startswith("https://")
    assert env["CSRF_TRUSTED_ORIGINS"] == env["SITE_URL"]
    assert env["SITE_URL"] == f"https://{env['ALLOWED_HOSTS']}"


def nginx_directives(name: str) -> list[str]:
    text = re.sub(r"#.*", "", NGINX.read_text(encoding="utf-8"))
    pattern = rf"(?m)^\s*{name}\s+([^;{{]*)[;{{]"
    return [value.strip() for value in re.findall(pattern, text)]


def test_nginx_passes_the_headers_the_settings_trust() -> None:
    env = read_env_file()
    headers = dict(value.split(None, 1) for value in nginx_directives("proxy_set_header"))
    # SECURE_PROXY_SSL_HEADER: the proxy always overwrites X-Forwarded-Proto.
    assert env["SECURE_PROXY_SSL_HEADER_ENABLED"] == "true"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    # TRUSTED_PROXY_COUNT=1: nginx appends the address it saw (core/network.py client_ip).
    assert env["TRUSTED_PROXY_COUNT"] == "1"
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["Host"] == "$host"
    assert nginx_directives("server_name") == [env["ALLOWED_HOSTS"]] * 2


def test_nginx_lets_the_largest_upload_through_to_the_app() -> None:
    [limit] = nginx_directives("client_max_body_size")
    size = int(limit.rstrip("mM")) * 1024 * 1024
    largest = max(settings.CERTIFICATE_MAX_BYTES, imports.MAX_BYTES)
    # Above the app's own limit (the app explains a file too large in Dutch), with room for
    # the rest of the form, but not unlimited.
    assert largest + 512 * 1024 <= size <= 2 * largest


def test_nginx_tls_gzip_and_no_uploads_from_disk() -> None:
    [protocols] = nginx_directives("ssl_protocols")
    assert set(protocols.split()) <= {"TLSv1.2", "TLSv1.3"}
    assert nginx_directives("ssl_session_tickets") == ["off"]
    assert nginx_directives("gzip") == ["on"]
    [types] = nginx_directives("gzip_types")
    assert {"text/css", "application/javascript", "application/json"} <= set(types.split())
    # Uploads only through the app's access check; static files from WhiteNoise.
    assert nginx_directives("location") == ["/.well-known/acme-challenge/", "/", "/"]
    assert "media" not in " ".join(nginx_directives("root") + nginx_directives("alias"))
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_nginx_balances_over_the_web_units_the_readme_enables() -> None:
    upstream = {value for value in nginx_directives("server") if value.startswith("127.0.0.1")}
    ports = {value.split(":")[1] for value in upstream}
    assert len(ports) >= 2
    enable = [line for line in README.splitlines() if "systemctl enable" in line]
    enabled = set(re.findall(r"ib-portaal-web@(\d+)", "\n".join(enable)))
    assert enabled == ports, f"README enables {enabled}, nginx balances over {ports}"
