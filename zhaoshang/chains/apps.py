"""产业链与目标企业: industry chains, task forces, target enterprises, the pipeline and the meetings
that drive them (issue 14)."""
from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    label = "chains"
    verbose_name = "产业链与目标企业"

    def ready(self) -> None:
        # The ledger and activities (lower layers) offer hooks; chains subscribes here (see chains/hooks.py).
        from . import hooks  # noqa: F401
