"""Spot-checks (抽查复核): the city assessment office draws a weighted sample of the facts that district
assessors passed or verified (分级考核), re-checks each one, and a fact found untrue (不属实) is rejected
and counts as a finding against the district that verified it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhaoshang.ledger.models import MONEY


class SpotCheckResult(models.TextChoices):
    PENDING = "pending", _("待复核")
    ACCURATE = "accurate", _("属实")
    INACCURATE = "inaccurate", _("不属实")


class SpotCheck(models.Model):
    """One draw (抽查): the period, the parameters and everything needed to repeat it exactly — the
    population (fact references in canonical order, with the verifying district and the weight of
    each) and its sha256 digest, and the seed. See `zhaoshang.integrity.sampling` for the method."""

    period = models.CharField(_("期间"), max_length=10)
    label = models.CharField(_("期间名称"), max_length=40)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    rate = models.DecimalField(_("抽查比例"), max_digits=5, decimal_places=4)
    min_per_unit = models.PositiveIntegerField(_("每单位最少抽查数"), default=1)
    seed = models.PositiveBigIntegerField(_("随机种子"))
    # [{"ref": "stage:12", "unit": 3, "weight": 500000000}, …] in canonical order (unit, kind, id).
    population = models.JSONField(_("抽样总体"), default=list)
    # The weights again, one per population entry, as the method's input (integers: 元 × (1 + 疑点数)).
    weights = models.JSONField(_("权重"), default=list)
    population_digest = models.CharField(_("总体摘要（SHA-256）"), max_length=64)
    population_size = models.PositiveIntegerField(_("总体记录数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["population", "weights"])

    class Meta:
        verbose_name = verbose_name_plural = _("抽查复核")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0) & Q(rate__lte=1), name="spotcheck_rate_in_range",
                                   violation_error_message=_("抽查比例应大于0且不超过1")),
        ]

    def __str__(self) -> str:
        return _("%(label)s抽查（种子 %(seed)s）") % {"label": self.label, "seed": self.seed}

    @property
    def rate_percent(self) -> str:
        """0.1 → `10%`."""
        return f"{(self.rate * 100).normalize():f}%"


class SpotCheckItem(models.Model):
    """A sampled fact — a stage filing or a fund arrival, exactly one — with the district that verified
    it and the re-check's result. A fact deleted from the ledger takes its item with it (the history
    keeps the item, and the spot-check's stored population still names the fact)."""

    spot_check = models.ForeignKey(SpotCheck, verbose_name=_("抽查"), on_delete=models.CASCADE, related_name="items")
    stage_record = models.ForeignKey(
        "ledger.StageRecord", verbose_name=_("阶段备案"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="spot_check_items",
    )
    fund_arrival = models.ForeignKey(
        "ledger.FundArrival", verbose_name=_("到位资金"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="spot_check_items",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("核实单位"), on_delete=models.PROTECT, related_name="spot_check_items"
    )
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("区考核办核实人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    amount = models.DecimalField(_("金额(万元)"), **MONEY)
    weight = models.PositiveBigIntegerField(_("权重"))
    open_flags = models.PositiveIntegerField(_("抽取时未处理疑点数"), default=0)
    result = models.CharField(_("复核结果"), max_length=12, choices=SpotCheckResult.choices,
                              default=SpotCheckResult.PENDING, db_index=True)
    reason = models.CharField(_("不属实理由"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    # The Asia/Shanghai date of the result: the findings measure counts by it.
    checked_on = models.DateField(_("复核日期"), null=True, blank=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("抽查记录")
        ordering = ["spot_check_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(stage_record__isnull=False, fund_arrival__isnull=True)
                           | Q(stage_record__isnull=True, fund_arrival__isnull=False)),
                name="spotcheck_item_one_fact",
                violation_error_message=_("抽查记录须对应一条阶段备案或一条到位资金"),
            ),
            models.CheckConstraint(
                condition=~Q(result=SpotCheckResult.INACCURATE) | ~Q(reason=""),
                name="spotcheck_item_reason_required",
                violation_error_message=_("不属实须填写理由"),
            ),
            models.UniqueConstraint(fields=["spot_check", "stage_record"], name="spotcheck_item_stage_once",
                                    condition=Q(stage_record__isnull=False)),
            models.UniqueConstraint(fields=["spot_check", "fund_arrival"], name="spotcheck_item_fund_once",
                                    condition=Q(fund_arrival__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.fact}"

    @property
    def fact(self):
        return self.stage_record if self.stage_record_id else self.fund_arrival

    @property
    def project(self):
        return self.fact.project

    @property
    def fact_label(self) -> str:
        """签约 / 注册 … for a filing, 到位资金（固定资产投资） for an arrival."""
        if self.stage_record_id:
            return self.stage_record.get_stage_display()
        return _("到位资金（%(kind)s）") % {"kind": self.fund_arrival.get_kind_display()}

    @property
    def weight_wan(self) -> Decimal:
        """The weight in 万元 (amount × (1 + open flags)), as shown beside the amount."""
        return Decimal(self.weight) / 10_000

    @property
    def fact_date(self):
        return self.fact.date
