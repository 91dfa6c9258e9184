"""The one authentication backend: django-axes' lockout check, then Django's username and password check.

A locked account or address is refused before its password is even compared. A login with the demo
password outside demo mode succeeds but must change the password at once (the demo keeps `demo` only in
demo mode). The user is loaded with its security state and unit in one query on every request.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import passwords


class LockoutBackend(AxesStandaloneBackend, ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            # A login without a request (Django's test client, a shell) has no address to count failures by.
            try:
                AxesStandaloneBackend.authenticate(self, request, username=username, password=password, **kwargs)
            except AxesBackendPermissionDenied:
                request.zs_refused_while_locked = True
                raise
        user = ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)
        if user is not None and password == settings.DEMO_PASSWORD and not settings.DEMO_MODE:
            passwords.require_change(user)
        return user

    def get_user(self, user_id):
        user = (get_user_model()._default_manager.select_related("security", "unit").filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None
