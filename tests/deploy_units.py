"""Reading the shipped deployment files (deploy/) as systemd reads them, for the tests.

Only the syntax the units use is understood; anything else (another specifier, a ``$VAR`` in a
command line) raises, so that a unit never runs differently under systemd than in the tests.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
ENV_EXAMPLE = DEPLOY / "ib-portaal.env.example"
NGINX = DEPLOY / "nginx" / "ib-portaal.conf"
WEB_UNIT = SYSTEMD / "ib-portaal-web@.service"
WORKER_UNIT = SYSTEMD / "ib-portaal-worker.service"
RELEASE_UNIT = SYSTEMD / "ib-portaal-release.service"
# Where the units expect the checkout (their WorkingDirectory), its virtual environment in .venv.
INSTALL_DIR = "/srv/ib-portaal"


@dataclass
class Unit:
    path: Path
    sections: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def values(self, section: str, key: str) -> list[str]:
        return [value for name, value in self.sections.get(section, []) if name == key]

    def value(self, section: str, key: str) -> str:
        found = self.values(section, key)
        assert len(found) == 1, f"{self.path.name}: [{section}] {key} set {len(found)} times"
        return found[0]

    def commands(self, key: str = "ExecStart", instance: str = "") -> list[list[str]]:
        """The command lines of ``key`` as argument lists, as systemd would run them."""
        return [command_line(line, instance) for line in self.values("Service", key)]

    def environment(self) -> dict[str, str]:
        """The unit's own Environment= assignments."""
        env: dict[str, str] = {}
        for line in self.values("Service", "Environment"):
            for assignment in shlex.split(line):
                name, _, value = assignment.partition("=")
                env[name] = value
        return env


def read_unit(path: Path) -> Unit:
    """A unit file: sections of (key, value) in order; continuation lines joined."""
    unit = Unit(path)
    section = ""
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            unit.sections.setdefault(section, [])
            continue
        key, sep, value = line.partition("=")
        assert sep and section, f"{path.name}: cannot read {raw!r}"
        unit.sections[section].append((key.strip(), value.strip()))
    return unit


def command_line(line: str, instance: str = "") -> list[str]:
    """An Exec*= value split into arguments: its prefixes dropped, %i and %% replaced, $$ as $."""
    line = line.lstrip("-@:+!")

    def specifier(match: re.Match) -> str:
        letter = match.group(1)
        if letter == "%":
            return "%"
        if letter in "iI" and instance:
            return instance
        raise ValueError(f"specifier %{letter} not understood (or no instance given): {line}")

    line = re.sub(r"%(.)", specifier, line)
    if "$" in line.replace("$$", ""):
        raise ValueError(f"environment variables in command lines are not supported: {line}")
    return shlex.split(line.replace("$$", "$"))


def read_env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """A systemd EnvironmentFile: NAME=value lines, comments, quoted values."""
    env: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        name, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), f"{path.name}: {raw!r}"
        words = shlex.split(value)
        assert len(words) <= 1, f"{path.name}: quote the value of {name}"
        env[name] = words[0] if words else ""
    return env


def localise(args: list[str], root: Path = ROOT) -> list[str]:
    """A unit's command with its install folder replaced by this checkout and its virtual
    environment by the one running the tests: nothing else changes."""
    return [localise_text(arg, root) for arg in args]


def localise_text(text: str, root: Path = ROOT) -> str:
    text = text.replace(f"{INSTALL_DIR}/.venv/bin/", f"{Path(sys.executable).parent}/")
    return re.sub(rf"{re.escape(INSTALL_DIR)}(?=[/\s'\"]|$)", str(root), text, flags=re.M)


def units(pattern: str = "*") -> list[Unit]:
    return [read_unit(path) for path in sorted(SYSTEMD.glob(pattern))]
