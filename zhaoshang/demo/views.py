"""The login page, which in demo mode lists the demo accounts. It lives in the demo app (the top
layer) because it reads the demo's account list; nothing below imports it."""

from django.conf import settings
from django.contrib.auth.views import LoginView

from .accounts import demo_accounts


class DemoLoginView(LoginView):
    """The login page; in demo mode it lists the demo accounts (password `demo`)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            ctx["demo_accounts"] = demo_accounts()
        return ctx
