"""Backup and restore of the whole portal: every record and every uploaded file in one archive.

The archive is a zip file with

- ``manifest.json``: format version, creation time, Django version, database engine, number of
  records per model and the list of files;
- ``data.json``: Django's JSON serialization (``dumpdata``) of all data, with natural foreign
  keys so references to content types and permissions survive a fresh database;
- ``media/<name>``: every file of the default storage (the certificates), under its storage name.

Left out, because Django or the libraries rebuild them or they are transient: content types,
permissions, sessions, the admin log, django-axes' login records and the mail queue.

``restore`` validates the whole archive before touching anything, then in one transaction empties
the database (``flush``), loads the records (``loaddata``: it also resets PostgreSQL's sequences
of the loaded tables; ``flush`` resets the others) and puts the files back into the default storage.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

FORMAT = "ib-portaal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA_PREFIX = "media/"
# Django's JSON, but datetimes keep their microseconds (ibportal/backup_json.py).
SERIAL_FORMAT = "backup-json"

# Never in the backup: rebuilt by Django (post_migrate), transient, or a log.
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "django_tasks_db",  # the mail queue: a restored backup must not send old mail again
)
# Rows a fresh ``migrate`` writes itself: a database holding only these counts as empty.
MIGRATION_DATA = {"tasks.domain"}


def _register_format() -> None:
    if SERIAL_FORMAT not in serializers.get_serializer_formats():
        serializers.register_serializer(SERIAL_FORMAT, "ibportal.backup_json")


class BackupError(Exception):
    """The archive cannot be written or read; the message says why."""


def _excluded_labels() -> list[str]:
    """The EXCLUDED entries whose app is installed (dumpdata refuses unknown labels)."""
    labels = []
    for label in EXCLUDED:
        app_label = label.split(".")[0]
        if any(config.label == app_label for config in apps.get_app_configs()):
            labels.append(label)
    return labels


def _is_excluded(model) -> bool:
    return any(
        model._meta.app_label == label or model._meta.label_lower == label for label in EXCLUDED
    )


def backed_up_models() -> list:
    """Every model whose rows go into the archive (many-to-many rows travel with their model)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not _is_excluded(model)
    ]


def database_is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    """No records apart from what ``migrate`` writes itself."""
    return not any(
        model._default_manager.using(using).exists()
        for model in backed_up_models()
        if model._meta.label_lower not in MIGRATION_DATA
    )


def _storage_files(storage, folder: str = "") -> list[str]:
    """Every file name in the storage, recursively; an absent media folder has none."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in dirs:
        names += _storage_files(storage, f"{folder}/{sub}" if folder else sub)
    return names


def _referenced_files(using: str) -> set[str]:
    """Names stored in the FileFields of the data: these must be in the archive."""
    names: set[str] = set()
    for model in backed_up_models():
        for field in model._meta.concrete_fields:
            if field.get_internal_type() in ("FileField", "ImageField"):
                names.update(
                    name
                    for name in model._default_manager.using(using)
                    .exclude(**{field.name: ""})
                    .values_list(field.name, flat=True)
                    if name
                )
    return names


def _dump(path: Path, using: str) -> set[str]:
    """dumpdata of everything into ``path``, as one consistent snapshot."""
    _register_format()
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            # One snapshot for all tables, even while the site is in use.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command(
            "dumpdata",
            exclude=_excluded_labels(),
            natural_foreign=True,
            format=SERIAL_FORMAT,
            indent=None,
            output=str(path),
            database=using,
            verbosity=0,
        )
        referenced = _referenced_files(using)
    return referenced


def backup(path: str | os.PathLike, using: str = DEFAULT_DB_ALIAS, storage=None) -> dict:
    """Write the archive to ``path``; returns the manifest."""
    storage = storage or default_storage
    target = Path(path)
    if not target.parent.is_dir():
        raise BackupError(f"Folder {target.parent} does not exist.")
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / DATA
        referenced = _dump(data_path, using)
        with data_path.open(encoding="utf-8") as fh:
            counts = Counter(obj["model"] for obj in json.load(fh))
        files = sorted(set(_storage_files(storage)) | referenced)
        missing = [name for name in files if not storage.exists(name)]
        files = [name for name in files if name not in missing]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "django_version": django.get_version(),
            "database_vendor": connections[using].vendor,
            "counts": dict(sorted(counts.items())),
            "files": files,
            "missing_files": missing,
        }
        partial = target.with_name(target.name + ".partial")
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
                archive.write(data_path, DATA)
                for name in files:
                    with (
                        storage.open(name, "rb") as src,
                        archive.open(MEDIA_PREFIX + name, "w", force_zip64=True) as dst,
                    ):
                        for chunk in iter(lambda: src.read(1024 * 1024), b""):
                            dst.write(chunk)
            os.replace(partial, target)  # never a half-written archive under the real name
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def read_archive(path: str | os.PathLike) -> tuple[dict, zipfile.ZipFile]:
    """Open and check the archive completely (CRC of every member); raises BackupError."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise BackupError(f"{path}: file not found.") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{path} is not a readable backup archive ({exc}).") from exc
    try:
        bad = archive.testzip()
        if bad:
            raise BackupError(f"{path} is damaged: {bad} fails its checksum.")
        names = set(archive.namelist())
        if MANIFEST not in names or DATA not in names:
            raise BackupError(f"{path} is not an IB-portaal backup ({MANIFEST} or {DATA} missing).")
        manifest = json.loads(archive.read(MANIFEST))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path} is not an IB-portaal backup.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"{path} has backup format {manifest.get('format_version')}; "
                f"this version reads format {FORMAT_VERSION}."
            )
        for name in manifest.get("files", []):
            if not _safe_name(name) or MEDIA_PREFIX + name not in names:
                raise BackupError(f"{path} is damaged: file {name!r} is missing or unsafe.")
        data = json.loads(archive.read(DATA))
        if not isinstance(data, list):
            raise BackupError(f"{path} is damaged: {DATA} is not a list of records.")
        counts = Counter(obj.get("model") for obj in data)
        if dict(counts) != manifest.get("counts"):
            raise BackupError(f"{path} is damaged: {DATA} does not match the manifest's counts.")
    except BackupError:
        archive.close()
        raise
    except (ValueError, KeyError, AttributeError, zipfile.BadZipFile, OSError, EOFError) as exc:
        archive.close()
        raise BackupError(f"{path} is damaged ({exc.__class__.__name__}: {exc}).") from exc
    return manifest, archive


def restore(
    path: str | os.PathLike, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS, storage=None
) -> dict:
    """Replace the database's contents and the files with the archive's; returns the manifest.

    Refuses a database with records unless ``replace``. Everything happens in one transaction:
    on any error the database is as before.
    """
    storage = storage or default_storage
    manifest, archive = read_archive(path)
    with archive, tempfile.TemporaryDirectory() as tmp:
        if not database_is_empty(using) and not replace:
            raise BackupError(
                "The database is not empty. Restoring replaces everything in it: "
                "pass --yes (or --flush) to do so."
            )
        _register_format()
        # loaddata takes the format from the extension.
        fixture = Path(tmp) / f"data.{SERIAL_FORMAT}"
        fixture.write_bytes(archive.read(DATA))
        try:
            with transaction.atomic(using=using):
                # Empties every table (resetting sequences) and recreates content types and
                # permissions, which the records refer to by natural key.
                call_command("flush", interactive=False, database=using, verbosity=0)
                # loaddata resets the sequences of the tables it loaded (PostgreSQL).
                call_command("loaddata", str(fixture), database=using, verbosity=0)
                loaded = Counter()
                for model in backed_up_models():
                    count = model._default_manager.using(using).count()
                    if count:
                        loaded[model._meta.label_lower] = count
                if dict(loaded) != manifest["counts"]:
                    raise BackupError("The restored records do not match the archive's counts.")
                for name in manifest["files"]:
                    if storage.exists(name):
                        storage.delete(name)
                    with archive.open(MEDIA_PREFIX + name) as src:
                        saved = storage.save(name, ContentFile(src.read()))
                    if saved != name:
                        raise BackupError(
                            f"The storage put {name!r} under another name ({saved!r})."
                        )
        except (DatabaseError, DeserializationError, ValueError, LookupError) as exc:
            raise BackupError(
                f"{path} could not be loaded; the database was not changed "
                f"({exc.__class__.__name__}: {exc})."
            ) from exc
    return manifest
