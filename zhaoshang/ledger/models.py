"""The project ledger (招商项目台账): projects, their sharing between units, stage filings and
funds in place. Every model keeps full history (django-simple-history)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhaoshang.core.uscc import validate_uscc

from .choices import (
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    STATUSES_NEEDING_REASON,
    BuildKind,
    CreditRole,
    EvidenceKind,
    FundKind,
    Section,
    ShareChangeStatus,
    ShareConsent,
    Stage,
    Status,
    Verification,
)

MONEY = {"max_digits": 18, "decimal_places": 4}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"), message=_("金额不能为负数"))]


def validate_positive(value: Decimal) -> None:
    from django.core.exceptions import ValidationError

    if value is not None and value <= 0:
        raise ValidationError(_("金额必须大于0"), code="not_positive")


def _after(later: str, earlier: str) -> Q:
    return Q(**{f"{later}__isnull": True}) | Q(**{f"{earlier}__isnull": True}) | Q(**{f"{later}__gte": F(earlier)})


# History rows are read by the row's id, by date and (filings, funds) by project — never by who filed, checked or
# recorded them, nor by their verification state: those columns carry no index in the history tables (each index
# is written with every history row; a 100k-project import writes half a million of them).
HISTORY_UNQUERIED_VERIFICATION = ["verification", "preliminary_by", "reviewed_by", "verified_by"]


class Project(models.Model):
    """An investment project from negotiation to production, credited to its introducing unit
    (引资单位) or, when shared, to several units by ratio."""

    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.CharField(_("投资方"), max_length=200)
    investor_uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc], db_index=True
    )
    investor_origin = models.CharField(_("投资方来源地"), max_length=100, blank=True)
    industry = models.CharField(_("所属产业"), max_length=100, blank=True)
    industry_chain = models.CharField(_("产业链"), max_length=100, blank=True)
    # 行业门类: a GB/T 4754-2017 section letter, "" while 待归类 (an office classifies it, in bulk from the ledger).
    category = models.CharField(_("行业门类"), max_length=20, choices=Section.choices, blank=True, default="")
    # 新建/扩建/续建 and the investor's tags (世界500强, 上市 …, stored "|code|code|": ledger.choices.tags_to_field),
    # so a scheme can count or sum by them (issue 14).
    build_kind = models.CharField(_("建设性质"), max_length=12, choices=BuildKind.choices, blank=True, default="")
    investor_tags = models.CharField(_("投资方标签"), max_length=120, blank=True, default="")
    is_four_power = models.BooleanField(_("是否四力型"), default=False)
    is_foreign = models.BooleanField(_("是否外资"), default=False)
    foreign_amount = models.DecimalField(_("外资金额(万美元)"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY)
    planned_investment = models.DecimalField(
        _("计划总投资(万元)"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )
    signed_amount = models.DecimalField(_("签约金额(万元)"), default=Decimal("0"), validators=NOT_NEGATIVE, **MONEY)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    signed_at_event = models.ForeignKey(
        "activities.PromotionEvent", verbose_name=_("签约活动"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="projects",
    )
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    # Denormalised from the dates above by `refresh_stage()` so the ledger filters on one indexed column.
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.NONE, editable=False)
    status = models.CharField(_("项目状态"), max_length=20, choices=Status.choices, default=Status.NEGOTIATING)
    status_reason = models.CharField(_("状态原因"), max_length=300, blank=True)
    # No index of its own: the (lead_unit, signed_on) index below starts with it (one index less per write).
    lead_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("引资单位"), on_delete=models.PROTECT, related_name="introduced_projects",
        db_index=False,
    )
    introducer = models.ForeignKey(
        "orgs.Person", verbose_name=_("引资人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="introduced_projects",
    )
    assisting_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("帮办单位"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assisted_projects",
    )
    assisting_secretary = models.ForeignKey(
        "orgs.Person", verbose_name=_("帮办秘书"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assisted_projects",
    )
    # The date each stage's filing was verified (已认定), kept in step by the verification services;
    # None while the filing is not verified. Measures under `basis = "verified"` filter on these.
    signed_verified_on = models.DateField(_("签约认定日期"), null=True, blank=True, editable=False)
    registered_verified_on = models.DateField(_("注册认定日期"), null=True, blank=True, editable=False)
    started_verified_on = models.DateField(_("开工认定日期"), null=True, blank=True, editable=False)
    completed_verified_on = models.DateField(_("竣工认定日期"), null=True, blank=True, editable=False)
    producing_verified_on = models.DateField(_("投产认定日期"), null=True, blank=True, editable=False)
    # Optimistic locking: every save increments it; a save from an older version is refused.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    # The verified dates are derived from the filings, whose own history keeps every verification step.
    history = HistoricalRecords(excluded_fields=["updated_at", "signed_verified_on", "registered_verified_on",
                                                 "started_verified_on", "completed_verified_on",
                                                 "producing_verified_on"],
                                no_db_index=["code", "investor_uscc", "lead_unit", "introducer", "assisting_unit",
                                             "assisting_secretary", "signed_at_event", "created_by"])

    class Meta:
        verbose_name = verbose_name_plural = _("项目")
        ordering = ["-signed_on", "-id"]
        indexes = [
            # A unit's projects in the ledger's order, with the signed amount: a unit user's count, sum and
            # first page are read from this index alone (PostgreSQL: an index-only scan; the (lead_unit,
            # signed_on) index it replaced sent every row to the table, one page read per project at 2M).
            models.Index(fields=["lead_unit", "signed_on", "id", "signed_amount"], name="project_unit_cover"),
            # The ledger's own order, so PostgreSQL pages (deep OFFSET) by walking this index instead of
            # sorting every project; it also serves every signed_on range (it replaced the index on
            # signed_on alone). SQLite got this from its rowid-covering index, PostgreSQL has none.
            models.Index(fields=["-signed_on", "-id"], name="project_signed_desc"),
            # The live projects of a range of days summed by unit from the index alone: the province cockpit's
            # days of the current month (ledger.summary; 361 → 25 ms at 2M). Without `id` on purpose: with it,
            # PostgreSQL preferred reading a whole year from this index to looking up a county's few thousand
            # projects by id (the unit user's cockpit 0.6 → 0.75 s).
            models.Index(fields=["signed_on"], name="project_live_signed_cover", condition=~Q(status="terminated"),
                         include=["lead_unit", "signed_amount", "is_foreign", "foreign_amount"]),
            models.Index(fields=["stage"]),
            models.Index(fields=["status"]),
            models.Index(fields=["category"]),
            # A unit's projects waiting for a section (待归类), counted on every ledger page
            models.Index(fields=["lead_unit"], condition=Q(category=""), name="project_unit_unclassified"),
            models.Index(fields=["signed_amount"]),
            # Projects without progress (activities.reminders: 在谈 not updated, 签约 not registered), counted on
            # every user's daily-work start page: at 2,000,000 projects each count read the whole table (0.6 s).
            # (The condition as two tests, not NOT IN: PostgreSQL writes NOT IN back differently from how it
            # reads it, and the bulk load recreates indexes from their own definitions, core.bulkindexes.)
            models.Index(fields=["stage", "signed_on", "updated_at"], name="project_stale",
                         condition=~Q(status="terminated") & ~Q(status="lost")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(signed_amount__gte=0), name="project_signed_amount_not_negative",
                                   violation_error_message=_("签约金额不能为负数")),
            models.CheckConstraint(condition=Q(planned_investment__isnull=True) | Q(planned_investment__gte=0),
                                   name="project_planned_not_negative",
                                   violation_error_message=_("计划总投资不能为负数")),
            models.CheckConstraint(condition=Q(foreign_amount__isnull=True) | Q(foreign_amount__gte=0),
                                   name="project_foreign_not_negative",
                                   violation_error_message=_("外资金额不能为负数")),
            models.CheckConstraint(condition=_after("started_on", "registered_on"),
                                   name="project_started_after_registered",
                                   violation_error_message=_("开工日期不能早于注册日期")),
            models.CheckConstraint(condition=_after("completed_on", "started_on"),
                                   name="project_completed_after_started",
                                   violation_error_message=_("竣工日期不能早于开工日期")),
            models.CheckConstraint(condition=_after("producing_on", "completed_on"),
                                   name="project_producing_after_completed",
                                   violation_error_message=_("投产日期不能早于竣工日期")),
            models.CheckConstraint(
                condition=~Q(status__in=[s.value for s in STATUSES_NEEDING_REASON]) | ~Q(status_reason=""),
                name="project_status_reason_required",
                violation_error_message=_("状态为停滞、终止或流失时必须填写原因"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        # Name the offending field (not just "constraint violated") so forms and the API can point at it.
        order = [("registered_on", _("注册日期")), ("started_on", _("开工日期")), ("completed_on", _("竣工日期")),
                 ("producing_on", _("投产日期"))]
        last_name, last_date = None, None
        for field, label in order:
            value = getattr(self, field)
            if value is None:
                continue
            if last_date is not None and value < last_date:
                errors[field] = _("%(date_name)s（%(date)s）不能早于%(earlier_name)s（%(earlier_date)s）") % {
                    "date_name": label, "date": f"{value:%Y-%m-%d}",
                    "earlier_name": last_name, "earlier_date": f"{last_date:%Y-%m-%d}",
                }
            last_name, last_date = label, value
        if self.status in STATUSES_NEEDING_REASON and not self.status_reason.strip():
            errors["status_reason"] = _("状态为停滞、终止或流失时必须填写原因")
        if self.foreign_amount and not self.is_foreign:
            errors["foreign_amount"] = _("非外资项目不应填写外资金额")
        if self.stage_dates_without_signing():
            errors["signed_on"] = _("已填写阶段日期的项目必须有签约日期")
        if errors:
            raise ValidationError(errors)

    @property
    def investor_tag_labels(self) -> list[str]:
        """The investor's tags as people read them (世界500强、上市)."""
        from .choices import InvestorTag, tags_from_field

        labels = dict(InvestorTag.choices)
        return [str(labels[code]) for code in tags_from_field(self.investor_tags) if code in labels]

    def stage_dates_without_signing(self) -> bool:
        return self.signed_on is None and any(
            getattr(self, f) for f in ("registered_on", "started_on", "completed_on", "producing_on")
        )

    def computed_stage(self) -> str:
        reached = Stage.NONE
        for stage in STAGE_ORDER[1:]:
            if getattr(self, STAGE_DATE_FIELD[stage]) is not None:
                reached = stage
        return reached

    def refresh_stage(self) -> None:
        self.stage = self.computed_stage()

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(Stage(self.stage))


class ProjectShare(models.Model):
    """共享: a project credited to several units. The ratios of one project sum to 1 (checked by the
    service, since a constraint cannot span rows); without shares the introducing unit holds it whole."""

    # No index of its own: the (project, unit) unique constraint's index starts with it.
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="shares",
                                db_index=False)
    # Indexed with the project id (share_unit_project below), not alone: a unit user's list reads its shared
    # projects' ids from that index without visiting the share rows (a county's ~1,000 shares at 2,000,000
    # projects were ~850 scattered heap pages on every ledger page).
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="project_shares", db_index=False
    )
    ratio = models.DecimalField(_("比例"), max_digits=7, decimal_places=6)
    # Bozhou's 共享机制 shares tax too: by `ratio` unless the places agreed a separate tax ratio (None = same).
    tax_ratio = models.DecimalField(_("税收分成比例"), max_digits=7, decimal_places=6, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("项目共享")
        ordering = ["project_id", "-ratio"]
        indexes = [models.Index(fields=["unit", "project"], name="share_unit_project")]
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], name="share_project_unit",
                                    violation_error_message=_("同一单位在该项目中只能有一条共享比例")),
            models.CheckConstraint(condition=Q(ratio__gt=0) & Q(ratio__lte=1), name="share_ratio_in_range",
                                   violation_error_message=_("共享比例必须大于0且不超过1")),
            models.CheckConstraint(condition=Q(tax_ratio__isnull=True) | (Q(tax_ratio__gte=0) & Q(tax_ratio__lte=1)),
                                   name="share_tax_ratio_in_range",
                                   violation_error_message=_("税收分成比例必须在0到1之间")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.ratio}"


class ShareChange(models.Model):
    """共享变更待确认: a unit may not change another unit's figures on its own. A change of a project's
    shares that gives, alters or takes away the share of a unit outside the writer's units waits here
    until that unit (a user who may edit it) or an assessor confirms it; only then does it replace the
    project's shares (`ProjectShare`, the only shares any figure counts). Until then the project keeps
    the shares it had. Changes between the writer's own units, and an assessor's, apply at once."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="share_changes")
    status = models.CharField(_("状态"), max_length=12, choices=ShareChangeStatus.choices,
                              default=ShareChangeStatus.PENDING, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    correction_reason = models.CharField(_("更正理由"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("共享变更")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_status_display()}"


class ShareChangeLine(models.Model):
    """One unit's share in a `ShareChange`: its new ratio (0: the unit's share is taken away) and, for a
    unit outside the proposer's units, its consent."""

    change = models.ForeignKey(ShareChange, verbose_name=_("共享变更"), on_delete=models.CASCADE,
                               related_name="lines")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    ratio = models.DecimalField(_("比例"), max_digits=7, decimal_places=6)
    previous_ratio = models.DecimalField(_("原比例"), max_digits=7, decimal_places=6, default=Decimal("0"))
    consent = models.CharField(_("确认情况"), max_length=12, choices=ShareConsent.choices,
                               default=ShareConsent.NOT_NEEDED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("意见"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("共享变更明细")
        ordering = ["change_id", "-ratio", "id"]
        constraints = [
            models.UniqueConstraint(fields=["change", "unit"], name="share_change_line_once",
                                    violation_error_message=_("同一单位在一次共享变更中只能出现一次")),
            models.CheckConstraint(condition=Q(ratio__gte=0) & Q(ratio__lte=1), name="share_change_ratio_in_range",
                                   violation_error_message=_("共享比例必须在0到1之间")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.ratio}"


class Verifiable(models.Model):
    """A fact that counts only once verified (核实认定): its state and who took each step, when.
    Every step is also a row in the fact's history."""

    verification = models.CharField(_("核实状态"), max_length=12, choices=Verification.choices,
                                    default=Verification.PENDING, db_index=True)
    verification_reason = models.CharField(_("退回或不予认定理由"), max_length=500, blank=True)
    preliminary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("初审人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    preliminary_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认定人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    # The Asia/Shanghai date of 已认定: a run counts the fact when this is on or before its as-of date.
    verified_on = models.DateField(_("认定日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最近处理人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("最近处理时间"), null=True, blank=True)

    class Meta:
        abstract = True


class StageRecord(Verifiable):
    """备案: the filing of a stage (签约, 注册, 开工, 竣工, 投产) with its date, who filed it, evidence and
    its verification."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="stage_records")
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("备案人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("备案时间"), auto_now_add=True)

    history = HistoricalRecords(no_db_index=[*HISTORY_UNQUERIED_VERIFICATION, "filed_by"])

    class Meta:
        verbose_name = verbose_name_plural = _("阶段备案")
        ordering = ["project_id", "date", "id"]
        # 申报与认定 counts the filings of a run's window still waiting by its as-of date: 待核实 and 初审通过 (the
        # `verification` index) or 已认定 only after the as-of date. Without this index the latter read every
        # filing of every year (5.7 million at province scale, 0.9 s for each run); along it, the window's.
        indexes = [models.Index(fields=["date", "verified_on"], name="stage_waiting")]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="stage_record_once",
                                    violation_error_message=_("该阶段已备案")),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_stage_display()} {self.date:%Y-%m-%d}"


def evidence_path(instance: StageEvidence, filename: str) -> str:
    return f"evidence/stages/{instance.record.project_id}/{filename}"


class StageEvidence(models.Model):
    """A file proving a stage (business licence, construction permit, photos)."""

    record = models.ForeignKey(StageRecord, verbose_name=_("备案"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("证明材料"), upload_to=evidence_path)
    kind = models.CharField(_("材料类型"), max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.OTHER)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("备案材料")

    def __str__(self) -> str:
        return self.file.name


def fund_evidence_path(instance: FundArrival, filename: str) -> str:
    return f"evidence/funds/{instance.project_id}/{filename}"


class FundArrival(Verifiable):
    """到位资金: money actually put in on a date, of a kind (固定资产投资 …), with evidence and its
    verification."""

    # No index of its own: the (project, date) index below starts with it.
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="fund_arrivals",
                                db_index=False)
    date = models.DateField(_("到位日期"))
    amount = models.DecimalField(_("金额(万元)"), validators=[validate_positive], **MONEY)
    kind = models.CharField(_("资金类型"), max_length=20, choices=FundKind.choices, default=FundKind.FIXED_ASSET)
    evidence = models.FileField(_("证明材料"), upload_to=fund_evidence_path, blank=True)
    evidence_kind = models.CharField(_("材料类型"), max_length=20, choices=EvidenceKind.choices, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords(no_db_index=[*HISTORY_UNQUERIED_VERIFICATION, "recorded_by"])

    class Meta:
        verbose_name = verbose_name_plural = _("到位资金")
        ordering = ["project_id", "date", "id"]
        # (project, date, amount): a set of projects' funds in place summed from the index alone
        indexes = [models.Index(fields=["project", "date", "amount"], name="fund_project_cover"),
                   models.Index(fields=["date", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_amount_positive",
                                   violation_error_message=_("到位金额必须大于0")),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.date:%Y-%m-%d} {self.amount}"


class ProjectCredit(models.Model):
    """A person's share of the credit for a project, as 引资人 or 帮办秘书 (Huaiyin 001 credits 引资人 and
    帮办秘书). Without credit rows the project's `introducer` / `assisting_secretary` holds it whole; with
    them, each person holds their ratio (the ratios of one project and role sum to 1, checked by the service)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="credits",
                                db_index=False)
    person = models.ForeignKey("orgs.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="project_credits")
    role = models.CharField(_("角色"), max_length=12, choices=CreditRole.choices, default=CreditRole.INTRODUCER)
    ratio = models.DecimalField(_("比例"), max_digits=7, decimal_places=6)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("个人贡献分成")
        ordering = ["project_id", "role", "-ratio"]
        constraints = [
            models.UniqueConstraint(fields=["project", "role", "person"], name="credit_project_role_person",
                                    violation_error_message=_("同一人员在该项目同一角色中只能有一条分成比例")),
            models.CheckConstraint(condition=Q(ratio__gt=0) & Q(ratio__lte=1), name="credit_ratio_in_range",
                                   violation_error_message=_("分成比例必须大于0且不超过1")),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()} {self.ratio}"


class ProjectYield(Verifiable):
    """产出质效: what a producing project yielded in a year (Huaiyin 001 "向后延伸至项目竣工后质量跟踪"):
    output value, tax paid, employees and land used. A ledger fact beside the fund arrivals."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="yields",
                                db_index=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    output_value = models.DecimalField(_("产值(万元)"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY)
    tax = models.DecimalField(_("税收(万元)"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY)
    employees = models.PositiveIntegerField(_("用工人数"), null=True, blank=True)
    land_mu = models.DecimalField(_("用地(亩)"), max_digits=12, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(Decimal("0"), message=_("用地面积不能为负数"))])
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("产出质效")
        ordering = ["project_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="yield_project_year",
                                    violation_error_message=_("该项目该年度的产出已录入")),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}"


class LedgerTotalsDelta(models.Model):
    """One statement's change to the whole ledger's totals, written by PostgreSQL triggers (ledger.totals):
    their sum is the count of projects, the signed amount and the funds in place. Not used on SQLite."""

    projects = models.BigIntegerField(default=0)
    signed = models.DecimalField(max_digits=30, decimal_places=4, default=Decimal("0"))
    funds = models.DecimalField(max_digits=30, decimal_places=4, default=Decimal("0"))

    class Meta:
        db_table = "ledger_totals_delta"
        default_permissions = ()

    def __str__(self) -> str:
        return f"台账总数变动：项目{self.projects:+d}个，签约{self.signed:+}万元，到位资金{self.funds:+}万元"


class UnitTotalsDelta(models.Model):
    """One statement's change to the totals of the projects a unit leads, written by PostgreSQL triggers
    (ledger.unit_totals): a unit's rows sum to how many projects it leads, their signed amount and their funds in
    place. A unit user's unfiltered ledger reads its units' rows instead of visiting every fund of their projects.
    Not used on SQLite."""

    unit_id = models.BigIntegerField()
    projects = models.BigIntegerField(default=0)
    signed = models.DecimalField(max_digits=30, decimal_places=4, default=Decimal("0"))
    funds = models.DecimalField(max_digits=30, decimal_places=4, default=Decimal("0"))

    class Meta:
        db_table = "ledger_unit_totals_delta"
        default_permissions = ()
        indexes = [models.Index(fields=["unit_id"], name="unit_totals_unit")]

    def __str__(self) -> str:
        return f"单位台账总数变动：项目{self.projects:+d}个，签约{self.signed:+}万元，到位资金{self.funds:+}万元"


class LedgerSummaryDelta(models.Model):
    """A statement's change to the live ledger's figures by day or month (ledger.summary), written by
    PostgreSQL triggers and folded now and then by the reader; their sum per key is the figure. The
    province cockpit reads a year from these rows instead of aggregating ~650,000 projects. Not used on
    SQLite.

    kind: u = signed by introducing unit and month (day = the month's first day); i / o = signed by
    industry / investor origin and day; s / c / p = projects started / completed / producing on a day;
    f = funds in place on a day; h / x = projects shared / held across groups (不得相互抵顶), by signing
    day. Only projects not 终止 count, as in the cockpit and the assessment."""

    kind = models.CharField(max_length=1)
    day = models.DateField()
    unit_id = models.BigIntegerField(default=0)  # 0: not by unit (a key column, so never NULL)
    label = models.CharField(max_length=100, default="", blank=True)
    amount = models.DecimalField(max_digits=30, decimal_places=4, default=Decimal("0"))
    n = models.BigIntegerField(default=0)
    foreign_amount = models.DecimalField(max_digits=30, decimal_places=4, default=Decimal("0"))
    foreign_n = models.BigIntegerField(default=0)
    folded = models.BooleanField(default=False)

    class Meta:
        db_table = "ledger_summary_delta"
        default_permissions = ()
        indexes = [
            models.Index(fields=["kind", "day"], name="summary_kind_day"),
            models.Index(fields=["id"], name="summary_unfolded", condition=Q(folded=False)),
        ]

    def __str__(self) -> str:
        return f"台账汇总变动：{self.kind} {self.day:%Y-%m-%d} {self.label} {self.amount:+}万元 {self.n:+d}个"


class SharedProject(models.Model):
    """A project with at least one share, kept by PostgreSQL triggers (ledger.summary): its signing date, whether
    it is live, and whether its holders fall in two or more groups (不得相互抵顶). The province cockpit counts
    shared and conflicting projects from here instead of grouping 381,648 shares at each view. Not on SQLite."""

    project_id = models.BigIntegerField(primary_key=True)
    code = models.CharField(max_length=40)
    signed_on = models.DateField(null=True)
    live = models.BooleanField()
    conflict = models.BooleanField()

    class Meta:
        db_table = "ledger_shared_project"
        default_permissions = ()
        indexes = [
            models.Index(fields=["signed_on"], name="shared_signed", condition=Q(live=True)),
            # the first conflicts by code and how many by a date, from the index alone
            models.Index(fields=["code", "signed_on"], name="shared_conflict_code",
                         condition=Q(live=True, conflict=True)),
        ]

    def __str__(self) -> str:
        return f"共享项目 {self.code}"
