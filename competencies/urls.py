"""Competencies: each part keeps its own URL list, joined here under one namespace."""

from . import urls_assessment, urls_development, urls_frameworks, urls_heatmap, urls_network

app_name = "competencies"

urlpatterns = [
    *urls_frameworks.urlpatterns,
    *urls_assessment.urlpatterns,
    *urls_development.urlpatterns,
    *urls_heatmap.urlpatterns,
    *urls_network.urlpatterns,
]
