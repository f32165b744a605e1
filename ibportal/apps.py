from django.contrib.admin.apps import AdminConfig


class IbportalAdminConfig(AdminConfig):
    """The Django admin, opened to board administrators as well as superusers."""

    default_site = "ibportal.admin_site.IbAdminSite"
