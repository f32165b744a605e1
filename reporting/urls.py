from django.urls import path

from . import cycle_views, views

# No app_name: ibportal/urls.py includes these in the "schools" namespace, whose URL names
# predate this app.
urlpatterns = [
    path(
        "besturen/<int:board_pk>/vergelijking/",
        views.board_comparison,
        name="comparison",
    ),
    path(
        "besturen/<int:board_pk>/vergelijking/export.<str:fmt>",
        views.board_comparison_export,
        name="comparison-export",
    ),
    # The year cycle, a tab beside the comparison (reporting.cycle).
    path(
        "besturen/<int:board_pk>/vergelijking/jaarcyclus/",
        cycle_views.board_cycle,
        name="comparison-cycle",
    ),
    path(
        "besturen/<int:board_pk>/vergelijking/jaarcyclus/export.<str:fmt>",
        cycle_views.board_cycle_export,
        name="comparison-cycle-export",
    ),
    path("scholen/<int:pk>/jaren/", views.school_years, name="school-years"),
    path(
        "samenwerkingsverbanden/<int:pk>/vergelijking/",
        views.partnership_comparison,
        name="partnership-comparison",
    ),
    path(
        "samenwerkingsverbanden/<int:pk>/vergelijking/export.<str:fmt>",
        views.partnership_comparison_export,
        name="partnership-comparison-export",
    ),
]
