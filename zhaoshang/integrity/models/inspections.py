"""Inspections (督查): "要采取项目单位自查自报和到实地查看相结合的方法，坚持一季一督查" (seed 003).

A quarter's plan names the units (and optionally the projects) inspected; each unit files its
self-check report (自查自报) with attachments; the inspectors record their site visits (实地查看) with
photos; what they find becomes rectification items (整改) with an owner and a deadline, closed by the
unit or the office with a note. Every model keeps its history.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhaoshang.core.periods import parse_period

QUARTER_RE = re.compile(r"\d{4}Q[1-4]")


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ONGOING = "ongoing", _("督查中")
    FINISHED = "finished", _("已完成")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    DONE = "done", _("已完成")


def validate_quarter(value: str) -> None:
    try:
        parse_period(value)
    except ValueError as exc:
        raise ValidationError(_("督查期间应为季度，如 2024Q2"), code="bad_period") from exc
    if not QUARTER_RE.fullmatch(value):
        raise ValidationError(_("督查期间应为季度，如 2024Q2"), code="not_quarter")


class InspectionPlan(models.Model):
    """One quarter's inspection (一季一督查): which units and which of their projects are checked."""

    period = models.CharField(_("督查季度"), max_length=6, validators=[validate_quarter], db_index=True)
    title = models.CharField(_("督查名称"), max_length=200)
    units = models.ManyToManyField("orgs.Unit", verbose_name=_("督查单位"), related_name="inspection_plans")
    projects = models.ManyToManyField("ledger.Project", verbose_name=_("督查项目"), blank=True,
                                      related_name="inspection_plans")
    note = models.TextField(_("督查要求"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[units, projects])

    class Meta:
        verbose_name = verbose_name_plural = _("督查计划")
        ordering = ["-period", "-id"]

    def __str__(self) -> str:
        return f"{self.period} {self.title}"

    @property
    def period_label(self) -> str:
        try:
            return parse_period(self.period).label
        except ValueError:
            return self.period


def self_check_path(instance: SelfCheckAttachment, filename: str) -> str:
    return f"inspections/{instance.report.plan_id}/selfcheck/{instance.report.unit_id}/{filename}"


def site_photo_path(instance: SiteVisitPhoto, filename: str) -> str:
    return f"inspections/{instance.visit.plan_id}/visits/{instance.visit_id}/{filename}"


class SelfCheckReport(models.Model):
    """自查自报: a unit's own report for a plan; one per unit and plan (resubmitting updates it)."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("督查计划"), on_delete=models.CASCADE,
                             related_name="self_checks")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("自查情况"))
    issues = models.TextField(_("发现的问题"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("自查自报")
        ordering = ["plan_id", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="self_check_once",
                                    violation_error_message=_("该单位已报送本次督查的自查报告")),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.unit}"


class SelfCheckAttachment(models.Model):
    """A file attached to a self-check report (台账、照片、说明材料)."""

    report = models.ForeignKey(SelfCheckReport, verbose_name=_("自查报告"), on_delete=models.CASCADE,
                               related_name="attachments")
    file = models.FileField(_("附件"), upload_to=self_check_path, max_length=300)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("自查附件")

    def __str__(self) -> str:
        return self.file.name


class SiteVisit(models.Model):
    """实地查看: an inspector's visit to a unit (and, optionally, one of its projects)."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("督查计划"), on_delete=models.CASCADE,
                             related_name="site_visits")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("ledger.Project", verbose_name=_("项目"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="site_visits")
    visited_on = models.DateField(_("查看日期"))
    people = models.CharField(_("参加人员"), max_length=300)
    findings = models.TextField(_("查看情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("实地查看")
        ordering = ["plan_id", "visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.visited_on:%Y-%m-%d}"


class SiteVisitPhoto(models.Model):
    """A photo (or scan) taken on a site visit."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("实地查看"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=site_photo_path, max_length=300)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("现场照片")

    def __str__(self) -> str:
        return self.file.name


class Rectification(models.Model):
    """整改: a finding a unit must put right by a deadline; closed with a note, reopened by the office."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("督查计划"), on_delete=models.CASCADE,
                             related_name="rectifications")
    site_visit = models.ForeignKey(SiteVisit, verbose_name=_("实地查看"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="rectifications")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("ledger.Project", verbose_name=_("项目"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="rectifications")
    description = models.TextField(_("整改事项"))
    owner_name = models.CharField(_("责任人"), max_length=100, blank=True)
    owner_person = models.ForeignKey("orgs.Person", verbose_name=_("责任人（人员库）"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("整改状态"), max_length=10, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("销号人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closure_note = models.TextField(_("整改情况"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("整改事项")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RectificationStatus.OPEN) | (Q(closed_at__isnull=False) & ~Q(closure_note="")),
                name="rectification_closed_with_note",
                violation_error_message=_("整改完成须填写整改情况"),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def owner(self) -> str:
        if self.owner_person_id:
            return self.owner_person.name
        return self.owner_name

    def overdue_days(self, as_of) -> int:
        """Days past the deadline while still open (0 when on time or closed)."""
        if self.status != RectificationStatus.OPEN or self.deadline >= as_of:
            return 0
        return (as_of - self.deadline).days

    def clean(self) -> None:
        errors = {}
        if not self.owner_name.strip() and not self.owner_person_id:
            errors["owner_name"] = [_("请填写责任人")]
        if self.site_visit_id and self.plan_id and self.site_visit.plan_id != self.plan_id:
            errors["site_visit"] = [_("实地查看记录不属于该督查计划")]
        if errors:
            raise ValidationError(errors)
