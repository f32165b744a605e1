from django.urls import path

from . import (
    copy_views,
    division_views,
    evaluation_views,
    export_views,
    package_views,
    realisation_views,
    views,
    werkplan_views,
)

app_name = "tasks"

urlpatterns = [
    path("besturen/<int:board_pk>/catalogus/", views.catalogue, name="catalogue"),
    path(
        "besturen/<int:board_pk>/catalogus/export.<str:fmt>",
        export_views.catalogue_export,
        name="catalogue-export",
    ),
    path("besturen/<int:board_pk>/catalogus/nieuw/", views.task_create, name="task-create"),
    path(
        "besturen/<int:board_pk>/catalogus/standaard/",
        views.catalogue_copy,
        name="catalogue-copy",
    ),
    path("catalogus/<int:pk>/bewerken/", views.task_edit, name="task-edit"),
    path("catalogus/<int:pk>/geschiedenis/", views.task_history, name="task-history"),
    path("catalogus/<int:pk>/activeren/", views.task_toggle_active, name="task-toggle-active"),
    # Task packages
    path("pakketten/", package_views.package_overview, name="package-overview"),
    path(
        "pakketten/nieuw/<int:share_pk>/<int:start_year>/",
        package_views.package_create,
        name="package-create",
    ),
    path("pakketten/export.<str:fmt>", export_views.package_export, name="package-export"),
    path("pakketten/<int:pk>/", package_views.package_detail, name="package-detail"),
    path("pakketten/<int:pk>/taakbrief/", package_views.package_letter, name="package-letter"),
    path("pakketten/<int:pk>/geschiedenis/", package_views.package_history, name="package-history"),
    path("pakketten/<int:pk>/taken/toevoegen/", package_views.item_add, name="item-add"),
    path("pakketten/<int:pk>/opslaan/", package_views.package_save, name="package-save"),
    path(
        "pakketten/<int:pk>/catalogus/",
        package_views.package_catalogue,
        name="package-catalogue",
    ),
    path(
        "pakketten/taken/<int:item_pk>/verwijderen/",
        package_views.item_remove,
        name="item-remove",
    ),
    path("pakketten/<int:pk>/kopieren/", package_views.package_copy, name="package-copy"),
    path("pakketten/<int:pk>/voorleggen/", package_views.package_submit, name="package-submit"),
    path("pakketten/<int:pk>/concept/", package_views.package_draft, name="package-draft"),
    path(
        "pakketten/<int:pk>/terugtrekken/",
        package_views.package_withdraw,
        name="package-withdraw",
    ),
    path("pakketten/<int:pk>/beoordelen/", package_views.package_review, name="package-review"),
    path("pakketten/<int:pk>/heropenen/", package_views.package_reopen, name="package-reopen"),
    # Realisation: the IB's realised hours per task at the board's two moments.
    path(
        "pakketten/<int:pk>/realisatie/<str:moment>/",
        realisation_views.package_realisation,
        name="package-realisation",
    ),
    path(
        "pakketten/<int:pk>/realisatie/<str:moment>/opslaan/",
        realisation_views.realisation_save,
        name="realisation-save",
    ),
    # The year-end evaluation: the IB's ratings, the director's view, the conversation.
    path(
        "pakketten/<int:pk>/evaluatie/",
        evaluation_views.package_evaluation,
        name="package-evaluation",
    ),
    path(
        "pakketten/<int:pk>/evaluatie/starten/",
        evaluation_views.evaluation_start,
        name="evaluation-start",
    ),
    path(
        "pakketten/<int:pk>/evaluatie/beoordeling/",
        evaluation_views.evaluation_ratings,
        name="evaluation-ratings",
    ),
    path(
        "pakketten/<int:pk>/evaluatie/visie/",
        evaluation_views.evaluation_view,
        name="evaluation-view",
    ),
    path(
        "pakketten/<int:pk>/evaluatie/gesprek/",
        evaluation_views.evaluation_conversation,
        name="evaluation-conversation",
    ),
    path(
        "pakketten/<int:pk>/evaluatie/verlengen/",
        evaluation_views.evaluation_extend,
        name="evaluation-extend",
    ),
    path("mijn-pakketten/", package_views.ib_packages, name="ib-packages"),
    # The werkplan: goals of a package
    path("pakketten/<int:pk>/werkplan/nieuw/", werkplan_views.goal_create, name="goal-create"),
    path(
        "pakketten/<int:pk>/werkplan/overnemen/",
        werkplan_views.goal_carry_over,
        name="goal-carry-over",
    ),
    path("pakketten/doelen/<int:goal_pk>/bewerken/", werkplan_views.goal_edit, name="goal-edit"),
    path(
        "pakketten/doelen/<int:goal_pk>/verwijderen/",
        werkplan_views.goal_remove,
        name="goal-remove",
    ),
    # The partnership's copy of agreed packages (read-only, partnership staff only).
    path("swv/pakketten/", copy_views.copy_list, name="copy-list"),
    path("swv/pakketten/<int:pk>/", copy_views.copy_detail, name="copy-detail"),
    path("swv/pakketten/<int:pk>/taakbrief/", copy_views.copy_letter, name="copy-letter"),
    # The school's task division: care and quality tasks over the roles (issue 16).
    path("taakverdeling/", division_views.division_index, name="division-index"),
    path(
        "taakverdeling/<int:school_pk>/<int:start_year>/",
        division_views.division_detail,
        name="division",
    ),
    path(
        "taakverdeling/<int:school_pk>/<int:start_year>/starten/",
        division_views.division_start,
        name="division-start",
    ),
    path("taakverdelingen/<int:pk>/opslaan/", division_views.division_save, name="division-save"),
    path(
        "taakverdelingen/<int:pk>/eigen-taak/",
        division_views.own_task_add,
        name="division-own-task",
    ),
    path(
        "taakverdelingen/<int:pk>/rollen/nieuw/",
        division_views.holder_add,
        name="division-holder-add",
    ),
    path(
        "taakverdelingen/rollen/<int:holder_pk>/bewerken/",
        division_views.holder_edit,
        name="division-holder-edit",
    ),
    path(
        "taakverdelingen/rollen/<int:holder_pk>/verwijderen/",
        division_views.holder_remove,
        name="division-holder-remove",
    ),
    path(
        "taakverdelingen/<int:pk>/afdrukken/",
        division_views.division_print,
        name="division-print",
    ),
    path(
        "taakverdelingen/<int:pk>/export.<str:fmt>",
        division_views.division_export,
        name="division-export",
    ),
]
