from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "zhaoshang.integrity"
    label = "integrity"
    verbose_name = "核实与督查"

    def ready(self) -> None:
        # The ledger (a lower layer) offers hooks; integrity subscribes here (see ledger/hooks.py).
        from . import hooks  # noqa: F401
