"""URL patterns of the conversation cycle (joined in competencies/urls.py)."""

from django.urls import path

from . import views_conversations as views

urlpatterns = [
    path("gesprekken/", views.conversation_list, name="conversation-list"),
    path(
        "gesprekken/plannen/<int:appointment_pk>/",
        views.conversation_plan,
        name="conversation-plan",
    ),
    path("gesprekken/<int:pk>/", views.conversation_detail, name="conversation-detail"),
    path("gesprekken/<int:pk>/wijzigen/", views.conversation_edit, name="conversation-edit"),
    path("gesprekken/<int:pk>/annuleren/", views.conversation_cancel, name="conversation-cancel"),
    path(
        "gesprekken/<int:pk>/voorbereiding/",
        views.conversation_prepare,
        name="conversation-prepare",
    ),
    path("gesprekken/<int:pk>/verslag/", views.conversation_report, name="conversation-report"),
    path("gesprekken/<int:pk>/tekenen/", views.conversation_sign, name="conversation-sign"),
    path(
        "besturen/<int:board_pk>/gesprekscyclus/",
        views.policy_edit,
        name="conversation-policy",
    ),
]
