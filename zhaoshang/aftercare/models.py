"""产出与服务 (issue 15): how a project's investor is served after signing and what else the places bring
in beside capital.

- `InvestorRequest` 客商诉求: a request from a project's investor, assigned to the project's 帮办秘书 or a
  department, answered within a deadline (Bole 002: "对客商反映的合理诉求一个月内不答复" is deducted);
- `AftercareVisit` / `VisitIssue` 服务走访: visits to producing enterprises and the issues raised there,
  followed until solved;
- `Talent` / `TalentShare` 招才引智: talent and teams brought in (Bozhou 004 "双招双引"), credited to units
  by shares like projects;
- `LiaisonItem` / `LiaisonStep` 项目跑办: what a resident office runs with ministries and central bodies
  (Bole 002: the Beijing office "以项目跑办为主").

Every model keeps full history."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 18, "decimal_places": 4}


class RequestChannel(models.TextChoices):
    SECRETARY = "secretary", _("帮办秘书")
    HOTLINE = "hotline", _("服务热线")
    VISIT = "visit", _("走访")
    MEETING = "meeting", _("座谈会")
    LETTER = "letter", _("来信来函")
    OTHER = "other", _("其他")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    ANSWERED = "answered", _("已答复")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIR = "fair", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class InvestorRequest(models.Model):
    """客商诉求: what the investor asked, when and through whom; who answers it, by when; the answer and
    the investor's satisfaction. `deadline` is set from `received_on` by the setting
    AFTERCARE_ANSWER_DEADLINE (one month by default, or Chinese working days)."""

    project = models.ForeignKey("ledger.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="investor_requests")
    # The unit answerable for the request (what a scheme credits): the project's introducing unit by default.
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT,
                             related_name="investor_requests")
    subject = models.CharField(_("诉求事项"), max_length=200)
    detail = models.TextField(_("诉求内容"), max_length=2000, blank=True)
    received_on = models.DateField(_("受理日期"))
    channel = models.CharField(_("反映渠道"), max_length=12, choices=RequestChannel.choices,
                               default=RequestChannel.SECRETARY)
    raised_by = models.CharField(_("反映人"), max_length=100, blank=True, help_text=_("投资方联系人或转办人"))
    assignee = models.ForeignKey("orgs.Person", verbose_name=_("承办人（帮办秘书）"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="investor_requests")
    department = models.ForeignKey("orgs.Unit", verbose_name=_("承办部门"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="handled_requests")
    deadline = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN,
                              db_index=True)
    escalated_on = models.DateField(_("督办日期"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), max_length=2000, blank=True)
    satisfaction = models.CharField(_("客商满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("客商诉求")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["unit", "deadline"]), models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("received_on")),
                                   name="request_deadline_after_received",
                                   violation_error_message=_("答复期限不能早于受理日期")),
            models.CheckConstraint(condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("received_on")),
                                   name="request_answered_after_received",
                                   violation_error_message=_("答复日期不能早于受理日期")),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.subject}"

    def overdue_on(self, day) -> bool:
        """Not answered by `day`, which is after the deadline (a late answer ends it)."""
        if day <= self.deadline:
            return False
        return self.answered_on is None or self.answered_on > day

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.deadline

    def response_days(self) -> int | None:
        return (self.answered_on - self.received_on).days if self.answered_on else None


class AftercareVisit(models.Model):
    """服务走访: a visit to a producing enterprise (a kind of visit, beside the promotion visits of the
    activities app) by a unit's people, with the issues the enterprise raised."""

    project = models.ForeignKey("ledger.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="aftercare_visits")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("走访单位"), on_delete=models.PROTECT,
                             related_name="aftercare_visits")
    date = models.DateField(_("走访日期"))
    visitor = models.ForeignKey("orgs.Person", verbose_name=_("带队人员"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="aftercare_visits")
    met = models.CharField(_("企业接待人"), max_length=100, blank=True)
    summary = models.TextField(_("走访情况"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("服务走访")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.date:%Y-%m-%d}"


class IssueStatus(models.TextChoices):
    OPEN = "open", _("跟进中")
    SOLVED = "solved", _("已解决")
    CLOSED = "closed", _("无法解决（已说明）")


class VisitIssue(models.Model):
    """An issue an enterprise raised during a visit, followed until solved (or explained)."""

    visit = models.ForeignKey(AftercareVisit, verbose_name=_("服务走访"), on_delete=models.CASCADE,
                              related_name="issues")
    description = models.CharField(_("问题"), max_length=300)
    owner = models.CharField(_("责任单位或责任人"), max_length=100, blank=True)
    status = models.CharField(_("办理状态"), max_length=12, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    resolution = models.CharField(_("办理结果"), max_length=500, blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("走访问题")
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return self.description


class TalentLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    CITY_LEADING = "city_leading", _("本市领军人才")
    CITY_SHORTAGE = "city_shortage", _("本市紧缺人才")


def talent_evidence_path(instance: Talent, filename: str) -> str:
    return f"evidence/talent/{instance.unit_id}/{filename}"


class Talent(models.Model):
    """招才引智: a person or a team brought in, its level and field, the enterprise or project joined, and
    who is credited: the introducing unit whole, or several units by `TalentShare` ratios (as projects)."""

    name = models.CharField(_("姓名或团队名称"), max_length=100)
    is_team = models.BooleanField(_("是否团队"), default=False)
    team_size = models.PositiveIntegerField(_("团队人数"), null=True, blank=True)
    level = models.CharField(_("人才层次"), max_length=20, choices=TalentLevel.choices)
    field = models.CharField(_("专业领域"), max_length=100, blank=True)
    enterprise = models.CharField(_("引进企业"), max_length=200)
    project = models.ForeignKey("ledger.Project", verbose_name=_("关联项目"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="talents")
    joined_on = models.DateField(_("引进日期"))
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("引进单位"), on_delete=models.PROTECT,
                             related_name="talents")
    introducer = models.ForeignKey("orgs.Person", verbose_name=_("引进人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="talents")
    evidence = models.FileField(_("证明材料"), upload_to=talent_evidence_path, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("引进人才")
        ordering = ["-joined_on", "-id"]
        indexes = [models.Index(fields=["unit", "joined_on"])]

    def __str__(self) -> str:
        return self.name


class TalentShare(models.Model):
    """A unit's share of the credit for a talent (the ratios of one talent sum to 1, checked by the service)."""

    talent = models.ForeignKey(Talent, verbose_name=_("人才"), on_delete=models.CASCADE, related_name="shares")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="talent_shares")
    ratio = models.DecimalField(_("比例"), max_digits=7, decimal_places=6)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("人才共享")
        ordering = ["talent_id", "-ratio"]
        constraints = [
            models.UniqueConstraint(fields=["talent", "unit"], name="talent_share_once",
                                    violation_error_message=_("同一单位在该人才中只能有一条共享比例")),
            models.CheckConstraint(condition=Q(ratio__gt=0) & Q(ratio__lte=1), name="talent_share_ratio_in_range",
                                   violation_error_message=_("共享比例必须大于0且不超过1")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.ratio}"


class LiaisonSought(models.TextChoices):
    KEY_PROJECT = "key_project", _("重点项目")
    MAJOR_POLICY = "major_policy", _("重大政策")
    FUNDS = "funds", _("资金")


class LiaisonOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("跑办中")
    WON = "won", _("已争取成功")
    PARTIAL = "partial", _("部分争取成功")
    FAILED = "failed", _("未成功")


class LiaisonItem(models.Model):
    """项目跑办: an item a resident office runs with a ministry or central body — a key project, a major
    policy or funds — its steps, the outcome and any amount won."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("跑办单位"), on_delete=models.PROTECT,
                             related_name="liaison_items")
    title = models.CharField(_("跑办事项"), max_length=200)
    sought = models.CharField(_("争取类别"), max_length=20, choices=LiaisonSought.choices)
    body = models.CharField(_("对接部委或机关"), max_length=200)
    project = models.ForeignKey("ledger.Project", verbose_name=_("关联项目"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="liaison_items")
    started_on = models.DateField(_("启动日期"))
    outcome = models.CharField(_("跑办结果"), max_length=20, choices=LiaisonOutcome.choices,
                               default=LiaisonOutcome.IN_PROGRESS)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    amount_won = models.DecimalField(_("争取资金(万元)"), null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0"), message=_("金额不能为负数"))],
                                     **MONEY)
    lead_person = models.ForeignKey("orgs.Person", verbose_name=_("负责人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="liaison_items")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("项目跑办")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("started_on")),
                                   name="liaison_outcome_after_start",
                                   violation_error_message=_("结果日期不能早于启动日期")),
        ]

    def __str__(self) -> str:
        return self.title


class LiaisonStep(models.Model):
    """One step of a 跑办 item: a date and what was done (a visit to the ministry, a document filed …)."""

    item = models.ForeignKey(LiaisonItem, verbose_name=_("跑办事项"), on_delete=models.CASCADE, related_name="steps")
    date = models.DateField(_("日期"))
    action = models.CharField(_("进展"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("跑办进展")
        ordering = ["item_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.action}"
