from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """The standard exchange workbook (标准数据交换工作簿): template, import, export, error workbooks."""

    name = "zhaoshang.exchange"
    label = "exchange"
    verbose_name = "数据交换"
    default_auto_field = "django.db.models.BigAutoField"
