from django.urls import path

from . import (
    development_views,
    export_views,
    history_views,
    import_views,
    own_hours_views,
    personal_data_views,
    security_views,
    staff_views,
    views,
)

app_name = "schools"

urlpatterns = [
    path("besturen/<int:pk>/", views.board_detail, name="board-detail"),
    path("besturen/<int:pk>/beleid/", views.board_edit, name="board-edit"),
    path(
        "besturen/<int:pk>/beleid/geschiedenis/",
        history_views.board_history,
        name="board-history",
    ),
    path(
        "besturen/<int:pk>/rollen/geschiedenis/",
        history_views.membership_history,
        name="membership-history",
    ),
    path("besturen/<int:pk>/beveiliging/", security_views.security_events, name="security-events"),
    path("besturen/<int:board_pk>/scholen/nieuw/", views.school_create, name="school-create"),
    path(
        "besturen/<int:board_pk>/aanstellingen/nieuw/",
        views.appointment_create,
        name="appointment-create",
    ),
    path("besturen/<int:board_pk>/import/", import_views.import_upload, name="import-upload"),
    path(
        "besturen/<int:board_pk>/import/personeel/",
        staff_views.hr_import_upload,
        name="hr-import-upload",
    ),
    path("besturen/<int:pk>/personeel/", staff_views.staff_list, name="staff-list"),
    path(
        "besturen/<int:pk>/personeel/uitnodigen/",
        staff_views.staff_invite_all,
        name="staff-invite-all",
    ),
    path(
        "besturen/<int:pk>/personeel/<int:user_pk>/uitnodigen/",
        staff_views.staff_invite,
        name="staff-invite",
    ),
    path(
        "besturen/<int:board_pk>/import/<int:batch_pk>/",
        import_views.import_preview,
        name="import-preview",
    ),
    path(
        "besturen/<int:board_pk>/import/<int:batch_pk>/verwerken/",
        import_views.import_commit,
        name="import-commit",
    ),
    path("scholen/", views.school_list, name="school-list"),
    path("scholen/<int:pk>/", views.school_detail, name="school-detail"),
    path("scholen/<int:pk>/bewerken/", views.school_edit, name="school-edit"),
    path("scholen/<int:pk>/cijfers/<int:start_year>/", views.figures_edit, name="figures-edit"),
    path(
        "scholen/<int:pk>/cijfers/geschiedenis/",
        history_views.figures_history,
        name="figures-history",
    ),
    # The school's development points (ontwikkelpunten)
    path(
        "scholen/<int:pk>/ontwikkelpunten/",
        development_views.development_points,
        name="development-points",
    ),
    path(
        "scholen/<int:pk>/ontwikkelpunten/nieuw/",
        development_views.development_point_create,
        name="development-point-create",
    ),
    path(
        "ontwikkelpunten/<int:pk>/bewerken/",
        development_views.development_point_edit,
        name="development-point-edit",
    ),
    path(
        "ontwikkelpunten/<int:pk>/besluiten/",
        development_views.development_point_decide_view,
        name="development-point-decide",
    ),
    path("aanstellingen/", views.appointment_list, name="appointment-list"),
    path(
        "aanstellingen/export.<str:fmt>",
        export_views.appointment_export,
        name="appointment-export",
    ),
    path("aanstellingen/<int:pk>/", views.appointment_detail, name="appointment-detail"),
    path("aanstellingen/<int:pk>/bewerken/", views.appointment_edit, name="appointment-edit"),
    path(
        "aanstellingen/<int:pk>/geschiedenis/",
        history_views.appointment_history,
        name="appointment-history",
    ),
    path("aanstellingen/<int:pk>/beeindigen/", views.appointment_end_view, name="appointment-end"),
    path(
        "aanstellingen/<int:pk>/eigen-uren/nieuw/",
        own_hours_views.own_hours_create,
        name="own-hours-create",
    ),
    path("eigen-uren/<int:pk>/", own_hours_views.own_hours_edit, name="own-hours-edit"),
    path(
        "eigen-uren/<int:pk>/verwijderen/",
        own_hours_views.own_hours_delete,
        name="own-hours-delete",
    ),
    path("instellingen/", views.preferences, name="preferences"),
    # AVG: the privacy statement (public), the person's own data, ending a person.
    path("privacy/", personal_data_views.privacy, name="privacy"),
    path("instellingen/mijn-gegevens/", personal_data_views.my_data, name="my-data"),
    path("instellingen/mijn-gegevens.json", personal_data_views.my_data_json, name="my-data-json"),
    path("besturen/<int:pk>/personen/", personal_data_views.board_people, name="board-people"),
    path(
        "besturen/<int:board_pk>/personen/<int:pk>/beeindigen/",
        personal_data_views.person_end_view,
        name="person-end",
    ),
    path("samenwerkingsverbanden/<int:pk>/", views.partnership_detail, name="partnership-detail"),
]
