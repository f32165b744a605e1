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
from .password_reset import ThrottledPasswordResetView

urlpatterns = [
    path("", school_views.home, name="home"),
    # Before Django's own: the same address and name, with the mails limited per address and
    # client, and sent through the queue (a mail server that is down is no 500).
    path(
        "account/password_reset/",
        ThrottledPasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    # The link of an invitation mail (schools/invitations.py): no sign-in needed.
    path(
        "account/uitnodiging/<str:token>/",
        staff_views.invitation_accept,
        name="invitation-accept",
    ),
    path("account/", include("django.contrib.auth.urls")),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("gezond/", health, name="health"),
    path("beheer/", admin.site.urls),
    # The comparison pages moved to the reporting app; their URL names predate it and are kept
    # stable, so both apps' patterns share the one "schools" namespace (included once: a
    # namespace included twice breaks reverse, urls.W005).
    path("", include((schools.urls.urlpatterns + reporting.urls.urlpatterns, "schools"))),
    path("", include("tasks.urls")),
    path("", include("competencies.urls")),
]
