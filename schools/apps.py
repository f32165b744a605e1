from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Registers this app's to-do providers (schools/todo.py).
        from . import todo_items  # noqa: F401
