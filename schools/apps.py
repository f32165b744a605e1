from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Registers this app's to-do providers (schools/todo.py).
        # Sign-ins and failed sign-ins as security events (schools/security_events.py).
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import hr_import, todo_items  # noqa: F401  (hr_import: its reasons' texts)
        from .invitations import on_login as accept_invitations
        from .personal_data import register_own_models
        from .security_events import on_login, on_login_failed

        user_logged_in.connect(on_login, dispatch_uid="security-event-login")
        user_login_failed.connect(on_login_failed, dispatch_uid="security-event-login-failed")
        # The models holding personal data (the apps above register theirs in their ready()).
        register_own_models()
        # Any sign-in (also with the school's account) accepts the person's invitations.
        user_logged_in.connect(accept_invitations, dispatch_uid="invitation-accept-on-login")
