from django.conf import settings
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import JsonResponse


class DemoLoginView(LoginView):
    """The login page; in demo mode it lists the demo accounts (password `demo`)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            from zhaoshang.demo.accounts import demo_accounts

            ctx["demo_accounts"] = demo_accounts()
        return ctx


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
