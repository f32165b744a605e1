from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from schools.models import get_scope

from .sso import PortalAdminAuthenticationForm


class IbAdminSite(admin.AdminSite):
    """The Django admin for superusers and for board administrators (limited to their board)."""

    site_header = _("IB-portaal management")
    site_title = _("IB-portaal management")
    index_title = _("Management")
    # A board that requires its school account refuses passwords here too.
    login_form = PortalAdminAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return user.is_superuser or bool(get_scope(user).admin_board_ids)
