"""产业链招商: industry chains and their segments (with 堵点/断点/痛点/难点), the 产业专班 with its 四个一, the
目标企业库 and its pipeline into the ledger, and the meetings that drive them (调度会, 产业链例会).
Every model keeps full history (django-simple-history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhaoshang.core.uscc import validate_uscc
from zhaoshang.ledger.choices import InvestorTag, section_label, tags_from_field
from zhaoshang.orgs.choices import UnitKind


class Position(models.TextChoices):
    UPSTREAM = "up", _("上游")
    MIDSTREAM = "mid", _("中游")
    DOWNSTREAM = "down", _("下游")


POSITION_ORDER = {Position.UPSTREAM: 0, Position.MIDSTREAM: 1, Position.DOWNSTREAM: 2}


class GapKind(models.TextChoices):
    """The four problems of a chain the task forces study (Bozhou 004)."""

    BLOCKAGE = "blockage", _("堵点")
    BREAK = "break", _("断点")
    PAIN = "pain", _("痛点")
    DIFFICULTY = "difficulty", _("难点")


class ContactStatus(models.TextChoices):
    NOT_CONTACTED = "none", _("未接触")
    CONTACTED = "contacted", _("已接触")
    NEGOTIATING = "negotiating", _("在谈")
    SIGNED = "signed", _("已签约")
    DROPPED = "dropped", _("放弃")


class Cadence(models.TextChoices):
    HALF_MONTH = "half_month", _("每半月")
    MONTH = "month", _("每月")
    NONE = "none", _("不定期")


class MeetingKind(models.TextChoices):
    DISPATCH = "dispatch", _("驻点招商工作调度会")
    CHAIN = "chain", _("产业链例会")
    OTHER = "other", _("其他会议")


DEFAULT_CADENCE = {MeetingKind.DISPATCH: Cadence.HALF_MONTH, MeetingKind.CHAIN: Cadence.MONTH,
                   MeetingKind.OTHER: Cadence.NONE}


class IndustryChain(models.Model):
    """An industry chain (产业链) the city promotes as a whole (全链招商)."""

    name = models.CharField(_("产业链名称"), max_length=100, unique=True)
    # GB/T 4754-2017 sections (letters, e.g. "C,I") and, as the office writes them, the classes (C27 医药制造业).
    sections = models.CharField(_("行业门类"), max_length=60, blank=True,
                                help_text=_("GB/T 4754-2017门类字母，多个用逗号分隔，如：C,I"))
    classes = models.CharField(_("行业大类/中类"), max_length=300, blank=True,
                               help_text=_("如：C27 医药制造业；C274 中成药生产"))
    description = models.TextField(_("产业链概述"), blank=True)
    local_base = models.TextField(_("本地产业基础"), blank=True)
    policies = models.TextField(_("扶持政策"), blank=True)
    # 驻点招商局 whose 主攻产业 is this chain (Bole 002).
    offices = models.ManyToManyField("orgs.Unit", verbose_name=_("主攻该链的驻点招商局"), blank=True,
                                     related_name="focus_chains")
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[offices])

    class Meta:
        verbose_name = verbose_name_plural = _("产业链")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def section_codes(self) -> list[str]:
        return [s.strip().upper() for s in self.sections.replace("，", ",").split(",") if s.strip()]

    def section_names(self) -> list[str]:
        return [f"{code} {section_label(code)}" for code in self.section_codes()]


class TaskForce(models.Model):
    """四个一 (Bozhou 004): 一位市领导牵头、一个产业专班、一本产业招商指南、一支招商队伍."""

    chain = models.OneToOneField(IndustryChain, verbose_name=_("产业链"), on_delete=models.CASCADE,
                                 related_name="task_force")
    unit = models.OneToOneField("orgs.Unit", verbose_name=_("产业专班"), on_delete=models.PROTECT,
                                related_name="chain_task_force", limit_choices_to={"kind": UnitKind.TASK_FORCE})
    leader = models.ForeignKey("orgs.Person", verbose_name=_("牵头市领导"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="led_task_forces")
    guide_title = models.CharField(_("产业招商指南"), max_length=200, blank=True)
    team = models.ManyToManyField("orgs.Person", verbose_name=_("招商队伍"), blank=True,
                                  related_name="task_force_teams")

    history = HistoricalRecords(m2m_fields=[team])

    class Meta:
        verbose_name = verbose_name_plural = _("产业专班")
        ordering = ["chain__order", "chain__name"]

    def __str__(self) -> str:
        return f"{self.unit}（{self.chain}）"


class ChainSegment(models.Model):
    """A link of the chain: 上游/中游/下游 and, within each, finer links in order."""

    chain = models.ForeignKey(IndustryChain, verbose_name=_("产业链"), on_delete=models.CASCADE,
                              related_name="segments")
    position = models.CharField(_("环节位置"), max_length=8, choices=Position.choices)
    name = models.CharField(_("环节名称"), max_length=100)
    order = models.PositiveIntegerField(_("排序"), default=0)
    local_enterprises = models.TextField(_("本地企业"), blank=True, help_text=_("每行一家"))
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("产业链环节")
        ordering = ["chain", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="chain_segment_unique_name",
                                    violation_error_message=_("同一产业链中环节名称不能重复")),
        ]

    def __str__(self) -> str:
        return f"{self.chain} · {self.get_position_display()} · {self.name}"

    def local_enterprise_list(self) -> list[str]:
        return [line.strip() for line in self.local_enterprises.splitlines() if line.strip()]


class SegmentGap(models.Model):
    segment = models.ForeignKey(ChainSegment, verbose_name=_("环节"), on_delete=models.CASCADE,
                                related_name="gaps")
    kind = models.CharField(_("问题类型"), max_length=12, choices=GapKind.choices)
    note = models.TextField(_("说明"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("环节堵点断点")
        ordering = ["segment", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.note[:30]}"


class ChainProjectLink(models.Model):
    """Which segment a ledger project landed in (one segment per project)."""

    project = models.OneToOneField("ledger.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
                                   related_name="chain_link")
    segment = models.ForeignKey(ChainSegment, verbose_name=_("环节"), on_delete=models.PROTECT,
                                related_name="project_links")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("项目所属环节")

    def __str__(self) -> str:
        return f"{self.project} → {self.segment}"


class TargetEnterprise(models.Model):
    """目标企业库: an enterprise the city hunts for, followed by a task force or a resident office."""

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc],
                            db_index=True)
    segment = models.ForeignKey(ChainSegment, verbose_name=_("产业链环节"), on_delete=models.PROTECT,
                                related_name="targets")
    tags = models.CharField(_("企业标签"), max_length=120, blank=True, default="")
    region = models.CharField(_("所在地区"), max_length=100, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    status = models.CharField(_("接触状态"), max_length=12, choices=ContactStatus.choices,
                              default=ContactStatus.NOT_CONTACTED)
    following_unit = models.ForeignKey("orgs.Unit", verbose_name=_("跟进单位"), on_delete=models.PROTECT,
                                       related_name="chain_targets")
    first_contact_on = models.DateField(_("首次接触日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    project = models.OneToOneField("ledger.Project", verbose_name=_("转化项目"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="chain_target")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = _("目标企业")
        ordering = ["segment__chain__order", "segment__order", "name"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.name

    def tag_codes(self) -> list[str]:
        return tags_from_field(self.tags)

    def tag_labels(self) -> list[str]:
        labels = dict(InvestorTag.choices)
        return [str(labels[c]) for c in self.tag_codes() if c in labels]


class MeetingSeries(models.Model):
    """A standing meeting with its cadence (Bole 002: 市重大产业办每半月召开1次驻点招商工作调度会，市政府每月召开1次
    产业链例会). A period of the cadence without a meeting is a missed meeting."""

    name = models.CharField(_("会议名称"), max_length=100, unique=True)
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    cadence = models.CharField(_("召开频次"), max_length=12, choices=Cadence.choices)
    organiser = models.ForeignKey("orgs.Unit", verbose_name=_("召集单位"), on_delete=models.PROTECT,
                                  related_name="meeting_series")
    chain = models.ForeignKey(IndustryChain, verbose_name=_("产业链"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="meeting_series")
    starts_on = models.DateField(_("起始日期"))
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("例会制度")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    series = models.ForeignKey(MeetingSeries, verbose_name=_("例会制度"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    date = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    chain = models.ForeignKey(IndustryChain, verbose_name=_("产业链"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="meetings")
    organiser = models.ForeignKey("orgs.Unit", verbose_name=_("召集单位"), on_delete=models.PROTECT,
                                  related_name="meetings")
    chair = models.ForeignKey("orgs.Person", verbose_name=_("主持人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="chaired_meetings")
    attendees = models.ManyToManyField("orgs.Person", verbose_name=_("参会人员"), blank=True,
                                       related_name="attended_meetings")
    decisions = models.TextField(_("会议决定"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = verbose_name_plural = _("会议")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class MeetingReport(models.Model):
    """What one resident office or task force reported at the meeting (各驻点局汇报当月工作开展情况)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("汇报单位"), on_delete=models.PROTECT,
                             related_name="meeting_reports")
    content = models.TextField(_("汇报内容"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("会议汇报")
        ordering = ["meeting", "unit__code"]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.unit}"


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE,
                                related_name="action_items")
    text = models.CharField(_("事项"), max_length=300)
    owner_unit = models.ForeignKey("orgs.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT,
                                   related_name="action_items")
    owner = models.ForeignKey("orgs.Person", verbose_name=_("责任人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="action_items")
    deadline = models.DateField(_("完成时限"))
    done = models.BooleanField(_("已完成"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("督办事项")
        ordering = ["done", "deadline", "id"]

    def __str__(self) -> str:
        return self.text
