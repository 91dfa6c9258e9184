"""Two ways in: a bearer token for integrators, or the browser's login session (with CSRF on writes).

The token is tried first because it is not sent by the browser on its own, so it needs no CSRF
check; the session is only consulted when no Authorization header is present.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth as DjangoSessionAuth

from zhaoshang.orgs.models import ApiToken, User

# Recording every single use would turn each read into a write; a minute's precision is enough to audit.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header, "")
        if header and header.split(" ")[0].lower() != self.openapi_scheme:
            raise AuthenticationError(message="Authorization 请求头格式应为：Bearer <令牌>")
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        # A bearer header that does not check out is refused outright (401), never passed on to the session:
        # the client meant to use a token, and falling through would only confuse it with a CSRF error.
        token = token.strip()
        api_token = (
            ApiToken.objects.select_related("user", "user__unit").filter(key_hash=ApiToken.hash_key(token)).first()
            if token
            else None
        )
        if api_token is None or not api_token.user.is_active:
            raise AuthenticationError(message="API令牌无效或已撤销")
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        # Selectors, services and django-simple-history's middleware all read request.user.
        request.user = api_token.user
        return api_token.user


class SessionAuth(DjangoSessionAuth):
    """Django's login session, as `ninja.security.django_auth`, CSRF-checked on unsafe methods.

    The CSRF check only runs for a request that has a logged-in session: a client that sent no
    credentials at all is told 401 (log in or send a token), not a puzzling CSRF failure."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


token_auth = TokenAuth()
session_auth = SessionAuth()
API_AUTH = [token_auth, session_auth]
