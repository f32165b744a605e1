"""URL patterns of the competencies app, heat map part (joined in competencies/urls.py)."""

from django.urls import path

from . import views_heatmap

urlpatterns = [
    path(
        "besturen/<int:board_pk>/competenties/heatmap/",
        views_heatmap.heatmap,
        name="heatmap",
    ),
    path(
        "besturen/<int:board_pk>/competenties/heatmap/export/",
        views_heatmap.heatmap_export,
        name="heatmap-export",
    ),
]
