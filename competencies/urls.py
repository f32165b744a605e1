"""Competencies: each part keeps its own URL list, joined here under one namespace."""

from . import (
    urls_assessment,
    urls_conversations,
    urls_development,
    urls_frameworks,
    urls_heatmap,
    urls_network,
    urls_training,
)

app_name = "competencies"

urlpatterns = [
    *urls_frameworks.urlpatterns,
    *urls_assessment.urlpatterns,
    *urls_development.urlpatterns,
    *urls_heatmap.urlpatterns,
    *urls_conversations.urlpatterns,
    *urls_training.urlpatterns,
    *urls_network.urlpatterns,
]
