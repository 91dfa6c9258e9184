"""Assessment: adjustments (考核调整), schemes, runs and manual scores."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Adjustment(models.Model):
    """A bonus or deduction for a unit or a person in a year, with the reason and who entered it.
    An item named 一票否决 vetoes the subject in schemes that honour it."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    person = models.ForeignKey(
        "orgs.Person", verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="adjustments",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    item = models.CharField(_("事项"), max_length=100)
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    reason = models.TextField(_("理由"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("考核调整")
        ordering = ["-year", "-entered_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False) & models.Q(person__isnull=True))
                | (models.Q(unit__isnull=True) & models.Q(person__isnull=False)),
                name="adjustment_unit_xor_person",
                violation_error_message=_("考核调整须指定单位或人员之一"),
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="adjustment_reason_required",
                                   violation_error_message=_("考核调整必须填写理由")),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.person} {self.year} {self.item} {self.points:+}"


class Scheme(models.Model):
    """考核方案: a scheme's TOML text, stored by key and version with its hash. A new edit is a new
    version; runs keep their own copy of the text, so an old result never depends on a later edit."""

    key = models.CharField(_("方案编码"), max_length=64)
    name = models.CharField(_("方案名称"), max_length=200)
    version = models.PositiveIntegerField(_("版本"), default=1)
    text = models.TextField(_("方案内容(TOML)"))
    sha256 = models.CharField(_("哈希"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("考核方案")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="scheme_key_version",
                                    violation_error_message=_("该方案的此版本已存在")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.key} v{self.version}）"


class AssessmentRun(models.Model):
    """考核结果: one run of a scheme for a period and as-of date, with the scheme text, its hash, the
    measured inputs and the results. A published run never changes."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("方案"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="runs")
    scheme_key = models.CharField(_("方案编码"), max_length=64)
    scheme_name = models.CharField(_("方案名称"), max_length=200)
    scheme_text = models.TextField(_("方案内容"))
    scheme_sha256 = models.CharField(_("方案哈希"), max_length=64)
    period = models.CharField(_("考核期间"), max_length=16, help_text=_("2023、2023Q2 或 2023-05"))
    period_label = models.CharField(_("期间名称"), max_length=32)
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    as_of = models.DateField(_("截止日期"))
    group = models.CharField(_("组别"), max_length=64, blank=True)
    results = models.JSONField(_("结果"), default=dict)
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("运行人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("运行时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("考核结果")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scheme_name} {self.period_label}（截至{self.as_of:%Y-%m-%d}）"


class ManualScore(models.Model):
    """人工评分: points an assessor enters for a manual item of a scheme, for one subject and period,
    within the item's range and with a reason; every change is kept in history."""

    scheme_key = models.CharField(_("方案编码"), max_length=64)
    period = models.CharField(_("考核期间"), max_length=16)
    item_key = models.CharField(_("指标"), max_length=64)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="manual_scores")
    person = models.ForeignKey("orgs.Person", verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="manual_scores")
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    reason = models.TextField(_("理由"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("人工评分")
        ordering = ["scheme_key", "period", "item_key"]
        constraints = [
            models.UniqueConstraint(fields=["scheme_key", "period", "item_key", "unit", "person"],
                                    name="manual_score_once",
                                    violation_error_message=_("该对象该指标的人工评分已存在")),
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False) & models.Q(person__isnull=True))
                | (models.Q(unit__isnull=True) & models.Q(person__isnull=False)),
                name="manual_score_unit_xor_person", violation_error_message=_("人工评分须指定单位或人员之一"),
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="manual_score_reason_required",
                                   violation_error_message=_("人工评分必须填写理由")),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_key} {self.period} {self.item_key} {self.unit or self.person} {self.points}"
