from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class IbportalAdminConfig(AdminConfig):
    """The Django admin, opened to board administrators as well as superusers."""

    default_site = "ibportal.admin_site.IbAdminSite"


class IbportalConfig(AppConfig):
    """The project's top floor as an app: its management commands span the apps below (demo
    data, scale data, benchmark, backup and restore)."""

    name = "ibportal"
    verbose_name = "IB-portaal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from schools.security_events import SIGN_IN_UNFINISHED

        from .two_factor import code_owed, on_login

        user_logged_in.connect(on_login, dispatch_uid="two-factor-owed")
        if code_owed not in SIGN_IN_UNFINISHED:
            SIGN_IN_UNFINISHED.append(code_owed)
