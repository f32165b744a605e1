from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from schools import views as school_views

from .forms import QueuedPasswordResetForm
from .health import health

urlpatterns = [
    path("", school_views.home, name="home"),
    # Django's view, its mail sent through the queue (a mail server that is down is no 500).
    path(
        "account/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("account/", include("django.contrib.auth.urls")),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("gezond/", health, name="health"),
    path("beheer/", admin.site.urls),
    path("", include("schools.urls")),
    path("", include("tasks.urls")),
    path("", include("competencies.urls")),
]
