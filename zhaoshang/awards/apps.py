from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "zhaoshang.awards"
    label = "awards"
    verbose_name = "奖励与追回"
