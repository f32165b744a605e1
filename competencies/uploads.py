"""Certificate uploads: the file's type is read from its first bytes, never from its name.

A browser's content type and a file's extension are the uploader's claims; the magic bytes
are what the file is. Only PDF, PNG and JPEG pass; a program or script under a harmless name
gets its own message so the IB understands why a "certificaat.pdf" was refused. The stored
name is ours (random), so nothing of the uploaded name reaches the disk or a header.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# (magic bytes, extension, content type): the file types a certificate may be.
ALLOWED_TYPES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
CONTENT_TYPES = {extension: content_type for _magic, extension, content_type in ALLOWED_TYPES}

# Starts of programs and scripts: refused with a message of their own.
EXECUTABLE_STARTS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
SCRIPT_MARKERS = (b"<?php", b"<?", b"<script", b"<html", b"<!doctype", b"<svg")

HEAD_BYTES = 512


def max_certificate_bytes() -> int:
    return settings.CERTIFICATE_MAX_BYTES


def read_head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def looks_like_program(head: bytes) -> bool:
    if head.startswith(EXECUTABLE_STARTS):
        return True
    # Scripts may start with a byte-order mark or white space, in any letter case.
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return lowered.startswith(SCRIPT_MARKERS)


def certificate_extension(upload: UploadedFile) -> str:
    """The extension (pdf, png, jpg) of a valid certificate; ValidationError otherwise."""
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_certificate_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    head = read_head(upload)
    for magic, extension, _content_type in ALLOWED_TYPES:
        if head.startswith(magic):
            return extension
    if looks_like_program(head):
        raise ValidationError(
            _(
                "This file is a program or a script, not a certificate, whatever its name "
                "says. Upload a PDF, PNG or JPEG file."
            ),
            code="program",
        )
    raise ValidationError(
        _("This is not a PDF, PNG or JPEG file. Upload the certificate as one of those."),
        code="wrong_type",
    )


def sanitise_certificate(upload: UploadedFile) -> UploadedFile:
    """Validate the upload and give it a random name with the extension of its real type."""
    extension = certificate_extension(upload)
    upload.name = f"{uuid.uuid4().hex}.{extension}"
    return upload


def certificate_content_type(name: str) -> str:
    """The content type for a stored certificate, from the extension we gave it ourselves."""
    extension = name.rsplit(".", 1)[-1].lower()
    return CONTENT_TYPES.get(extension, "application/octet-stream")
