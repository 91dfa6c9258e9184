"""Closed periods (结账) and the corrections made to them afterwards. Closing is a rule that the
ledger, the daily work and the import all obey, so it sits below them."""

from django.conf import settings
from django.db import models


class PeriodClose(models.Model):
    """结账: a closed period (2024Q1, 2024-03 or 2024). Unit users may no longer write ledger records
    dated in it; an assessor may, with a reason, and the change is kept as a `Correction`."""

    period = models.CharField("期间", max_length=16, unique=True, help_text="2024、2024Q1 或 2024-03")
    label = models.CharField("期间名称", max_length=32)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    note = models.CharField("说明", max_length=300, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结账人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField("结账时间", auto_now_add=True)

    class Meta:
        db_table = "reports_periodclose"  # the table predates the periods app; its name is kept
        verbose_name = verbose_name_plural = "期间结账"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="period_close_end_after_start",
                                   violation_error_message="结束日期不能早于开始日期"),
        ]

    def __str__(self) -> str:
        return self.label


class Correction(models.Model):
    """更正: a write by an assessor to a record dated in a closed period, with the reason. Flagged in
    the next bulletin and in the re-run of a published result."""

    period = models.ForeignKey(PeriodClose, verbose_name="结账期间", on_delete=models.PROTECT,
                               related_name="corrections")
    record = models.CharField("记录类型", max_length=20)  # 项目 / 阶段备案 / 到位资金 / 共享
    action = models.CharField("操作", max_length=10)  # 新增 / 修改 / 删除
    project = models.ForeignKey("ledger.Project", verbose_name="项目", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    project_code = models.CharField("项目编号", max_length=40)
    project_name = models.CharField("项目名称", max_length=200)
    record_date = models.DateField("记录日期")
    summary = models.CharField("内容", max_length=500, blank=True)
    reason = models.TextField("更正理由")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更正人", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("更正时间", auto_now_add=True, db_index=True)

    class Meta:
        db_table = "reports_correction"
        verbose_name = verbose_name_plural = "结账后更正"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="correction_reason_required",
                                   violation_error_message="结账后更正必须填写理由"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.record}{self.action} {self.project_code}"
