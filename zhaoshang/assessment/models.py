"""Assessment adjustments (考核调整). The engine itself arrives with the assessment issue."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Adjustment(models.Model):
    """A bonus or deduction for a unit or a person in a year, with the reason and who entered it.
    An item named 一票否决 vetoes the subject in schemes that honour it."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    person = models.ForeignKey(
        "orgs.Person", verbose_name="人员", null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    year = models.PositiveSmallIntegerField("年度")
    item = models.CharField("事项", max_length=100)
    points = models.DecimalField("分值", max_digits=8, decimal_places=2)
    reason = models.TextField("理由")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "考核调整"
        ordering = ["-year", "-entered_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False) & models.Q(person__isnull=True))
                | (models.Q(unit__isnull=True) & models.Q(person__isnull=False)),
                name="adjustment_unit_xor_person",
                violation_error_message="考核调整须指定单位或人员之一",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="adjustment_reason_required",
                                   violation_error_message="考核调整必须填写理由"),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.person} {self.year} {self.item} {self.points:+}"
