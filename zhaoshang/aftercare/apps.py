from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "zhaoshang.aftercare"
    label = "aftercare"
    verbose_name = "产出与服务"
