from django.urls import path

from . import views

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
