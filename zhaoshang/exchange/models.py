"""Import jobs: a workbook being imported in the background, with progress the page polls."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One upload of the standard workbook: who, which file, how far, and what went wrong."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("有错误")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.CASCADE,
                             related_name="import_jobs")
    file = models.CharField(_("文件"), max_length=500)
    original_name = models.CharField(_("原文件名"), max_length=255)
    dry_run = models.BooleanField(_("试导入"), default=False)
    correction_reason = models.CharField(_("更正理由"), max_length=300, blank=True)  # for closed periods (结账)
    verified = models.BooleanField(_("直接认定"), default=False)  # an assessor's import of a checked ledger
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField(_("已处理行数"), default=0)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    errors_file = models.CharField(_("错误工作簿"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.FAILED):
            return 100
        return min(99, int(self.progress * 100 / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
