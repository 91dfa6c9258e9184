from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "zhaoshang.periods"
    label = "periods"
    verbose_name = "期间结账"
