"""奖励与追回 (issue 13): the award catalogue of a year, nominations from published runs (or by hand),
the three offices' review, the 公示, the 领导小组 decision, and the clawback when a fact behind an award
is later rejected. Money here is in 元 (the catalogue's award amounts), as the payout list pays it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    AwardKind,
    AwardRule,
    ClawbackStatus,
    NominationSource,
    NominationStatus,
    ReviewOffice,
    ThresholdOn,
    Verdict,
)

USER = settings.AUTH_USER_MODEL
DEFAULT_ISSUER = "招商引资和项目建设服务领导小组"


class Catalogue(models.Model):
    """奖项目录: the awards of one year and how they are published."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=200)
    issuer = models.CharField(_("决定机关"), max_length=100, default=DEFAULT_ISSUER)
    office = models.CharField(_("公示发布单位"), max_length=100, default=DEFAULT_ISSUER + "办公室")
    notice_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    objection_channel = models.TextField(
        _("异议受理渠道"),
        default="公示期内，对拟表彰对象有异议的，请以书面形式向领导小组办公室反映（联系电话：0000-0000000）。")
    created_by = models.ForeignKey(USER, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("奖项目录")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class AwardItem(models.Model):
    """One award of the catalogue: its kind, name, rule (count, grade or threshold), amount and the
    schemes whose published runs it draws on."""

    catalogue = models.ForeignKey(Catalogue, verbose_name=_("奖项目录"), on_delete=models.CASCADE,
                                  related_name="items")
    kind = models.CharField(_("奖项类别"), max_length=16, choices=AwardKind.choices)
    name = models.CharField(_("奖项名称"), max_length=100)
    rule = models.CharField(_("评选规则"), max_length=16, choices=AwardRule.choices, default=AwardRule.TOP_N)
    count = models.PositiveSmallIntegerField(_("每组名额"), null=True, blank=True)
    grade = models.CharField(_("等次或荣誉"), max_length=20, blank=True,
                             help_text=_("按等次评选时填等次（如 优秀）；按方案评定的荣誉时填荣誉名称（如 先进个人）"))
    threshold_on = models.CharField(_("门槛依据"), max_length=16, choices=ThresholdOn.choices, blank=True)
    threshold_item = models.CharField(_("门槛指标"), max_length=64, blank=True,
                                      help_text=_("方案中指标的键，如 funds"))
    threshold = models.DecimalField(_("门槛值"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("奖励金额（元）"), max_digits=12, decimal_places=2)
    scheme_keys = models.CharField(_("依据方案"), max_length=300, blank=True,
                                   help_text=_("方案编码，多个用逗号分隔，如 huaiyin-2020"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("奖项")
        ordering = ["catalogue", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="award_item_amount_not_negative",
                                   violation_error_message=_("奖励金额不能为负数")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.name}"

    @property
    def schemes(self) -> list[str]:
        return [k.strip() for k in self.scheme_keys.replace("，", ",").split(",") if k.strip()]


class Notice(models.Model):
    """公示: N working days from the start date (the start not counted), with its 文号."""

    catalogue = models.ForeignKey(Catalogue, verbose_name=_("奖项目录"), on_delete=models.PROTECT,
                                  related_name="notices")
    doc_no = models.CharField(_("文号"), max_length=100)
    start_on = models.DateField(_("公示开始日期"))
    days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    end_on = models.DateField(_("公示截止日期"))
    created_by = models.ForeignKey(USER, verbose_name=_("发布人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("公示")
        ordering = ["-start_on", "-id"]

    def __str__(self) -> str:
        return f"{self.catalogue.year}年度奖励公示（{self.doc_no}）"


class Decision(models.Model):
    """领导小组 decision (表彰决定) with its 文号."""

    catalogue = models.ForeignKey(Catalogue, verbose_name=_("奖项目录"), on_delete=models.PROTECT,
                                  related_name="decisions")
    doc_no = models.CharField(_("文号"), max_length=100)
    decided_on = models.DateField(_("决定日期"))
    issuer = models.CharField(_("决定机关"), max_length=100)
    created_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("表彰决定")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.issuer}表彰决定（{self.doc_no}）"


class Nomination(models.Model):
    """提名: a unit or person for one award, from a published run's result (or by hand with a reason)."""

    item = models.ForeignKey(AwardItem, verbose_name=_("奖项"), on_delete=models.PROTECT, related_name="nominations")
    run = models.ForeignKey("assessment.AssessmentRun", verbose_name=_("考核结果"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="nominations")
    source = models.CharField(_("来源"), max_length=10, choices=NominationSource.choices)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="award_nominations")
    person = models.ForeignKey("orgs.Person", verbose_name=_("人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="award_nominations")
    subject_key = models.CharField(_("对象"), max_length=40, editable=False)
    subject_name = models.CharField(_("表彰对象"), max_length=200)
    group = models.CharField(_("组别"), max_length=64, blank=True)
    total = models.DecimalField(_("总得分"), max_digits=10, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("组内名次"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=20, blank=True)
    basis = models.TextField(_("提名依据"))
    status = models.CharField(_("状态"), max_length=12, choices=NominationStatus.choices,
                              default=NominationStatus.REVIEW)
    status_reason = models.TextField(_("状态说明"), blank=True)
    notice = models.ForeignKey(Notice, verbose_name=_("公示"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="nominations")
    decision = models.ForeignKey(Decision, verbose_name=_("表彰决定"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="nominations")
    created_by = models.ForeignKey(USER, verbose_name=_("提名人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提名时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("奖励提名")
        ordering = ["item__order", "item_id", "group", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "subject_key"], name="nomination_once_per_award",
                                    violation_error_message=_("该对象已被提名此奖项")),
            models.CheckConstraint(condition=~models.Q(basis=""), name="nomination_basis_required",
                                   violation_error_message=_("提名必须写明依据")),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}·{self.item.name}"

    @property
    def amount(self):
        return self.item.amount


class Review(models.Model):
    """审核意见 of 招商办, 考核办 or 审计局: one per office and nomination (a later opinion replaces it;
    the history keeps every one)."""

    nomination = models.ForeignKey(Nomination, verbose_name=_("提名"), on_delete=models.CASCADE,
                                   related_name="reviews")
    office = models.CharField(_("审核单位"), max_length=12, choices=ReviewOffice.choices)
    verdict = models.CharField(_("意见"), max_length=10, choices=Verdict.choices)
    reason = models.TextField(_("理由"), blank=True)
    signed_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    signed_at = models.DateTimeField(_("登记时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("审核意见")
        ordering = ["nomination", "office"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "office"], name="review_once_per_office",
                                    violation_error_message=_("该单位已登记审核意见")),
        ]

    def __str__(self) -> str:
        return f"{self.get_office_display()}：{self.get_verdict_display()}"


class Objection(models.Model):
    """公示期间的异议: what was received and how it was resolved."""

    nomination = models.ForeignKey(Nomination, verbose_name=_("提名"), on_delete=models.CASCADE,
                                   related_name="objections")
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    resolution = models.TextField(_("处理结果"), blank=True)
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_by = models.ForeignKey(USER, verbose_name=_("处理人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("公示异议")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.nomination} 异议（{self.received_on}）"


class Clawback(models.Model):
    """追回: a fact behind an award was later rejected; re-run without it, the award is no longer earned.
    Proposed by the system, confirmed (or dismissed) by an assessor, then the recovery and the referral
    to 纪委监委 are recorded."""

    nomination = models.ForeignKey(Nomination, verbose_name=_("奖励"), on_delete=models.PROTECT,
                                   related_name="clawbacks")
    fact_kind = models.CharField(_("事实类型"), max_length=16)
    fact_id = models.PositiveBigIntegerField(_("事实编号"))
    fact_label = models.CharField(_("被否定的事实"), max_length=300)
    fact_reason = models.TextField(_("否定理由"), blank=True)
    explanation = models.TextField(_("重新计算结果"))
    amount = models.DecimalField(_("应追回金额（元）"), max_digits=12, decimal_places=2)
    status = models.CharField(_("状态"), max_length=10, choices=ClawbackStatus.choices,
                              default=ClawbackStatus.PROPOSED)
    note = models.TextField(_("确认意见"), blank=True)
    confirmed_by = models.ForeignKey(USER, verbose_name=_("确认人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    recovered_amount = models.DecimalField(_("已追回金额（元）"), max_digits=12, decimal_places=2, null=True,
                                           blank=True)
    recovered_on = models.DateField(_("追回日期"), null=True, blank=True)
    receipt_no = models.CharField(_("收款凭证号"), max_length=100, blank=True)
    referral_on = models.DateField(_("移送纪委监委日期"), null=True, blank=True)
    referral_doc_no = models.CharField(_("移送文号"), max_length=100, blank=True)
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("奖励追回")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "fact_kind", "fact_id"], name="clawback_once_per_fact",
                                    violation_error_message=_("该事实的追回建议已存在")),
        ]

    def __str__(self) -> str:
        return f"追回：{self.nomination}（{self.fact_label}）"
