"""A real OpenID Connect provider for the SSO tests: django-oauth-toolkit in OIDC mode, its own
small Django project, started as a second process by ``fixture.oidc_provider``."""
