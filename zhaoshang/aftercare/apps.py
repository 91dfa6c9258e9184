"""产出与服务: what a project yields after production, investor requests, aftercare, talent and
projects run in Beijing (issue 15)."""
from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "zhaoshang.aftercare"
    label = "aftercare"
    verbose_name = "产出与服务"

    def ready(self) -> None:
        # Overdue investor requests join `zhaoshang remind` and the reminders page (activities' hook).
        from zhaoshang.activities import reminders

        from .selectors import overdue_reminders

        if overdue_reminders not in reminders.reminder_providers:
            reminders.reminder_providers.append(overdue_reminders)
