"""URL patterns of the board's IB network (joined in competencies/urls.py)."""

from django.urls import path

from . import views_network as views

urlpatterns = [
    path("ib-netwerk/", views.network_start, name="network-start"),
    path("besturen/<int:board_pk>/ib-netwerk/", views.network_home, name="network"),
    path(
        "besturen/<int:board_pk>/ib-netwerk/instellingen/",
        views.network_settings,
        name="network-settings",
    ),
    path(
        "besturen/<int:board_pk>/ib-netwerk/bijeenkomsten/nieuw/",
        views.meeting_create,
        name="network-meeting-create",
    ),
    path("ib-netwerk/bijeenkomsten/<int:pk>/", views.meeting_detail, name="network-meeting"),
    path(
        "ib-netwerk/bijeenkomsten/<int:pk>/bewerken/",
        views.meeting_edit,
        name="network-meeting-edit",
    ),
    path(
        "ib-netwerk/bijeenkomsten/<int:pk>/aanwezigheid/",
        views.meeting_attendance,
        name="network-meeting-attendance",
    ),
    path(
        "ib-netwerk/bijeenkomsten/<int:pk>/verwijderen/",
        views.meeting_delete,
        name="network-meeting-delete",
    ),
    path(
        "besturen/<int:board_pk>/ib-netwerk/themas/nieuw/",
        views.theme_create,
        name="network-theme-create",
    ),
    path("ib-netwerk/themas/<int:pk>/", views.theme_edit, name="network-theme-edit"),
    path(
        "besturen/<int:board_pk>/ib-netwerk/documenten/nieuw/",
        views.document_create,
        name="network-document-create",
    ),
    path("ib-netwerk/documenten/<int:pk>/", views.document_edit, name="network-document-edit"),
    path(
        "ib-netwerk/documenten/<int:pk>/verwijderen/",
        views.document_delete,
        name="network-document-delete",
    ),
    path(
        "ib-netwerk/documenten/<int:pk>/bestand/",
        views.document_file,
        name="network-document-file",
    ),
]
