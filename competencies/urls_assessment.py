"""URL patterns of the competencies app, assessment part (joined in competencies/urls.py)."""

from django.urls import path

from . import views_assessment as views

urlpatterns: list = [
    path("mijn-competenties/", views.round_list, name="round-list"),
    path("mijn-competenties/starten/<int:framework_pk>/", views.round_start, name="round-start"),
    path(
        "mijn-competenties/heatmap-toestemming/<int:board_pk>/",
        views.heatmap_consent,
        name="heatmap-consent",
    ),
    path("gedeelde-zelfbeoordelingen/", views.shared_rounds, name="shared-rounds"),
    path("zelfbeoordelingen/<int:pk>/", views.round_detail, name="round-detail"),
    path("zelfbeoordelingen/<int:pk>/invullen/", views.round_ratings, name="round-ratings"),
    path("zelfbeoordelingen/<int:pk>/delen/", views.round_share, name="round-share"),
    path("zelfbeoordelingen/<int:pk>/niet-meer-delen/", views.round_unshare, name="round-unshare"),
    path(
        "zelfbeoordelingen/<int:pk>/visie-directeur/",
        views.round_director_view,
        name="round-director-view",
    ),
    path(
        "zelfbeoordelingen/<int:pk>/gesprek/",
        views.round_conversation,
        name="round-conversation",
    ),
]
