"""Settings for the test suite: production settings with a test secret and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from ibportal.settings import *  # noqa: E402,F403

# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
# PBKDF2 costs about 0.4 s a login; tests need no real hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic before tests: serve files straight from the apps.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Mail is sent right after the commit, inside the test; tests of the queue itself switch to the
# database backend (tests/test_notices.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Serve static files from the finders, as runserver does; no collectstatic folder needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The access matrix and most tests sign board administrators in with force_login, which has no
# second factor; the tests of the requirement turn it on (tests/test_two_factor.py).
TOTP_REQUIRED_FOR_BOARD_ADMINS = False
