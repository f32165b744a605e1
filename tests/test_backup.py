"""Backup and restore (issue #6): export, empty the database, restore, and every record is back."""

from __future__ import annotations

import datetime
import json
import shutil
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from competencies.models import NetworkDocument, Training
from schools.models import Board, SingleSignOn

# transaction=True: restore flushes and loads for real, and commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

OUR_APPS = {"schools", "tasks", "competencies"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def snapshot() -> dict[str, list[tuple]]:
    """Every row, every column, in primary-key order, of our apps' tables (many-to-many tables
    included) and of the users."""
    user = get_user_model()
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in OUR_APPS
        or model is user
        or getattr(model._meta, "auto_created", None) is user
    ]
    return {model._meta.label: rows(model) for model in models}


def rows(model) -> list[tuple]:
    """A table's rows; a many-to-many link table by its two ends, since dumpdata stores the
    links on the model and restoring them gives the link rows new ids of their own."""
    if model._meta.auto_created:
        ends = [field.attname for field in model._meta.fields if not field.primary_key]
        return sorted(model._default_manager.values_list(*ends))
    return list(model._default_manager.order_by("pk").values_list())


@pytest.fixture
def demo(settings, tmp_path):
    """The demo data plus a training with a certificate in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    ib = get_user_model().objects.get(username="ib.regenboog")
    training = Training(
        ib=ib,
        board=Board.objects.get(number="49901"),
        course="Post-hbo Intern Begeleider",
        hours=Decimal("120"),
        start_date=datetime.date(2025, 9, 1),
    )
    training.certificate.save("diploma.pdf", ContentFile(PDF), save=True)
    return training


def test_round_trip_brings_back_every_record_and_file(demo, settings, tmp_path):
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 100  # the demo really is there
    certificate = settings.MEDIA_ROOT / demo.certificate.name
    assert certificate.read_bytes() == PDF

    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), verbosity=0)

    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert "media/" + demo.certificate.name in zf.namelist()
        # The demo board's client secret is in the archive only encrypted.
        assert b"demo-geen-echt-secret" not in zf.read("data.json")
    assert manifest["django_version"]
    assert manifest["created_at"]
    # The demo's training records (the track's modules done, with certificates) and this one.
    assert manifest["counts"]["competencies.training"] == Training.objects.count() > 1
    assert manifest["counts"]["schools.board"] == 2
    # The certificates and the demo network's documents.
    assert manifest["files"] == sorted(
        [
            *Training.objects.exclude(certificate="").values_list("certificate", flat=True),
            *NetworkDocument.objects.exclude(file="").values_list("file", flat=True),
        ]
    )
    assert demo.certificate.name in manifest["files"]
    assert not any(label.startswith(("contenttypes.", "sessions.")) for label in manifest["counts"])

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not get_user_model().objects.exists()
    assert snapshot() != before

    call_command("restore", str(archive), verbosity=0)

    assert snapshot() == before
    assert certificate.read_bytes() == PDF
    assert SingleSignOn.objects.get().client_secret == "demo-geen-echt-secret"
    # The sequences carry on after the restored rows: a new record gets a fresh id.
    assert Board.objects.create(name="Nieuw bestuur", number="49999").pk > max(
        row[0] for row in before["schools.Board"]
    )


def test_restore_refuses_a_database_with_records_unless_told(demo, settings, tmp_path):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), verbosity=0)
    Board.objects.create(name="Na de back-up", number="49998")
    certificate = settings.MEDIA_ROOT / demo.certificate.name
    certificate.unlink()
    before = snapshot()

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), verbosity=0)
    assert snapshot() == before
    assert not certificate.exists()

    call_command("restore", str(archive), "--yes", verbosity=0)
    assert not Board.objects.filter(number="49998").exists()
    assert certificate.read_bytes() == PDF


def _damaged_copies(archive, tmp_path):
    data = archive.read_bytes()
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"this is not a zip file at all")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    # A valid zip whose data no longer matches its manifest (a record cut out).
    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(edited, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "data.json":
                content = json.dumps(json.loads(content)[1:]).encode()
            dst.writestr(item, content)
    # A record that cannot be loaded (a foreign key to nothing), with matching counts.
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "data.json":
                records = json.loads(content)
                school = next(r for r in records if r["model"] == "schools.school")
                school["fields"]["board"] = 999_999
                content = json.dumps(records).encode()
            dst.writestr(item, content)
    return [garbage, truncated, edited, broken, tmp_path / "absent.zip"]


def test_a_damaged_archive_gives_a_clear_error_and_changes_nothing(demo, settings, tmp_path):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), verbosity=0)
    Board.objects.create(name="Na de back-up", number="49998")
    before = snapshot()

    for damaged in _damaged_copies(archive, tmp_path):
        with pytest.raises(CommandError) as excinfo:
            call_command("restore", str(damaged), "--yes", verbosity=0)
        message = str(excinfo.value)
        assert message, damaged
        assert snapshot() == before, damaged
        assert (settings.MEDIA_ROOT / demo.certificate.name).read_bytes() == PDF
