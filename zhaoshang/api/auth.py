"""Two ways in: a bearer token for integrators, or the browser's login session (with CSRF on writes).

The token is tried first because it is not sent by the browser on its own, so it needs no CSRF
check; the session is only consulted when no Authorization header is present.

The login lockout holds here too (zhaoshang/security/lockout.py): a wrong token counts as a failed login
from its address, a locked address is refused before any token is looked up, and a valid token of a locked
account is refused while the lockout lasts. The three administrators (三员) have no business data to read,
so their tokens are refused.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth as DjangoSessionAuth

from zhaoshang.orgs.models import ApiToken, User
from zhaoshang.security import lockout
from zhaoshang.security.audit import client_address
from zhaoshang.security.roles import is_administrator

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
        if lockout.is_address_locked(client_address(request)):
            raise HttpError(429, lockout.lockout_message())
        token = token.strip()
        api_token = (
            ApiToken.objects.select_related("user", "user__unit").filter(key_hash=ApiToken.hash_key(token)).first()
            if token
            else None
        )
        if api_token is None or not api_token.user.is_active:
            # Counted against the address like a wrong password (django-axes, recorded in the audit log).
            user_login_failed.send(sender=TokenAuth, credentials={"username": None, "via": "API令牌"}, request=request)
            raise AuthenticationError(message="API令牌无效或已撤销")
        if lockout.is_account_locked(api_token.user.get_username()):
            raise HttpError(429, lockout.lockout_message())
        if is_administrator(api_token.user):
            raise HttpError(403, "系统管理员、安全管理员和审计管理员不能使用业务接口")
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
