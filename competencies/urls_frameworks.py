"""URL patterns of the competencies app, frameworks part (joined in competencies/urls.py)."""

from django.urls import path

from . import views_frameworks as views

urlpatterns: list = [
    path("besturen/<int:board_pk>/competenties/", views.framework_list, name="framework-list"),
    path(
        "besturen/<int:board_pk>/competenties/standaard/<slug:key>/",
        views.framework_copy_standard_view,
        name="framework-copy-standard",
    ),
    path("competenties/<int:pk>/", views.framework_detail, name="framework-detail"),
    path("competenties/<int:pk>/bewerken/", views.framework_edit, name="framework-edit"),
    path(
        "competenties/<int:pk>/rijen/nieuw/",
        views.framework_row_add_view,
        name="framework-row-add",
    ),
    path(
        "competenties/<int:pk>/kolommen/nieuw/",
        views.framework_column_add_view,
        name="framework-column-add",
    ),
    path(
        "competenties/rijen/<int:pk>/verwijderen/",
        views.framework_row_remove_view,
        name="framework-row-remove",
    ),
    path(
        "competenties/kolommen/<int:pk>/verwijderen/",
        views.framework_column_remove_view,
        name="framework-column-remove",
    ),
]
