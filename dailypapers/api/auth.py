"""Bearer-token authentication for the API's writes (personal tokens from /settings/tokens).

Reads are public and never look at the Authorization header, so a huggingface.co token sent by the HF client on
a read is simply ignored. The token itself is never logged.
"""

from __future__ import annotations

from ninja.security import HttpBearer

from dailypapers.api.services import token_user


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token (create one at /settings/tokens), sent as `Authorization: Bearer`."

    def authenticate(self, request, token: str):
        user = token_user(secret=token.strip())
        if user is not None:
            request.user = user
        return user
