"""Choices of the awards app (issue 13)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardKind(models.TextChoices):
    COLLECTIVE = "collective", _("先进集体奖")
    SINGLE = "single", _("工作单项奖")
    INDIVIDUAL = "individual", _("先进个人奖")


class AwardRule(models.TextChoices):
    TOP_N = "top_n", _("每组前N名")
    GRADE = "grade", _("考核等次")
    THRESHOLD = "threshold", _("达到门槛")
    HONOUR = "honour", _("方案评定的荣誉")
    MANUAL = "manual", _("仅人工提名")


class ThresholdOn(models.TextChoices):
    TOTAL = "total", _("总得分")
    ITEM_POINTS = "item_points", _("指标得分")
    ITEM_VALUE = "item_value", _("指标完成值")


class NominationSource(models.TextChoices):
    RUN = "run", _("考核结果生成")
    MANUAL = "manual", _("人工提名")


class NominationStatus(models.TextChoices):
    REVIEW = "review", _("审核中")
    REVIEWED = "reviewed", _("审核通过")
    NOTICE = "notice", _("公示中")
    DECIDED = "decided", _("已表彰")
    WITHDRAWN = "withdrawn", _("未予表彰")
    REVOKED = "revoked", _("已撤销并追回")


class ReviewOffice(models.TextChoices):
    INVESTMENT = "investment", _("招商办")
    ASSESSMENT = "assessment", _("考核办")
    AUDIT = "audit", _("审计局")


class Verdict(models.TextChoices):
    APPROVE = "approve", _("同意")
    OBJECT = "object", _("有异议")


class ClawbackStatus(models.TextChoices):
    PROPOSED = "proposed", _("建议追回")
    CONFIRMED = "confirmed", _("确认追回")
    DISMISSED = "dismissed", _("不予追回")
