from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    label = "chains"
    verbose_name = "产业链与目标企业"
