"""Annual targets per unit and indicator (签约金额, 到位资金 …), read by the assessment schemes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Target(models.Model):
    """目标: the value a unit must reach for an indicator in a year (amounts in 万元, counts as numbers)."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.CharField(_("指标"), max_length=50)
    value = models.DecimalField(_("目标值"), max_digits=18, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("目标")
        ordering = ["year", "unit__code", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "indicator"], name="target_unit_year_indicator",
                                    violation_error_message=_("该单位该年度该指标的目标已存在")),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_value_not_negative",
                                   violation_error_message=_("目标值不能为负数")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.indicator}"
