"""The activities the assessment reads besides projects: promotion events, leaders' visits,
inspection recommendations, monthly submissions and resident-office attendance."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from .choices import EventLevel, RecommendTarget


class PromotionEvent(models.Model):
    """招商活动: a fair, forum or signing ceremony; projects may be signed at it."""

    code = models.CharField("活动编号", max_length=32, unique=True)
    date = models.DateField("日期")
    name = models.CharField("名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=EventLevel.choices)
    host_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    city_leaders_present = models.CharField("市领导参加", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "招商活动"
        ordering = ["-date", "code"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.date:%Y-%m-%d}）"


class Visit(models.Model):
    """走访对接: a leader of a unit visits an enterprise."""

    date = models.DateField("日期")
    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="visits")
    leader = models.ForeignKey("orgs.Person", verbose_name="带队领导", on_delete=models.PROTECT, related_name="visits")
    enterprise = models.CharField("企业名称", max_length=200)
    matter = models.TextField("事项", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "走访对接"
        ordering = ["-date"]
        indexes = [models.Index(fields=["unit", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "unit", "leader", "enterprise"], name="visit_natural_key",
                violation_error_message="同一日期、单位、带队领导和企业的走访已存在",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.enterprise}"


class Recommendation(models.Model):
    """推荐考察: a unit recommends a project or enterprise for inspection by city leaders."""

    date = models.DateField("日期")
    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="recommendations")
    project = models.ForeignKey(
        "ledger.Project", verbose_name="项目", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    enterprise = models.CharField("企业名称", max_length=200)
    target = models.CharField("推荐对象", max_length=20, choices=RecommendTarget.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "推荐考察"
        ordering = ["-date"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.enterprise}"


class Submission(models.Model):
    """报送: a unit's monthly ledger submission for a period (YYYY-MM) with its due date."""

    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField("报送期间", max_length=7, help_text="YYYY-MM")
    due_date = models.DateField("截止日期")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "台账报送"
        ordering = ["-period", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="submission_unit_period",
                                    violation_error_message="该单位该期间的报送记录已存在"),
            models.CheckConstraint(condition=models.Q(period__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
                                   name="submission_period_format", violation_error_message="报送期间应为YYYY-MM"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"


class Attendance(models.Model):
    """出勤: whether a resident-office person was on station on a day."""

    person = models.ForeignKey("orgs.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="attendance")
    date = models.DateField("日期")
    on_station = models.BooleanField("是否驻点", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "出勤"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="attendance_person_date",
                                    violation_error_message="该人员当日出勤已登记"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%Y-%m-%d}"


