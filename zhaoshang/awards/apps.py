"""奖励与追回: award catalogue, nominations, review, public notice, decision, payout and clawback (issue 13)."""
from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "zhaoshang.awards"
    label = "awards"
    verbose_name = "奖励与追回"

    def ready(self) -> None:
        # activities (a lower layer) offers the reminder hook; awards subscribes here.
        from . import hooks  # noqa: F401
