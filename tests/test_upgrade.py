"""An existing database survives the upgrade.

A database is created and filled by the code of an earlier commit (its own migrations and its own
``seed_demo``), then migrated by this code. Every row of every table must still be there with the
same values, except the columns a migration of ours declares it changes (``CHANGED``).

The earlier commit is ``PREVIOUS``: the last one before issue #12 moved code between the apps.
Move it forward when a release lands, so that every migration since is run on real data.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PREVIOUS = "a29fa66bc03d83e0990c251c7912d95c5ee53d14"

# (table, column): values our migrations change on purpose since PREVIOUS, each with the
# migration that does so. Any other changed value fails the test.
CATALOGUE_2026 = (
    "tasks 0009_catalogue_2026: board copies nobody edited take the 2026 standard catalogue "
    "(issue #13); tasks merged into others are deactivated, never deleted"
)
CHANGED: dict[tuple[str, str], str] = {
    **{
        ("tasks_cataloguetask", column): CATALOGUE_2026
        for column in (
            "title",
            "description",
            "domain_id",
            "default_hours",
            "source",
            "not_ib_reason",
            "is_active",
            "lock_version",
        )
    },
    ("tasks_domain", "description"): CATALOGUE_2026
    + "; tasks 0010_general_duties_description: the general duties' text says what the sheet shows",
}

# Tables whose rows are not the users' data: changed by any run of ``migrate``.
NOT_DATA = {"django_migrations", "django_content_type", "auth_permission"}


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, check=False)


def previous_code(target: Path) -> Path:
    """The project as it was at PREVIOUS, unpacked into ``target``."""
    if shutil.which("git") is None or git("cat-file", "-e", f"{PREVIOUS}^{{commit}}").returncode:
        message = f"commit {PREVIOUS[:10]} is not in this clone"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    archive = target / "previous.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS], stdout=out, check=True)
    code = target / "previous"
    with tarfile.open(archive) as tar:
        tar.extractall(code, filter="data")
    return code


@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """A database URL of an empty database of the vendor the tests run on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"upgrade_{uuid.uuid4().hex[:12]}"
    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    admin = psycopg.connect(dbname="postgres", **params)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        yield f"postgres://{auth}@{settings['HOST'] or 'localhost'}:{settings['PORT']}/{name}"
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def manage(code: Path, database_url: str, *args: str) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ibportal.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "true",
        "SECRET_KEY": "upgrade-test-" + "k" * 50,
        "TASKS_BACKEND": "immediate",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, str(code / "manage.py"), *args, "-v0"],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} in {code}:\n{result.stderr}"


def snapshot(database_url: str) -> dict[str, dict[object, dict[str, object]]]:
    """Every row of every table, keyed by its id (or by the whole row without one)."""
    if database_url.startswith("sqlite"):
        db = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
    else:
        import psycopg

        db = psycopg.connect(database_url)
        cursor = db.cursor()
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        tables = [name for (name,) in cursor.fetchall()]
    rows: dict[str, dict[object, dict[str, object]]] = {}
    try:
        for table in tables:
            cursor = db.cursor()
            cursor.execute(f'SELECT * FROM "{table}"')
            names = [column[0] for column in cursor.description]
            keyed = {}
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                keyed[row["id"] if "id" in row else tuple(values)] = row
            rows[table] = keyed
    finally:
        db.close()
    return rows


def test_a_database_of_the_previous_release_migrates_without_losing_a_row(tmp_path):
    code = previous_code(tmp_path)
    with scratch_database(tmp_path) as database_url:
        manage(code, database_url, "migrate")
        manage(code, database_url, "seed_demo")
        before = snapshot(database_url)
        manage(ROOT, database_url, "migrate")
        after = snapshot(database_url)

    # The demo of the previous release filled the tables this test is about.
    for table in ("schools_school", "tasks_packageitem", "competencies_rating"):
        assert before[table], f"{table} is empty: the test would prove nothing"
    lost = []
    columns: set[tuple[str, str]] = set()
    for table, old_rows in before.items():
        if table in NOT_DATA:
            continue
        assert table in after, f"table {table} is gone"
        new_rows = after[table]
        for key, old in old_rows.items():
            new = new_rows.get(key)
            if new is None:
                lost.append(f"{table} {key}: row gone")
                continue
            for column, value in old.items():
                if column in new and new[column] != value and (table, column) not in CHANGED:
                    columns.add((table, column))
                    lost.append(f"{table} {key}.{column}: {value!r} became {new[column]!r}")
    assert not lost, f"changed columns: {sorted(columns)}\n" + "\n".join(lost[:40])
