from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

import reporting.urls
import schools.urls
from schools import staff_views
from schools import views as school_views

from .forms import QueuedPasswordResetForm
from .health import health
from .help import help_index, help_page
from .password_reset import ThrottledPasswordResetView
from .sso import PortalLoginView, sso_callback, sso_start
from .two_factor import setup as two_factor_setup
from .two_factor import verify as two_factor_verify

urlpatterns = [
    path("", school_views.home, name="home"),
    # Before Django's own: the same address and name, with the mails limited per address and
    # client, and sent through the queue (a mail server that is down is no 500).
    path(
        "account/password_reset/",
        ThrottledPasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    # Before Django's own: the same address, name and fields, with the boards' school-account
    # buttons and the password refused for a board that requires its school account.
    path("account/login/", PortalLoginView.as_view(), name="login"),
    path("account/schoolaccount/<int:pk>/", sso_start, name="sso_start"),
    path("account/schoolaccount/terug/", sso_callback, name="sso_callback"),
    path("account/tweestaps/", two_factor_verify, name="two_factor_verify"),
    # The link of an invitation mail (schools/invitations.py): no sign-in needed.
    path(
        "account/uitnodiging/<str:token>/",
        staff_views.invitation_accept,
        name="invitation-accept",
    ),
    path("account/", include("django.contrib.auth.urls")),
    path("instellingen/tweestaps/", two_factor_setup, name="two_factor_setup"),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("gezond/", health, name="health"),
    path(
        "help/",
        include(
            (
                [
                    path("", help_index, name="index"),
                    path("<slug:slug>/", help_page, name="page"),
                ],
                "help",
            )
        ),
    ),
    path("beheer/", admin.site.urls),
    # The comparison pages moved to the reporting app; their URL names predate it and are kept
    # stable, so both apps' patterns share the one "schools" namespace (included once: a
    # namespace included twice breaks reverse, urls.W005).
    path("", include((schools.urls.urlpatterns + reporting.urls.urlpatterns, "schools"))),
    path("", include("tasks.urls")),
    path("", include("competencies.urls")),
]
