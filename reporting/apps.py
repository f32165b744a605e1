from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Reports across schools that read the schools' figures and their task packages: the board
    and partnership comparison, a school's years, their charts and exports. No models."""

    name = "reporting"
