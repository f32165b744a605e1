"""Secrets stored encrypted at rest: a board's OpenID Connect client secret.

Fernet (AES-128-CBC with an HMAC-SHA256, from ``cryptography``) under the keys of the setting
``SSO_SECRET_KEYS``: the first encrypts, all of them decrypt (``MultiFernet``), so a key is
rotated by putting a new one in front and running ``manage.py rotate_sso_secrets``. When no key
is configured, the keys are derived (HKDF-SHA256) from ``SECRET_KEY`` and its
``SECRET_KEY_FALLBACKS``: rotating ``SECRET_KEY`` the Django way keeps the secrets readable.

The database, the backups (``dumpdata``) and the exports only ever hold the token; the clear
text exists in memory for the token request to the provider.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "derive_key", "encrypt", "rotate"]

# HKDF's "info": a key derived for these secrets is of no use for anything else.
DERIVATION_INFO = b"ib-portaal single sign-on client secret"


def derive_key(secret_key: str) -> bytes:
    """A Fernet key derived from Django's SECRET_KEY."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=DERIVATION_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


def keys() -> list[bytes]:
    configured = list(getattr(settings, "SSO_SECRET_KEYS", []) or [])
    if configured:
        return [key.encode() if isinstance(key, str) else key for key in configured]
    secret_keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [derive_key(key) for key in secret_keys]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys()])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The clear text; ``InvalidToken`` when no configured key opens the token."""
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The same text encrypted under the current (first) key."""
    return _fernet().rotate(token.encode()).decode()
