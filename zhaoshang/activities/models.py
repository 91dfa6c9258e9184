"""The activities the assessment reads besides projects: promotion events, leaders' visits,
inspection recommendations, monthly submissions (with their steps and frozen snapshots) and the
resident offices' daily work: attendance, work logs, weekly checks, major-project reports, budgets,
expenses and subsidies.

Money: budgets are in 万元 like every ledger amount; expenses and subsidies are paid in 元 and are
stored in 元 (two places), labelled so on every field, because that is how the offices keep them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhaoshang.ledger.choices import Section

from .choices import (
    EventLevel,
    ExpenseCategory,
    ExpenseStatus,
    FollowUpAction,
    RecommendTarget,
    ReportStatus,
    SubmissionAction,
)

WAN = {"max_digits": 18, "decimal_places": 4}  # 万元
YUAN = {"max_digits": 14, "decimal_places": 2}  # 元
NOT_NEGATIVE = [MinValueValidator(Decimal("0"), message=_("金额不能为负数"))]
QUARTER_RE = r"^[0-9]{4}Q[1-4]$"


class PromotionEvent(models.Model):
    """招商活动: a fair, forum or signing ceremony; projects may be signed at it."""

    code = models.CharField(_("活动编号"), max_length=32, unique=True)
    date = models.DateField(_("日期"))
    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=EventLevel.choices)
    host_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("主办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    city_leaders_present = models.CharField(_("市领导参加"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("招商活动")
        ordering = ["-date", "code"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.date:%Y-%m-%d}）"


class Visit(models.Model):
    """走访对接: a leader of a unit visits an enterprise."""

    date = models.DateField(_("日期"))
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="visits")
    leader = models.ForeignKey(
        "orgs.Person", verbose_name=_("带队领导"), on_delete=models.PROTECT, related_name="visits"
    )
    enterprise = models.CharField(_("企业名称"), max_length=200)
    # The visited enterprise's GB/T 4754-2017 section, "" while 待归类: a scheme that counts visits to
    # manufacturing enterprises still counts an unclassified visit (and marks it), so older ledgers keep
    # their scores until an office classifies them.
    industry = models.CharField(_("企业行业门类"), max_length=1, choices=Section.choices, blank=True, default="")
    matter = models.TextField(_("事项"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("走访对接")
        ordering = ["-date"]
        indexes = [models.Index(fields=["unit", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "unit", "leader", "enterprise"], name="visit_natural_key",
                violation_error_message=_("同一日期、单位、带队领导和企业的走访已存在"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.enterprise}"


class Recommendation(models.Model):
    """推荐考察: a unit recommends a project or enterprise for inspection by city leaders."""

    date = models.DateField(_("日期"))
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="recommendations"
    )
    project = models.ForeignKey(
        "ledger.Project", verbose_name=_("项目"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    enterprise = models.CharField(_("企业名称"), max_length=200)
    target = models.CharField(_("推荐对象"), max_length=20, choices=RecommendTarget.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("推荐考察")
        ordering = ["-date"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.enterprise}"


class Submission(models.Model):
    """报送: a unit's monthly ledger submission for a period (YYYY-MM) with its due date."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField(_("报送期间"), max_length=7, help_text="YYYY-MM")
    due_date = models.DateField(_("截止日期"))
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("台账报送")
        ordering = ["-period", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="submission_unit_period",
                                    violation_error_message=_("该单位该期间的报送记录已存在")),
            models.CheckConstraint(condition=models.Q(period__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
                                   name="submission_period_format", violation_error_message=_("报送期间应为YYYY-MM")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"


class Attendance(models.Model):
    """出勤: whether a resident-office person was on station on a day."""

    person = models.ForeignKey(
        "orgs.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="attendance"
    )
    date = models.DateField(_("日期"))
    on_station = models.BooleanField(_("是否驻点"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("出勤")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="attendance_person_date",
                                    violation_error_message=_("该人员当日出勤已登记")),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%Y-%m-%d}"




# ---------------------------------------------------------------------------------------------
# The monthly submission cycle


class SubmissionDeadline(models.Model):
    """报送截止日期 set by the assessment office for one period; without one the deadline is the
    SUBMISSION_DUE_DAY (default 5) of the next month."""

    period = models.CharField(_("报送期间"), max_length=7, unique=True, help_text="YYYY-MM")
    due_date = models.DateField(_("截止日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("报送截止日期")
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(condition=Q(period__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
                                   name="deadline_period_format", violation_error_message=_("报送期间应为YYYY-MM")),
        ]

    def __str__(self) -> str:
        return f"{self.period} 截止 {self.due_date:%Y-%m-%d}"


class SubmissionSnapshot(models.Model):
    """The unit's projects, funds and activities frozen at the moment of a submission. Never
    changed after it is taken; `sha256` is over the canonical JSON so a reader can check that."""

    submission = models.ForeignKey(Submission, verbose_name=_("报送"), on_delete=models.CASCADE,
                                   related_name="snapshots")
    taken_at = models.DateTimeField(_("快照时间"))
    data = models.JSONField(_("快照内容"), default=dict)
    sha256 = models.CharField(_("哈希"), max_length=64)
    counts = models.JSONField(_("条数"), default=dict)

    # The JSON is immutable and can be large: history keeps who/when, not a second copy of it.
    history = HistoricalRecords(excluded_fields=["data"])

    class Meta:
        verbose_name = verbose_name_plural = _("报送快照")
        ordering = ["submission_id", "taken_at", "id"]

    def __str__(self) -> str:
        return f"{self.submission} {self.taken_at:%Y-%m-%d %H:%M}"


class SubmissionStep(models.Model):
    """One step of a submission: submitted, returned for correction (with a reason), resubmitted,
    accepted. Every step is kept; a submission's state is its latest step."""

    submission = models.ForeignKey(Submission, verbose_name=_("报送"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=20, choices=SubmissionAction.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("理由"), blank=True)
    snapshot = models.OneToOneField(SubmissionSnapshot, verbose_name=_("快照"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="step")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("报送步骤")
        ordering = ["submission_id", "at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(action=SubmissionAction.RETURNED) | ~Q(reason=""),
                                   name="step_return_has_reason", violation_error_message=_("退回修改必须填写理由")),
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------------------------
# Resident offices (驻点招商局)


class WorkLog(models.Model):
    """工作日志 reported by an office's liaison: enterprises visited, contacts, results."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("驻点招商局"), on_delete=models.PROTECT,
                             related_name="work_logs")
    date = models.DateField(_("日期"))
    author = models.ForeignKey("orgs.Person", verbose_name=_("填报人"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="work_logs")
    enterprises = models.TextField(_("走访企业"), help_text=_("每行一家企业"))
    contacts = models.TextField(_("联系对接情况"), blank=True)
    results = models.TextField(_("工作成效"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("工作日志")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.date:%Y-%m-%d}"

    @property
    def enterprise_list(self) -> list[str]:
        return [line.strip() for line in self.enterprises.splitlines() if line.strip()]


class WeeklyCheck(models.Model):
    """每周日核实: the weekly check of an office's visited-enterprise ledger, with who checked it and
    when. `week_ending` is the Sunday that closes the checked week."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("驻点招商局"), on_delete=models.PROTECT,
                             related_name="weekly_checks")
    week_ending = models.DateField(_("核实周（周日）"))
    logs_checked = models.PositiveIntegerField(_("核实日志条数"), default=0)
    enterprises_checked = models.PositiveIntegerField(_("核实走访企业数"), default=0)
    note = models.TextField(_("核实意见"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(_("核实时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("每周核实")
        ordering = ["-week_ending"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "week_ending"], name="weekly_check_once",
                                    violation_error_message=_("该周已核实")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.week_ending:%Y-%m-%d}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.week_ending and self.week_ending.isoweekday() != 7:
            raise ValidationError({"week_ending": _("核实周应以周日为准（每周日核实走访企业台账）")})


class MajorInfoReport(models.Model):
    """重大项目报告: an office reports an investment intention; the office in charge (市重大产业办)
    assigns it to an industry-chain lead unit; its status is followed to signing."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("报告单位"), on_delete=models.PROTECT,
                             related_name="major_reports")
    reported_on = models.DateField(_("报告日期"))
    enterprise = models.CharField(_("企业名称"), max_length=200)
    industry = models.CharField(_("所属产业"), max_length=100, blank=True)
    intention = models.TextField(_("投资意向"))
    amount = models.DecimalField(_("意向投资额(万元)"), null=True, blank=True, validators=NOT_NEGATIVE, **WAN)
    status = models.CharField(_("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.REPORTED)
    assigned_unit = models.ForeignKey("orgs.Unit", verbose_name=_("产业链牵头单位"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="assigned_reports")
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    project = models.ForeignKey("ledger.Project", verbose_name=_("签约项目"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="major_reports")
    progress = models.TextField(_("进展情况"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("重大项目报告")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status=ReportStatus.REPORTED) | Q(status=ReportStatus.DROPPED)
                                   | Q(assigned_unit__isnull=False),
                                   name="report_assigned_has_unit",
                                   violation_error_message=_("交办后必须指定产业链牵头单位")),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}（{self.reported_on:%Y-%m-%d}）"


class OfficeBudget(models.Model):
    """定额包干: an office's annual funds in 万元 (Bole: 32.5 or 45.5 万元).

    A team's budget (issue 13): Huaiyin funds its 招商组团 by "预算管理、总量控制，扎口管理、分别核算";
    then `team` is the 招商组团 or 产业专班 and `unit` the lead unit (牵头单位) that keeps and approves its
    account. Without `team` the budget is `unit`'s own (a resident office's)."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("驻点招商局"), on_delete=models.PROTECT,
                             related_name="budgets")
    team = models.ForeignKey("orgs.Unit", verbose_name=_("招商组团或产业专班"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="team_budgets")
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("年度经费(万元)"), validators=NOT_NEGATIVE, **WAN)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("驻点经费预算")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="budget_unit_year_own",
                                    condition=Q(team__isnull=True),
                                    violation_error_message=_("该单位该年度的经费预算已存在")),
            models.UniqueConstraint(fields=["team", "year"], name="budget_team_year",
                                    condition=Q(team__isnull=False),
                                    violation_error_message=_("该组团该年度的经费预算已存在")),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative",
                                   violation_error_message=_("经费不能为负数")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.amount}万元"


class Expense(models.Model):
    """An office's expense in 元 (差旅, 接待, 交通补助, 伙食补助), approved (报批) and then settled
    (核销) at the end of its quarter. A team's expense (`team` set, issue 13) is approved by its lead
    unit (`unit`) and reimbursed (报销) one by one."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("驻点招商局"), on_delete=models.PROTECT,
                             related_name="expenses")
    team = models.ForeignKey("orgs.Unit", verbose_name=_("招商组团或产业专班"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="team_expenses")
    date = models.DateField(_("发生日期"))
    category = models.CharField(_("费用类别"), max_length=20, choices=ExpenseCategory.choices)
    amount = models.DecimalField(_("金额(元)"), validators=NOT_NEGATIVE, **YUAN)
    description = models.CharField(_("事由"), max_length=300)
    status = models.CharField(_("审批状态"), max_length=20, choices=ExpenseStatus.choices,
                              default=ExpenseStatus.PENDING)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reimbursed_on = models.DateField(_("报销日期"), null=True, blank=True)
    reimbursed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报销经办人"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("驻点经费支出")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive",
                                   violation_error_message=_("支出金额必须大于0")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.date:%Y-%m-%d} {self.get_category_display()} {self.amount}元"


class QuarterSettlement(models.Model):
    """当季费用核销: the office's expenses of a quarter are settled. The next quarter's subsidy may be
    paid only after this exists (Bole: 每季度末轮休时做好当季费用核销后，方可发放下一季度补助)."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("驻点招商局"), on_delete=models.PROTECT,
                             related_name="settlements")
    quarter = models.CharField(_("季度"), max_length=6, help_text=_("如 2024Q1"))
    expenses_total = models.DecimalField(_("核销金额(元)"), **YUAN)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核销人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    settled_at = models.DateTimeField(_("核销时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("季度费用核销")
        ordering = ["-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "quarter"], name="settlement_once",
                                    violation_error_message=_("该季度已核销")),
            models.CheckConstraint(condition=Q(quarter__regex=QUARTER_RE), name="settlement_quarter_format",
                                   violation_error_message=_("季度应为如 2024Q1 的格式")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.quarter}"


class SubsidyPayment(models.Model):
    """驻点补助发放: a quarter's daily subsidy (元 per person per day on station) paid to an office,
    computed from attendance to the yuan."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("驻点招商局"), on_delete=models.PROTECT,
                             related_name="subsidy_payments")
    quarter = models.CharField(_("季度"), max_length=6, help_text=_("如 2024Q1"))
    person_days = models.PositiveIntegerField(_("驻点人天数"))
    rate = models.DecimalField(_("补助标准(元/人/天)"), **YUAN)
    amount = models.DecimalField(_("补助金额(元)"), **YUAN)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"), null=True,
                                on_delete=models.SET_NULL, related_name="+")
    paid_at = models.DateTimeField(_("发放时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("驻点补助发放")
        ordering = ["-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "quarter"], name="subsidy_once",
                                    violation_error_message=_("该季度补助已发放")),
            models.CheckConstraint(condition=Q(quarter__regex=QUARTER_RE), name="subsidy_quarter_format",
                                   violation_error_message=_("季度应为如 2024Q1 的格式")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.quarter} {self.amount}元"


# ---------------------------------------------------------------------------------------------
# 招商干部 (issue 13): the roster of investment cadres and what followed a year without result


class Cadre(models.Model):
    """A term of an investment cadre (招商干部) in a 专班 or 招商组: Bozhou's groups serve two years, their
    members seconded full time (脱产专职) with their original post kept; a cadre with no result in a
    year may not stay (004). The year's result is read from the projects credited to the person."""

    person = models.ForeignKey("orgs.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="cadre_terms")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("所在单位"), on_delete=models.PROTECT,
                             related_name="cadres")
    team = models.ForeignKey("orgs.Unit", verbose_name=_("专班或招商组"), on_delete=models.PROTECT,
                             related_name="team_cadres")
    full_time = models.BooleanField(_("脱产专职"), default=False)
    original_post = models.CharField(_("原单位职务（保留）"), max_length=100, blank=True)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("招商干部")
        ordering = ["team__code", "person__staff_no", "-term_start"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                                   name="cadre_term_order",
                                   violation_error_message=_("任期结束日期不能早于任期开始日期")),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.team.name}）"


class CadreFollowUp(models.Model):
    """What followed a cadre's year without result (无实绩): 约谈, 调整 (moved out) or 留任 with a reason."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("招商干部"), on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("处理日期"))
    action = models.CharField(_("处理方式"), max_length=12, choices=FollowUpAction.choices)
    reason = models.CharField(_("理由"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("无实绩处理")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_action_display()} {self.date:%Y-%m-%d}"
