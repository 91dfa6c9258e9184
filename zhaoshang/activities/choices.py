from django.db import models
from django.utils.translation import gettext_lazy as _


class EventLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    PREFECTURE = "prefecture", _("州市级")
    COUNTY = "county", _("县市级")


# Ordered from the highest; a scheme's "州市级 or above" is a prefix of this list.
EVENT_LEVEL_ORDER = [EventLevel.NATIONAL, EventLevel.PROVINCIAL, EventLevel.PREFECTURE, EventLevel.COUNTY]


def levels_at_or_above(level: str) -> list[str]:
    values = [lv.value for lv in EVENT_LEVEL_ORDER]
    return values[: values.index(level) + 1]


class RecommendTarget(models.TextChoices):
    MAIN = "main", _("主要领导")
    DIVISION = "division", _("分管领导")


class SubmissionAction(models.TextChoices):
    """A step of the monthly submission cycle; every step is kept."""

    SUBMITTED = "submitted", _("报送")
    RETURNED = "returned", _("退回修改")
    RESUBMITTED = "resubmitted", _("重新报送")
    ACCEPTED = "accepted", _("审核通过")


class SubmissionState(models.TextChoices):
    """Where a submission stands, derived from its steps and dates (never stored)."""

    NOT_DUE = "not_due", _("待报送")
    MISSING = "missing", _("逾期未报")
    SUBMITTED = "submitted", _("已报送待审核")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("审核通过")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("按时")
    LATE = "late", _("迟报")
    MISSING = "missing", _("未报")
    NOT_DUE = "not_due", _("未到期")


class ReportStatus(models.TextChoices):
    """重大项目报告: an office reports an intention; the office in charge assigns it to an
    industry-chain lead unit; the status is followed to signing."""

    REPORTED = "reported", _("已报告")
    ASSIGNED = "assigned", _("已交办")
    INSPECTING = "inspecting", _("来访考察")
    NEGOTIATING = "negotiating", _("洽谈中")
    SIGNED = "signed", _("已签约")
    DROPPED = "dropped", _("已终止")


REPORT_FLOW = [ReportStatus.REPORTED, ReportStatus.ASSIGNED, ReportStatus.INSPECTING, ReportStatus.NEGOTIATING,
               ReportStatus.SIGNED]


class ExpenseCategory(models.TextChoices):
    TRAVEL = "travel", _("差旅费")
    RECEPTION = "reception", _("接待费")
    TRANSPORT = "transport", _("交通补助")
    MEALS = "meals", _("伙食补助")


class ExpenseStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已审批")
    REJECTED = "rejected", _("未批准")


class FollowUpAction(models.TextChoices):
    """What followed a cadre's year without result (Bozhou 004: 约谈 or moved; 留任 needs a reason)."""

    TALK = "talk", _("约谈")
    ADJUST = "adjust", _("调整")
    RETAIN = "retain", _("留任")
