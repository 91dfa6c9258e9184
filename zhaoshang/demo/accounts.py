"""The demo accounts shown on the login page in demo mode (password `demo`)."""

from zhaoshang.orgs.models import User

DEMO_PASSWORD = "demo"


def demo_accounts() -> list[dict]:
    rows = []
    for user in User.objects.filter(is_active=True).select_related("unit").order_by("id")[:200]:
        unit = user.unit.name if user.unit else ""
        rows.append({"username": user.username, "role": user.get_role_display(), "unit": unit})
    return rows
