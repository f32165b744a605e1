"""The provider's claims: e-mail and whether it is verified; and two ways to misbehave, chosen
by the client ID the portal uses, so one running provider serves every test:

- ``portal-wrong-audience``: the ID token's audience is another application;
- ``portal-expired``: the ID token expired an hour ago.
"""

from datetime import timedelta

from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator

WRONG_AUDIENCE = "portal-wrong-audience"
EXPIRED = "portal-expired"


class TestValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email_verified": "email"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            # A user whose last name is "Unverified" has an address the school never checked.
            "email_verified": user.last_name != "Unverified",
            "name": user.get_full_name(),
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        client_id = request.client.client_id
        if client_id == WRONG_AUDIENCE:
            claims["aud"] = "another-application"
        elif client_id == EXPIRED:
            past = timezone.now() - timedelta(hours=2)
            claims["iat"] = int(past.timestamp())
            claims["exp"] = int((past + timedelta(hours=1)).timestamp())
        return claims, expiration_time
