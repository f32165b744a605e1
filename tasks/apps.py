from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Tasks")

    def ready(self) -> None:
        # Registers this app's to-do providers (schools/todo.py).
        # Registers its models holding personal data (schools/personal_data.py).
        from . import personal_data, todo_items  # noqa: F401
