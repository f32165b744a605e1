from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("besturen/<int:board_pk>/catalogus/", views.catalogue, name="catalogue"),
    path("besturen/<int:board_pk>/catalogus/nieuw/", views.task_create, name="task-create"),
    path(
        "besturen/<int:board_pk>/catalogus/standaard/",
        views.catalogue_copy,
        name="catalogue-copy",
    ),
    path("catalogus/<int:pk>/bewerken/", views.task_edit, name="task-edit"),
    path("catalogus/<int:pk>/activeren/", views.task_toggle_active, name="task-toggle-active"),
]
