from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhaoshang.reports"
    label = "reports"
    verbose_name = "通报与驾驶舱"

    def ready(self) -> None:
        # Publishing lives in assessment (below); the bulletin is frozen with every published run.
        from zhaoshang.assessment import publishing

        from .content import freeze

        if freeze not in publishing.publish_hooks:
            publishing.publish_hooks.append(freeze)
