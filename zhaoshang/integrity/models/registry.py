"""Registry extracts (工商登记信息) from 市场监管, imported so that investors are checked before they count
(工商注册登记查询前置)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryImport(models.Model):
    """One imported extract: who brought it in, when, from which file, how many rows."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    row_count = models.PositiveIntegerField(_("行数"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("工商登记导入")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return _("%(name)s（%(rows)s行）") % {"name": self.file_name, "rows": self.row_count}


class RegistryEntry(models.Model):
    """企业登记信息 as 市场监管 reports it. One row per USCC; a later import replaces the row."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    authority = models.CharField(_("登记机关"), max_length=200, blank=True)
    capital = models.CharField(_("注册资本"), max_length=100, blank=True)
    status = models.CharField(_("登记状态"), max_length=50, blank=True)
    batch = models.ForeignKey(RegistryImport, verbose_name=_("导入批次"), on_delete=models.CASCADE,
                              related_name="entries")
    # An enterprise may have been founded before 1949 (core/dates.py refuses such dates elsewhere).
    any_date_fields = ("founded_on",)

    class Meta:
        verbose_name = verbose_name_plural = _("工商登记信息")
        ordering = ["uscc"]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"

    @property
    def is_cancelled(self) -> bool:
        return any(word in self.status for word in ("注销", "吊销"))
