from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "zhaoshang.assessment"
    label = "assessment"
    verbose_name = "考核"

    def ready(self) -> None:
        from zhaoshang.activities import quotas

        from .quotas import scheme_visit_quotas

        if scheme_visit_quotas not in quotas.visit_quota_providers:
            quotas.visit_quota_providers.append(scheme_visit_quotas)
