"""URL patterns of the competencies app, development part (joined in competencies/urls.py)."""

from django.urls import path

from . import views_development as views

urlpatterns = [
    path("mijn-ontwikkeling/", views.plan, name="plan"),
    path("mijn-ontwikkeling/doelen/nieuw/", views.goal_edit, name="goal-create"),
    path("mijn-ontwikkeling/doelen/<int:pk>/", views.goal_edit, name="goal-edit"),
    path("mijn-ontwikkeling/doelen/<int:pk>/verwijderen/", views.goal_delete, name="goal-delete"),
    path(
        "mijn-ontwikkeling/doelen/<int:goal_pk>/acties/nieuw/",
        views.action_edit,
        name="action-create",
    ),
    path("mijn-ontwikkeling/acties/<int:pk>/", views.action_edit, name="action-edit"),
    path(
        "mijn-ontwikkeling/acties/<int:pk>/verwijderen/",
        views.action_delete,
        name="action-delete",
    ),
    path("mijn-ontwikkeling/opleidingen/", views.training_list, name="training-list"),
    path("mijn-ontwikkeling/opleidingen/nieuw/", views.training_edit, name="training-create"),
    path("mijn-ontwikkeling/opleidingen/<int:pk>/", views.training_edit, name="training-edit"),
    path(
        "mijn-ontwikkeling/opleidingen/<int:pk>/verwijderen/",
        views.training_delete,
        name="training-delete",
    ),
    path(
        "opleidingen/<int:pk>/certificaat/",
        views.training_certificate,
        name="training-certificate",
    ),
    path("besturen/<int:board_pk>/certificaten/", views.training_review, name="training-review"),
    path("certificaten/<int:pk>/beoordelen/", views.training_judge, name="training-judge"),
]
