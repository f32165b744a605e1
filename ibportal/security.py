"""The client's address for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

The function lives in ``core.network`` so the apps' security events read the address the same
way; it is named here for the settings and the password-reset view.
"""

from core.network import client_ip

__all__ = ["client_ip"]
