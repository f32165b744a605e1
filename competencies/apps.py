from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    name = "competencies"
    verbose_name = _("Competencies")

    def ready(self) -> None:
        # Registers this app's to-do providers (schools/todo.py).
        from . import todo_items  # noqa: F401
