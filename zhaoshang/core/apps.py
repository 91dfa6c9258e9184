from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Every model is loaded by now: give each text and date field the rules every write path obeys.
        from . import dates, text

        text.install_model_validators()
        dates.install_model_validators()
