from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "zhaoshang.security"
    label = "security"
    verbose_name = _("安全管理")

    def ready(self):
        # Signal receivers (logins, failures, lockouts, role changes, admin actions) and the deploy checks.
        from . import checks, signals  # noqa: F401
