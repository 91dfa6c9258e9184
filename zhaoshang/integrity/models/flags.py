"""Risk flags (疑点): double counting between units (不得相互抵顶) and packaged projects (借项目、要项目、
临时包装项目), raised by the scan (services/flags.py) and resolved by an assessor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FlagKind(models.TextChoices):
    SAME_INVESTOR = "same_investor", _("同一投资方重复计入")
    PACKAGED_YEAR_END = "packaged_year_end", _("年末突击签约")
    REFILED_EXISTING = "refiled_existing", _("老企业新报")
    REGISTERED_ELSEWHERE = "registered_elsewhere", _("异地注册")
    REGISTRY_UNKNOWN = "registry_unknown", _("工商登记不符：查无此企业")
    REGISTRY_NAME = "registry_name", _("工商登记不符：名称不一致")
    REGISTRY_FOUNDED_AFTER = "registry_founded_after", _("工商登记不符：成立晚于签约")
    REGISTRY_CANCELLED = "registry_cancelled", _("工商登记不符：注销或吊销")


REGISTRY_KINDS = (
    FlagKind.REGISTRY_UNKNOWN,
    FlagKind.REGISTRY_NAME,
    FlagKind.REGISTRY_FOUNDED_AFTER,
    FlagKind.REGISTRY_CANCELLED,
)


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已处理")


class Resolution(models.TextChoices):
    CONFIRMED = "confirmed", _("确认重复")
    EXCLUDED = "excluded", _("排除")
    REJECTED = "rejected", _("不予认定")
    # Set by the scan, not by a person: the data no longer shows the problem (e.g. the USCC was corrected).
    CLEARED = "cleared", _("数据已更正，自动关闭")


class Flag(models.Model):
    """疑点: one finding of the scan about one or more projects, with its reason in plain Chinese and the
    facts behind it. The fingerprint (kind and the projects) is stable, so a rescan neither duplicates a
    flag nor reopens a resolved one."""

    kind = models.CharField(_("疑点类型"), max_length=30, choices=FlagKind.choices)
    fingerprint = models.CharField(_("指纹"), max_length=200, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, db_index=True)
    reason = models.TextField(_("疑点说明"))
    # {"basis": "uscc" | "name" | …, "facts": [{"label": "统一社会信用代码", "values": ["…", "…"]}, …]}:
    # the labelled facts behind the flag, one value per project in the order of its rows.
    evidence = models.JSONField(_("依据"), default=dict, blank=True)
    status = models.CharField(_("处理状态"), max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN,
                              db_index=True)
    resolution = models.CharField(_("处理结果"), max_length=12, choices=Resolution.choices, blank=True)
    resolution_reason = models.CharField(_("处理理由"), max_length=500, blank=True)
    kept_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("保留计入单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kept_project = models.ForeignKey(
        "ledger.Project", verbose_name=_("保留计入项目"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # [{"unit_id": …, "unit": "名称", "ratio": "0.5"}, …] when 确认重复 splits the project by agreed shares
    split = models.JSONField(_("分成比例"), default=list, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近扫描发现时间"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_seen_at"])

    class Meta:
        verbose_name = verbose_name_plural = _("疑点")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "status"], name="flag_kind_status"),
            # The list's order (selectors.flags.PAGE_ORDER): a page of a province's half million flags is read
            # from the index's top instead of sorting them all.
            models.Index(fields=["status", "-year", "-created_at", "-id"], name="flag_page"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.reason[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN


class FlagProject(models.Model):
    """One project of a flag, with the unit it was counted for when the flag was raised."""

    flag = models.ForeignKey(Flag, verbose_name=_("疑点"), on_delete=models.CASCADE, related_name="rows")
    project = models.ForeignKey("ledger.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="integrity_flag_rows")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("疑点项目")
        ordering = ["flag", "position"]
        constraints = [models.UniqueConstraint(fields=["flag", "project"], name="flag_project_once")]

    def __str__(self) -> str:
        return f"{self.flag_id}:{self.project_id}"
