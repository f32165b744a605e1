"""URL patterns of the training offer and the IBs' tracks (joined in competencies/urls.py)."""

from django.urls import path

from . import views_training as views

urlpatterns = [
    path("besturen/<int:board_pk>/opleidingsaanbod/", views.offer_view, name="training-offer"),
    path(
        "besturen/<int:board_pk>/opleidingsaanbod/nieuw/",
        views.track_edit,
        name="track-create",
    ),
    path("opleidingstrajecten/<int:pk>/", views.track_edit, name="track-edit"),
    path(
        "opleidingstrajecten/<int:pk>/geschiedenis/",
        views.track_history,
        name="track-history",
    ),
    path(
        "opleidingstrajecten/<int:track_pk>/modules/nieuw/",
        views.module_edit,
        name="module-create",
    ),
    path("opleidingsmodules/<int:pk>/", views.module_edit, name="module-edit"),
    path("mijn-ontwikkeling/traject/", views.my_track, name="my-track"),
    path(
        "mijn-ontwikkeling/traject/modules/<int:module_pk>/",
        views.module_plan,
        name="module-plan",
    ),
    path(
        "mijn-ontwikkeling/traject/modules/<int:module_pk>/opleiding/",
        views.module_training,
        name="module-training",
    ),
    path(
        "mijn-ontwikkeling/traject/<int:track_pk>/starten/",
        views.track_enrol,
        name="track-enrol",
    ),
    path(
        "besturen/<int:board_pk>/opleidingstrajecten/",
        views.overview,
        name="track-overview",
    ),
    path(
        "besturen/<int:board_pk>/opleidingstrajecten/<int:ib_pk>/",
        views.ib_track,
        name="ib-track",
    ),
    path("trajectdeelnames/<int:pk>/", views.enrolment_detail, name="enrolment-detail"),
    path("trajectdeelnames/<int:pk>/stoppen/", views.enrolment_stop, name="enrolment-stop"),
]
